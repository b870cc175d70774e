//! Ignoring repeated presses: after one is accepted, presses within the
//! window are dropped, as satisfaction terminals do.

/// A press filter with a fixed window, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cooldown {
    window_ms: f64,
    last_ms: Option<f64>,
}

impl Cooldown {
    /// A filter that accepts at most one press per `window_ms`.
    pub fn new(window_ms: f64) -> Cooldown {
        Cooldown {
            window_ms,
            last_ms: None,
        }
    }

    /// Whether a press at `now_ms` counts; if it does, the window restarts.
    pub fn accept(&mut self, now_ms: f64) -> bool {
        let open = self
            .last_ms
            .is_none_or(|last| now_ms - last >= self.window_ms);
        if open {
            self.last_ms = Some(now_ms);
        }
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presses_inside_the_window_are_ignored() {
        let mut c = Cooldown::new(5_000.0);
        assert!(c.accept(1_000.0));
        assert!(!c.accept(1_200.0));
        assert!(!c.accept(5_999.0));
        assert!(c.accept(6_000.0));
        assert!(!c.accept(6_001.0));
    }
}
