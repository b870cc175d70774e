//! The score that ranks a month's candidates: four components (representatives' votes,
//! public votes, 12345 hotline calls in the candidate's category, proposals linked to it),
//! each divided by the shortlist's largest value of that component (0 when that largest
//! value is 0), times its weight (whole percentages summing to 100), summed: a score from
//! 0 to 100. One pure function, used by the server, the widget, the console and the tests.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// The four weights, whole percentages summing to 100: `PUT /admin/cycles/{month}/weights`,
/// accepted until voting opens (409 `weights-locked` after).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weights {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    #[serde(deserialize_with = "crate::numbers::whole")]
    pub representatives: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    #[serde(deserialize_with = "crate::numbers::whole")]
    pub public: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    #[serde(deserialize_with = "crate::numbers::whole")]
    pub hotline: u8,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    #[serde(deserialize_with = "crate::numbers::whole")]
    pub proposals: u8,
}

impl Weights {
    /// Refuses weights that do not sum to 100 (`weights`, `sum_not_100`).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        if self.as_array().iter().sum::<i64>() == 100 {
            Ok(())
        } else {
            Err(vec![FieldError::new("weights", "sum_not_100")])
        }
    }

    /// Representatives, public, hotline, proposals.
    pub fn as_array(&self) -> [i64; 4] {
        [
            i64::from(self.representatives),
            i64::from(self.public),
            i64::from(self.hotline),
            i64::from(self.proposals),
        ]
    }

    /// The weights of `[representatives, public, hotline, proposals]`, if each fits.
    pub fn from_array(values: [i64; 4]) -> Option<Weights> {
        let [r, p, h, q] = values.map(|v| u8::try_from(v).ok());
        Some(Weights {
            representatives: r?,
            public: p?,
            hotline: h?,
            proposals: q?,
        })
    }
}

/// A candidate's four counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Components {
    pub representatives: i64,
    pub public: i64,
    pub hotline: i64,
    pub proposals: i64,
}

impl Components {
    fn as_array(&self) -> [i64; 4] {
        [
            self.representatives,
            self.public,
            self.hotline,
            self.proposals,
        ]
    }
}

/// One component of a score: the candidate's count, the shortlist's largest, the weight and
/// the points it gives (`weight × count / largest`, 0 when the largest is 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScorePart {
    pub count: i64,
    pub largest: i64,
    pub weight: i64,
    pub points: f64,
}

/// A candidate's score with its parts; rounded to hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    pub representatives: ScorePart,
    pub public: ScorePart,
    pub hotline: ScorePart,
    pub proposals: ScorePart,
    /// The sum of the parts' points, 0 to 100, rounded to hundredths.
    pub score: f64,
}

impl Score {
    /// The score in whole hundredths, as it is stored when frozen.
    pub fn hundredths(&self) -> i64 {
        (self.score * 100.0).round() as i64
    }
}

fn hundredths(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The score of every candidate of a shortlist, in the order given.
pub fn scores(weights: &Weights, shortlist: &[Components]) -> Vec<Score> {
    let mut largest = [0i64; 4];
    for candidate in shortlist {
        for (max, value) in largest.iter_mut().zip(candidate.as_array()) {
            *max = (*max).max(value);
        }
    }
    let weight = weights.as_array();
    shortlist
        .iter()
        .map(|candidate| {
            let counts = candidate.as_array();
            let parts: Vec<ScorePart> = (0..4)
                .map(|i| {
                    let points = if largest[i] > 0 {
                        weight[i] as f64 * counts[i] as f64 / largest[i] as f64
                    } else {
                        0.0
                    };
                    ScorePart {
                        count: counts[i],
                        largest: largest[i],
                        weight: weight[i],
                        points: hundredths(points),
                    }
                })
                .collect();
            let total: f64 = (0..4)
                .map(|i| {
                    if largest[i] > 0 {
                        weight[i] as f64 * counts[i] as f64 / largest[i] as f64
                    } else {
                        0.0
                    }
                })
                .sum();
            Score {
                representatives: parts[0],
                public: parts[1],
                hotline: parts[2],
                proposals: parts[3],
                score: hundredths(total),
            }
        })
        .collect()
}

/// The positions of the top score (every candidate tied for it); none for an empty list.
pub fn top(scores: &[Score]) -> Vec<usize> {
    let best = scores.iter().map(Score::hundredths).max();
    scores
        .iter()
        .enumerate()
        .filter(|(_, s)| Some(s.hundredths()) == best)
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEIGHTS: Weights = Weights {
        representatives: 40,
        public: 30,
        hotline: 20,
        proposals: 10,
    };

    fn counts(representatives: i64, public: i64, hotline: i64, proposals: i64) -> Components {
        Components {
            representatives,
            public,
            hotline,
            proposals,
        }
    }

    #[test]
    fn each_component_is_divided_by_the_shortlists_largest_and_weighted() {
        let scored = scores(&WEIGHTS, &[counts(6, 30, 120, 3), counts(8, 20, 60, 5)]);
        // A: 40×6/8 + 30×30/30 + 20×120/120 + 10×3/5 = 30 + 30 + 20 + 6 = 86.
        assert_eq!(scored[0].score, 86.0);
        assert_eq!(
            [
                scored[0].representatives.points,
                scored[0].public.points,
                scored[0].hotline.points,
                scored[0].proposals.points
            ],
            [30.0, 30.0, 20.0, 6.0]
        );
        assert_eq!(scored[0].representatives.largest, 8);
        // B: 40×8/8 + 30×20/30 + 20×60/120 + 10×5/5 = 40 + 20 + 10 + 10 = 80.
        assert_eq!(scored[1].score, 80.0);
        assert_eq!(top(&scored), [0]);
    }

    #[test]
    fn a_component_nobody_has_gives_nothing_and_thirds_round_to_hundredths() {
        let scored = scores(&WEIGHTS, &[counts(1, 0, 0, 0), counts(3, 0, 0, 0)]);
        // 40×1/3 = 13.333… → 13.33; 40×3/3 = 40.
        assert_eq!(scored[0].score, 13.33);
        assert_eq!(scored[1].score, 40.0);
        assert_eq!(scored[0].public.points, 0.0);
        assert_eq!(scored[0].public.largest, 0);
        let tied = scores(&WEIGHTS, &[counts(2, 0, 0, 0), counts(2, 0, 0, 0)]);
        assert_eq!(top(&tied), [0, 1]);
        assert!(scores(&WEIGHTS, &[]).is_empty());
    }

    #[test]
    fn weights_sum_to_a_hundred() {
        assert!(WEIGHTS.validate().is_ok());
        let off = Weights {
            proposals: 11,
            ..WEIGHTS
        };
        assert_eq!(
            crate::refusals(&off.validate()),
            [("weights", "sum_not_100")]
        );
    }
}
