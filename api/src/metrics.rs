//! The live satisfaction figures, every one computed by the backend from stored rows.
//!
//! Definitions (all rates are fractions in `0.0..=1.0`, `None` with no data):
//! - satisfaction = ratings of level 4–5 ÷ all ratings;
//! - bad-review = ratings of level 1–2 ÷ all ratings;
//! - response = issues past `received` ÷ issues collected;
//! - resolution = issues `resolved` ÷ issues collected.

use serde::{Deserialize, Serialize};

/// A snapshot of every figure, as of `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metrics {
    /// Satisfaction rate: ratings at level 4 or 5 (satisfied, very satisfied)
    /// ÷ all ratings, as a fraction 0–1; null when there are no ratings.
    pub satisfaction_rate: Option<f64>,
    /// Bad-review rate: ratings at level 1 or 2 (dissatisfied, very
    /// dissatisfied) ÷ all ratings, 0–1; null when there are no ratings.
    pub bad_review_rate: Option<f64>,
    /// Response rate: issues whose status is past `received` (accepted, in
    /// progress or resolved) ÷ issues collected, 0–1; null when there are none.
    pub response_rate: Option<f64>,
    /// Resolution rate: issues `resolved` ÷ issues collected, 0–1; null when
    /// there are none.
    pub resolution_rate: Option<f64>,
    /// Issues collected: every issue ever stored, whatever its status.
    pub issues_collected: i64,
    /// Issues solved: issues whose status is `resolved`.
    pub issues_solved: i64,
    /// Every rating ever stored.
    pub ratings_total: i64,
    /// Ratings stored since 00:00 today, Beijing time (UTC+8).
    pub ratings_today: i64,
    /// Ratings at level 4 or 5: the part of `satisfaction_rate`.
    #[serde(default)]
    pub ratings_satisfied: i64,
    /// Ratings at level 1 or 2: the part of `bad_review_rate`.
    #[serde(default)]
    pub ratings_bad: i64,
    /// Issues whose status is past `received`: the part of `response_rate`.
    #[serde(default)]
    pub issues_responded: i64,
    /// Units by satisfaction rate (among ratings naming the unit), best first;
    /// ties by more ratings, then by name.
    pub ranking: Vec<UnitScore>,
    /// One point a day (Beijing time), oldest first, for the last 30 days up to today.
    pub trend: Vec<DayPoint>,
    /// When it was computed (Unix seconds).
    pub as_of: i64,
}

/// One unit's standing in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitScore {
    /// The hosting unit the ratings name.
    pub unit: String,
    /// Ratings naming this unit.
    pub ratings: i64,
    /// Of those, the share at level 4 or 5, 0–1.
    pub satisfaction_rate: f64,
}

/// One day of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayPoint {
    /// The day, as `YYYY-MM-DD` (UTC+8, the service's local day).
    pub day: String,
    /// Ratings stored that day.
    pub ratings: i64,
    /// That day's ratings at level 4 or 5 ÷ that day's ratings, 0–1; null on a day without ratings.
    pub satisfaction_rate: Option<f64>,
}

/// The figures any change may move: the rates and counters of [`Metrics`], without its
/// ranking and trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Headline {
    /// As [`Metrics::satisfaction_rate`].
    pub satisfaction_rate: Option<f64>,
    /// As [`Metrics::bad_review_rate`].
    pub bad_review_rate: Option<f64>,
    /// As [`Metrics::response_rate`].
    pub response_rate: Option<f64>,
    /// As [`Metrics::resolution_rate`].
    pub resolution_rate: Option<f64>,
    /// As [`Metrics::issues_collected`].
    pub issues_collected: i64,
    /// As [`Metrics::issues_solved`].
    pub issues_solved: i64,
    /// As [`Metrics::ratings_total`].
    pub ratings_total: i64,
    /// As [`Metrics::ratings_today`].
    pub ratings_today: i64,
    /// As [`Metrics::ratings_satisfied`].
    #[serde(default)]
    pub ratings_satisfied: i64,
    /// As [`Metrics::ratings_bad`].
    #[serde(default)]
    pub ratings_bad: i64,
    /// As [`Metrics::issues_responded`].
    #[serde(default)]
    pub issues_responded: i64,
    /// When it was computed (Unix seconds).
    pub as_of: i64,
}

/// One change of the figures, as an `update` event of the live stream carries it: the
/// headline always, today's trend point when it moved, the ranking when it changed. Each part
/// replaces the one it names, so a client applies it to the last snapshot it holds
/// ([`Metrics::apply`]). A change that moves the trend otherwise (a new day) is sent as a whole
/// `metrics` snapshot instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetricsUpdate {
    /// The rates and counters, always.
    pub headline: Headline,
    /// Today's trend point, when it moved: it replaces the point of the same day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today: Option<DayPoint>,
    /// The whole ranking, when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<Vec<UnitScore>>,
}

