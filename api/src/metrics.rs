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

/// One event of the live stream, `GET /api/v1/metrics/stream`, as an `EventSource` reads
/// it (the OpenAPI document's schema of each Server-Sent Event).
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
pub struct StreamEvent {
    /// Which figures the event carries.
    pub event: StreamEventName,
    /// Rises with every event; sent back as `Last-Event-ID` on reconnecting, to replay what
    /// was missed.
    #[schema(pattern = "^[0-9]+$")]
    pub id: String,
    /// JSON: a `Metrics` for `metrics`, every `Topic` with its tally (an array) for `topics`.
    pub data: String,
    /// How long a client waits before reconnecting, in milliseconds.
    pub retry: Option<u64>,
}

/// The kinds of live-stream events.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum StreamEventName {
    /// After every change of the figures (and first, on connecting).
    Metrics,
    /// After every vote (and first, on connecting).
    Topics,
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

    #[test]
    fn rate_of_nothing_is_none() {
        assert_eq!(rate(0, 0), None);
    }
}
