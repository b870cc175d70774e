//! The score table's text: points to hundredths, each part as its formula
//! (`weight × count ÷ largest`), and the candidates at the top score marked.

use omk_api::cycle::score::top;
use omk_api::{Score, ScorePart};

/// Points as shown, always with two decimals (`37.50`).
pub fn points(value: f64) -> String {
    format!("{value:.2}")
}

/// One part of a score as its formula and result: `40 × 12 ÷ 30 = 16.00`
/// (`0 × … = 0.00` when nobody counted, the largest being 0).
pub fn part(part: &ScorePart) -> String {
    format!(
        "{} × {} ÷ {} = {}",
        part.weight,
        part.count,
        part.largest,
        points(part.points)
    )
}

/// Whether each candidate (in order) has the top score; all false without scores.
pub fn top_marks(scores: &[Option<Score>]) -> Vec<bool> {
    let known: Option<Vec<Score>> = scores.iter().cloned().collect();
    match known {
        Some(known) => {
            let tops = top(&known);
            (0..scores.len()).map(|i| tops.contains(&i)).collect()
        }
        None => vec![false; scores.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part_of(weight: i64, count: i64, largest: i64, points: f64) -> ScorePart {
        ScorePart {
            count,
            largest,
            weight,
            points,
        }
    }

    #[test]
    fn points_keep_two_decimals() {
        assert_eq!(points(37.5), "37.50");
        assert_eq!(points(0.0), "0.00");
        assert_eq!(points(100.0), "100.00");
        assert_eq!(points(33.333), "33.33");
    }

    #[test]
    fn a_part_reads_as_its_formula() {
        assert_eq!(part(&part_of(40, 12, 30, 16.0)), "40 × 12 ÷ 30 = 16.00");
        assert_eq!(part(&part_of(20, 0, 0, 0.0)), "20 × 0 ÷ 0 = 0.00");
    }

    #[test]
    fn without_scores_nobody_is_on_top() {
        assert_eq!(top_marks(&[None, None]), [false, false]);
        assert!(top_marks(&[]).is_empty());
    }
}
