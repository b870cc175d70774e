//! Numbers as they travel. JSON has one number type, and JSON Schema's `integer` takes `3`,
//! `3.0` and `3e0` alike: a body's whole numbers are read in any of these forms, within
//! ±(2^53 − 1), the whole numbers every JSON parser keeps exactly (beyond them `3.0`-style
//! numbers are rounded, and an out-of-range integer could pass for one in range). A query's
//! page numbers are refused outside their range (a 400), never quietly clamped, so what the
//! contract states is what is served.

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The largest whole number a body may carry, either way from zero: 2^53 − 1.
pub const MAX_EXACT: i64 = 9_007_199_254_740_991;

/// The highest page number a list takes.
pub const MAX_PAGE: u32 = 100_000;

/// A whole JSON number, however written.
struct Whole(i64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WholeVisitor).map(Whole)
    }
}

struct WholeVisitor;

impl Visitor<'_> for WholeVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a whole number within ±(2^53 − 1)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        if (-MAX_EXACT..=MAX_EXACT).contains(&v) {
            Ok(v)
        } else {
            Err(E::custom("out of range"))
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v)
            .map_err(|_| E::custom("out of range"))
            .and_then(|v| self.visit_i64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // Within ±(2^53 − 1) every whole f64 is exact, so the cast loses nothing.
        let limit = MAX_EXACT as f64;
        if v.fract() == 0.0 && (-limit..=limit).contains(&v) {
            Ok(v as i64)
        } else {
            Err(E::custom("not a whole number in range"))
        }
    }
}

/// A whole number of a body (`#[serde(deserialize_with = "…")]`), in `T`'s range.
pub fn whole<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    let Whole(value) = Whole::deserialize(deserializer)?;
    T::try_from(value).map_err(|_| de::Error::custom("out of range"))
}

/// An optional whole number of a body; `null` or absent is `None`.
pub fn optional_whole<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64>,
{
    Option::<Whole>::deserialize(deserializer)?
        .map(|Whole(value)| T::try_from(value).map_err(|_| de::Error::custom("out of range")))
        .transpose()
}

/// A page number of a query: 1 to [`MAX_PAGE`].
pub fn page<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    within(deserializer, 1, MAX_PAGE)
}

/// A page size of a query: 1 to `MAX`.
pub fn per_page<'de, D: Deserializer<'de>, const MAX: u32>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    within(deserializer, 1, MAX)
}

fn within<'de, D: Deserializer<'de>>(
    deserializer: D,
    min: u32,
    max: u32,
) -> Result<Option<u32>, D::Error> {
    match Option::<u32>::deserialize(deserializer)? {
        Some(n) if !(min..=max).contains(&n) => {
            Err(de::Error::custom(format!("{n} is outside {min} to {max}")))
        }
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::whole")]
        seats: u32,
        #[serde(default, deserialize_with = "super::optional_whole")]
        ms: Option<u64>,
    }

    fn seats(json: &str) -> Option<u32> {
        serde_json::from_str::<Body>(json).ok().map(|b| b.seats)
    }

    #[test]
    fn whole_numbers_come_in_any_notation() {
        assert_eq!(seats(r#"{"seats": 3}"#), Some(3));
        assert_eq!(seats(r#"{"seats": 3.0}"#), Some(3));
        assert_eq!(seats(r#"{"seats": 3e0}"#), Some(3));
        assert_eq!(seats(r#"{"seats": 3.5}"#), None);
        assert_eq!(seats(r#"{"seats": "3"}"#), None);
        assert_eq!(seats(r#"{"seats": -1}"#), None);
        assert_eq!(seats(r#"{"seats": 4294967296}"#), None);
        assert_eq!(seats(r#"{"seats": null}"#), None);
    }

    #[test]
    fn optional_whole_numbers_stay_within_what_json_keeps_exactly() {
        let ms = |json: &str| serde_json::from_str::<Body>(json).ok().map(|b| b.ms);
        assert_eq!(ms(r#"{"seats": 1}"#), Some(None));
        assert_eq!(ms(r#"{"seats": 1, "ms": null}"#), Some(None));
        assert_eq!(ms(r#"{"seats": 1, "ms": 2500.0}"#), Some(Some(2500)));
        assert_eq!(
            ms(r#"{"seats": 1, "ms": 9007199254740991}"#),
            Some(Some(9_007_199_254_740_991))
        );
        assert_eq!(ms(r#"{"seats": 1, "ms": 9007199254740992}"#), None);
        assert_eq!(ms(r#"{"seats": 1, "ms": 9007199254740992.0}"#), None);
        assert_eq!(ms(r#"{"seats": 1, "ms": 9223372036854775808}"#), None);
        assert_eq!(ms(r#"{"seats": 1, "ms": 1e30}"#), None);
    }
}