impl Metrics {
    /// The rates and counters of this snapshot.
    pub fn headline(&self) -> Headline {
        Headline {
            satisfaction_rate: self.satisfaction_rate,
            bad_review_rate: self.bad_review_rate,
            response_rate: self.response_rate,
            resolution_rate: self.resolution_rate,
            issues_collected: self.issues_collected,
            issues_solved: self.issues_solved,
            ratings_total: self.ratings_total,
            ratings_today: self.ratings_today,
            ratings_satisfied: self.ratings_satisfied,
            ratings_bad: self.ratings_bad,
            issues_responded: self.issues_responded,
            as_of: self.as_of,
        }
    }

    /// The update that turns this snapshot into `next`; `None` when the trend moved other
    /// than at its last point (a new day began), so only the whole of `next` will do.
    pub fn update_to(&self, next: &Metrics) -> Option<MetricsUpdate> {
        let today = match (self.trend.split_last(), next.trend.split_last()) {
            (Some((old, old_days)), Some((new, new_days))) if old_days == new_days => {
                if old.day != new.day {
                    return None;
                }
                (old != new).then(|| new.clone())
            }
            (None, None) => None,
            _ => return None,
        };
        Some(MetricsUpdate {
            headline: next.headline(),
            today,
            ranking: (self.ranking != next.ranking).then(|| next.ranking.clone()),
        })
    }

    /// Applies one live update: its headline, its trend point (replacing the point of the
    /// same day, or added as the newest with the oldest dropped) and its ranking.
    pub fn apply(&mut self, update: MetricsUpdate) {
        let Headline {
            satisfaction_rate,
            bad_review_rate,
            response_rate,
            resolution_rate,
            issues_collected,
            issues_solved,
            ratings_total,
            ratings_today,
            ratings_satisfied,
            ratings_bad,
            issues_responded,
            as_of,
        } = update.headline;
        self.satisfaction_rate = satisfaction_rate;
        self.bad_review_rate = bad_review_rate;
        self.response_rate = response_rate;
        self.resolution_rate = resolution_rate;
        self.issues_collected = issues_collected;
        self.issues_solved = issues_solved;
        self.ratings_total = ratings_total;
        self.ratings_today = ratings_today;
        self.ratings_satisfied = ratings_satisfied;
        self.ratings_bad = ratings_bad;
        self.issues_responded = issues_responded;
        self.as_of = as_of;
        if let Some(point) = update.today {
            match self.trend.iter_mut().find(|p| p.day == point.day) {
                Some(same_day) => *same_day = point,
                None => {
                    if !self.trend.is_empty() {
                        self.trend.remove(0);
                    }
                    self.trend.push(point);
                }
            }
        }
        if let Some(ranking) = update.ranking {
            self.ranking = ranking;
        }
    }
}

/// The kinds of live-stream events, `GET /api/v1/metrics/stream`: each names its `event:`
/// field and what its `data:` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(rename_all = "snake_case"))]
pub enum StreamEventName {
    /// A whole [`Metrics`] snapshot: first on connecting (and reconnecting), after a client
    /// fell behind, and when a new day moves the whole trend.
    Metrics,
    /// A [`MetricsUpdate`] after every other change of the figures.
    Update,
    /// Every `Topic` with its tally (an array): first on connecting, then after every vote.
    Topics,
}

impl StreamEventName {
    /// Every kind.
    pub const ALL: [StreamEventName; 3] = [
        StreamEventName::Metrics,
        StreamEventName::Update,
        StreamEventName::Topics,
    ];

    /// The `event:` field.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamEventName::Metrics => "metrics",
            StreamEventName::Update => "update",
            StreamEventName::Topics => "topics",
        }
    }
}

/// One event of the live stream, `GET /api/v1/metrics/stream`, as an `EventSource` reads
/// it (the OpenAPI document's schema of each Server-Sent Event).
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
pub struct StreamEvent {
    /// Which figures the event carries.
    pub event: StreamEventName,
    /// Rises with every event; sent back as `Last-Event-ID` on reconnecting, to get the
    /// current snapshot and the tally frames missed.
    #[schema(pattern = "^[0-9]+$")]
    pub id: String,
    /// JSON: a `Metrics` for `metrics`, a `MetricsUpdate` for `update`, every `Topic` with its
    /// tally (an array) for `topics`.
    pub data: String,
    /// How long a client waits before reconnecting, in milliseconds.
    pub retry: Option<u64>,
}

