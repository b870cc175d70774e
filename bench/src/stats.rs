//! Latency samples summed up: count, median, 99th percentile, maximum and mean, in milliseconds.

use serde_json::{Value, json};

/// A summary of latency samples, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

impl Summary {
    /// Summarises samples given in microseconds; `None` when there are none.
    pub fn of_micros(samples: &mut [u32]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let ms = |us: u32| f64::from(us) / 1000.0;
        let sum: f64 = samples.iter().map(|&us| f64::from(us)).sum();
        Some(Summary {
            count: samples.len(),
            p50: ms(samples[rank(samples.len(), 50.0)]),
            p99: ms(samples[rank(samples.len(), 99.0)]),
            max: ms(samples[samples.len() - 1]),
            mean: sum / samples.len() as f64 / 1000.0,
        })
    }

    /// Summarises samples given in milliseconds; `None` when there are none.
    pub fn of_millis(samples: &[f64]) -> Option<Summary> {
        let mut micros: Vec<u32> = samples
            .iter()
            .map(|ms| (ms.max(0.0) * 1000.0).round().min(f64::from(u32::MAX)) as u32)
            .collect();
        Summary::of_micros(&mut micros)
    }

    /// The summary as a JSON object (`count`, `p50_ms`, `p99_ms`, `max_ms`, `mean_ms`).
    pub fn to_json(self) -> Value {
        json!({
            "count": self.count,
            "p50_ms": round3(self.p50),
            "p99_ms": round3(self.p99),
            "max_ms": round3(self.max),
            "mean_ms": round3(self.mean),
        })
    }
}

/// A summary as JSON, or `null` when there were no samples.
pub fn json_or_null(summary: Option<Summary>) -> Value {
    summary.map_or(Value::Null, Summary::to_json)
}

/// The index of the `p`th percentile in `len` sorted samples, by the nearest-rank method.
pub fn rank(len: usize, p: f64) -> usize {
    if len == 0 {
        return 0;
    }
    let rank = (p / 100.0 * len as f64).ceil() as usize;
    rank.clamp(1, len) - 1
}

/// The median of some values (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// A number rounded to three decimals, for JSON that people read.
pub fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        assert_eq!(rank(100, 50.0), 49);
        assert_eq!(rank(100, 99.0), 98);
        assert_eq!(rank(100, 100.0), 99);
        assert_eq!(rank(1, 99.0), 0);
        assert_eq!(rank(3, 50.0), 1);
        assert_eq!(rank(0, 50.0), 0);
    }

    #[test]
    fn summary_of_one_to_a_hundred_milliseconds() {
        let mut micros: Vec<u32> = (1..=100).rev().map(|ms| ms * 1000).collect();
        let summary = Summary::of_micros(&mut micros).expect("samples");
        assert_eq!(summary.count, 100);
        assert_eq!(summary.p50, 50.0);
        assert_eq!(summary.p99, 99.0);
        assert_eq!(summary.max, 100.0);
        assert!((summary.mean - 50.5).abs() < 1e-9);
        assert!(Summary::of_micros(&mut []).is_none());
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }
}
