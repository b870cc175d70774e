//! A drawn face for each satisfaction level: the mouth curves with the score,
//! so the level reads without colour (the label says it in words too).

use leptos::prelude::*;

/// The mouth's path for a score from 1 (worst) to 5 (best).
pub fn mouth_path(score: i32) -> String {
    // Control point of a quadratic curve: below the corners smiles, above frowns.
    let bend = (score - 3) * 9;
    format!("M 18 40 Q 32 {} 46 40", 40 + bend)
}

/// An SVG face, hidden from screen readers (the button's text names the level).
#[component]
pub fn Face(
    /// The level's score, 1 to 5.
    score: i32,
) -> impl IntoView {
    view! {
        <svg viewBox="0 0 64 64" width="72" height="72" aria-hidden="true" focusable="false">
            <circle cx="32" cy="32" r="29" fill="var(--omk-face-bg)" stroke="currentColor" stroke-width="3" />
            <circle cx="22" cy="26" r="4" fill="currentColor" />
            <circle cx="42" cy="26" r="4" fill="currentColor" />
            <path d=mouth_path(score) fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mouth_smiles_for_good_and_frowns_for_bad() {
        assert_eq!(mouth_path(5), "M 18 40 Q 32 58 46 40");
        assert_eq!(mouth_path(3), "M 18 40 Q 32 40 46 40");
        assert_eq!(mouth_path(1), "M 18 40 Q 32 22 46 40");
    }
}
