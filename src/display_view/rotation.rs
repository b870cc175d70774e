//! The hall display's rotation as plain data: which panel follows which (skipping those with
//! nothing to show), and where the layout and its header sit at each step, so nothing stays
//! in one place long enough to mark the screen.

/// The panel shown first: the first in order that has something to show.
pub fn first(ready: &[bool]) -> Option<usize> {
    ready.iter().position(|r| *r)
}

/// The panel after `current`: the next in order that has something to show, wrapping round;
/// `current` itself when no other has; `None` when no panel has anything to show.
pub fn next(current: usize, ready: &[bool]) -> Option<usize> {
    let n = ready.len();
    (1..=n)
        .map(|k| (current + k) % n)
        .find(|&i| ready.get(i).copied().unwrap_or(false))
}

/// A slow loop of layout offsets, in CSS pixels: a few pixels each way, one step a panel.
const DRIFT: [(i32, i32); 8] = [
    (0, 0),
    (4, -2),
    (6, 3),
    (2, 6),
    (-3, 4),
    (-6, 0),
    (-4, -5),
    (1, -6),
];

/// How far (x, y) the whole layout is moved at `step`, in CSS pixels.
pub fn drift(step: u64) -> (i32, i32) {
    DRIFT[(step % DRIFT.len() as u64) as usize]
}

/// Whether the header (title, clock, age of the figures) sits below the panels at `step`: it
/// changes place once a round of `panels` panels, so its text never stays in one place.
pub fn header_below(step: u64, panels: usize) -> bool {
    (step / panels.max(1) as u64) % 2 == 1
}

/// The largest move between two steps in a row, in CSS pixels: small enough to go unseen
/// from across a hall.
pub const MAX_STEP_PX: i32 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rotation_visits_every_panel_with_something_to_show_in_order() {
        let ready = [true, false, true, true, false];
        assert_eq!(first(&ready), Some(0));
        assert_eq!(next(0, &ready), Some(2));
        assert_eq!(next(2, &ready), Some(3));
        assert_eq!(next(3, &ready), Some(0));
        // A panel that lost its content is left for the next one.
        assert_eq!(next(1, &ready), Some(2));
    }

    #[test]
    fn a_lone_panel_stays_and_nothing_to_show_is_none() {
        assert_eq!(next(2, &[false, false, true]), Some(2));
        assert_eq!(next(0, &[false, false]), None);
        assert_eq!(first(&[false, false]), None);
        assert_eq!(next(0, &[]), None);
    }

    #[test]
    fn the_layout_moves_a_few_pixels_every_step_and_comes_back() {
        let mut seen = std::collections::HashSet::new();
        for step in 0..16u64 {
            let (x, y) = drift(step);
            let (nx, ny) = drift(step + 1);
            assert!(x.abs() <= MAX_STEP_PX && y.abs() <= MAX_STEP_PX, "{step}");
            assert_ne!((x, y), (nx, ny), "the layout moves at every step");
            assert!((x - nx).abs() <= 2 * MAX_STEP_PX);
            seen.insert((x, y));
        }
        assert_eq!(seen.len(), DRIFT.len());
        assert_eq!(drift(0), drift(DRIFT.len() as u64));
    }

    #[test]
    fn the_header_changes_place_once_a_round() {
        let places: Vec<bool> = (0..10).map(|s| header_below(s, 5)).collect();
        assert_eq!(
            places,
            [
                false, false, false, false, false, true, true, true, true, true
            ]
        );
        assert!(!header_below(10, 5));
        assert!(header_below(1, 0), "no panels: still moves");
    }
}