/// A rate as a fraction, `None` when there is nothing to divide by.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A rate as a percentage with one decimal, for display: `0.8807` → `88.1`.
///
/// Integer arithmetic after one rounding: float formatting would add about 10 KB to the widget.
pub fn percent(rate: f64) -> String {
    let tenths = (rate * 1000.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_resolution_rate_is_88_1_percent() {
        let r = rate(3645, 4139).unwrap_or_default();
        assert_eq!(percent(r), "88.1");
    }

    #[test]
    fn percent_rounds_to_one_decimal() {
        assert_eq!(percent(0.0), "0.0");
        assert_eq!(percent(1.0), "100.0");
        assert_eq!(percent(0.12345), "12.3");
        assert_eq!(percent(0.99996), "100.0");
        assert_eq!(percent(-0.005), "-0.5");
    }

    fn point(day: &str, ratings: i64) -> DayPoint {
        DayPoint {
            day: day.to_owned(),
            ratings,
            satisfaction_rate: rate(ratings / 2, ratings),
        }
    }

    fn snapshot(ratings_today: i64, ranking: &[(&str, i64)], trend: &[(&str, i64)]) -> Metrics {
        Metrics {
            satisfaction_rate: rate(3, 4),
            bad_review_rate: Some(0.1),
            response_rate: None,
            resolution_rate: None,
            issues_collected: 10,
            issues_solved: 4,
            ratings_total: 100 + ratings_today,
            ratings_today,
            ratings_satisfied: 80 + ratings_today,
            ratings_bad: 5,
            issues_responded: 9,
            ranking: ranking
                .iter()
                .map(|(unit, ratings)| UnitScore {
                    unit: (*unit).to_owned(),
                    ratings: *ratings,
                    satisfaction_rate: 0.5,
                })
                .collect(),
            trend: trend.iter().map(|(day, n)| point(day, *n)).collect(),
            as_of: 1_000 + ratings_today,
        }
    }

    #[test]
    fn an_update_applied_to_the_old_snapshot_gives_the_new_one() {
        let old = snapshot(5, &[("a", 3)], &[("2026-11-29", 9), ("2026-11-30", 5)]);
        let cases = [
            // A rating naming no unit: the headline and today's point.
            snapshot(6, &[("a", 3)], &[("2026-11-29", 9), ("2026-11-30", 6)]),
            // A rating naming a unit: the ranking too.
            snapshot(6, &[("a", 4)], &[("2026-11-29", 9), ("2026-11-30", 6)]),
            // An issue: the headline only.
            Metrics {
                issues_collected: 11,
                ..old.clone()
            },
        ];
        for new in cases {
            let update = old.update_to(&new).expect("same day");
            assert_eq!(update.ranking.is_some(), old.ranking != new.ranking);
            assert_eq!(update.today.is_some(), old.trend != new.trend);
            let mut merged = old.clone();
            merged.apply(update);
            assert_eq!(merged, new);
        }
    }

    #[test]
    fn a_new_day_needs_the_whole_snapshot() {
        let old = snapshot(5, &[], &[("2026-11-29", 9), ("2026-11-30", 5)]);
        let new = snapshot(0, &[], &[("2026-11-30", 5), ("2026-12-01", 0)]);
        assert_eq!(old.update_to(&new), None);
        let shorter = snapshot(0, &[], &[("2026-11-30", 5)]);
        assert_eq!(old.update_to(&shorter), None);
    }

    #[test]
    fn a_point_of_another_day_is_added_as_the_newest() {
        let mut held = snapshot(5, &[], &[("2026-11-29", 9), ("2026-11-30", 5)]);
        let update = MetricsUpdate {
            headline: held.headline(),
            today: Some(point("2026-12-01", 1)),
            ranking: None,
        };
        held.apply(update);
        let days: Vec<&str> = held.trend.iter().map(|p| p.day.as_str()).collect();
        assert_eq!(days, ["2026-11-30", "2026-12-01"]);
    }

    #[test]
    fn an_update_leaves_out_the_parts_that_did_not_change() {
        let old = snapshot(5, &[("a", 3)], &[("2026-11-30", 5)]);
        let new = Metrics {
            issues_collected: 11,
            ..old.clone()
        };
        let text =
            serde_json::to_string(&old.update_to(&new).expect("same day")).expect("serialises");
        assert!(
            !text.contains("\"ranking\"") && !text.contains("\"today\""),
            "{text}"
        );
        let back: MetricsUpdate = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back.headline.issues_collected, 11);
    }

    #[test]
    fn every_stream_event_has_its_own_name() {
        let names: Vec<&str> = StreamEventName::ALL.iter().map(|e| e.as_str()).collect();
        assert_eq!(names, ["metrics", "update", "topics"]);
    }

    #[test]
    fn rate_of_nothing_is_none() {
        assert_eq!(rate(0, 0), None);
    }
}
