//! Idle detection for unattended kiosks: after the timeout a visitor is asked
//! "still there?" with a countdown, and when it runs out the session resets.

/// Where an idle kiosk stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdlePhase {
    /// Someone is using it.
    Active,
    /// Idle past the timeout: the warning shows with whole seconds left.
    Warning { secs_left: u32 },
    /// The countdown ran out: wipe and return to the attract screen.
    Expired,
}

/// The idle policy: how long until the warning, and how long the warning lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdlePolicy {
    pub timeout_secs: u32,
    pub warning_secs: u32,
}

impl Default for IdlePolicy {
    fn default() -> Self {
        IdlePolicy {
            timeout_secs: 60,
            warning_secs: 15,
        }
    }
}

impl IdlePolicy {
    /// The phase after `idle_ms` milliseconds without input.
    pub fn phase(&self, idle_ms: f64) -> IdlePhase {
        let idle = (idle_ms.max(0.0) / 1000.0) as u64;
        let timeout = u64::from(self.timeout_secs);
        let end = timeout + u64::from(self.warning_secs);
        if idle < timeout {
            IdlePhase::Active
        } else if idle < end {
            IdlePhase::Warning {
                secs_left: (end - idle) as u32,
            }
        } else {
            IdlePhase::Expired
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_then_warning_with_countdown_then_expired() {
        let p = IdlePolicy::default();
        assert_eq!(p.phase(0.0), IdlePhase::Active);
        assert_eq!(p.phase(59_999.0), IdlePhase::Active);
        assert_eq!(p.phase(60_000.0), IdlePhase::Warning { secs_left: 15 });
        assert_eq!(p.phase(74_500.0), IdlePhase::Warning { secs_left: 1 });
        assert_eq!(p.phase(75_000.0), IdlePhase::Expired);
    }
}
