//! Open-month events: the program a kiosk shows, and how to ask for a page of it.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;

/// One open-month activity (an open day, a visit, a hearing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i64,
    pub title: String,
    /// The hosting unit, for example 聊城市生态环境局.
    pub unit: String,
    /// The district or county, for example 东昌府区.
    pub district: String,
    pub theme: String,
    pub place: String,
    /// Start, in Unix seconds (UTC).
    pub starts_at: i64,
    /// End, in Unix seconds (UTC).
    pub ends_at: i64,
    pub capacity: i32,
    pub registered: i32,
    /// Whether the event takes registrations.
    pub registration: bool,
    pub summary: String,
}

/// Where an event stands relative to a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Past,
    Now,
    Upcoming,
}

impl Event {
    /// Where this event stands at `now` (Unix seconds).
    pub fn phase(&self, now: i64) -> Phase {
        if now >= self.ends_at {
            Phase::Past
        } else if now >= self.starts_at {
            Phase::Now
        } else {
            Phase::Upcoming
        }
    }

    /// Seats still free; zero for events without registration.
    pub fn seats_left(&self) -> i32 {
        if self.registration {
            (self.capacity - self.registered).max(0)
        } else {
            0
        }
    }
}

/// A page of events, with the total that matched the filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPage {
    pub items: Vec<Event>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

/// The distinct values the event filters can take, for building the filter menus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventFacets {
    /// Hosting units, sorted.
    pub units: Vec<String>,
    /// Districts and counties, sorted.
    pub districts: Vec<String>,
    /// Themes, sorted.
    pub themes: Vec<String>,
}

/// A registration for an event, made at a kiosk: seats only, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRegistration {
    /// How many seats, `1..=MAX_SEATS`; one when absent.
    #[serde(
        default = "NewRegistration::one",
        deserialize_with = "crate::numbers::whole"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5, default = 1))]
    pub seats: u32,
}

impl Default for NewRegistration {
    fn default() -> Self {
        NewRegistration { seats: 1 }
    }
}

impl NewRegistration {
    /// The most seats one registration may take.
    pub const MAX_SEATS: u32 = 5;

    fn one() -> u32 {
        1
    }

    /// Checks the seat count.
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        if (1..=Self::MAX_SEATS).contains(&self.seats) {
            Ok(())
        } else {
            Err(vec![crate::FieldError::new("seats", "invalid_value")])
        }
    }
}

/// The answer to a registration: a code to show at the door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationReceipt {
    pub event_id: i64,
    /// For example `RG-7K3F-9QX2`.
    pub code: String,
    pub seats: u32,
    /// Seats still free after this registration.
    pub seats_left: i32,
    pub created_at: i64,
    /// A month's meeting only: the place on its waitlist (1 = next) when its public seats
    /// were full; the code (`code`) still cancels it, and a cancellation ahead promotes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<i64>,
    /// A month's meeting only, once admitted: the single-use code to check in with (also
    /// read with `GET /api/v1/registrations/{code}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkin_code: Option<String>,
}

/// Filters and paging for the event list. Every field is optional; a page or page size out
/// of range is refused (400).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct EventQuery {
    pub unit: Option<String>,
    pub district: Option<String>,
    pub theme: Option<String>,
    /// Only events ending at or after this moment (Unix seconds).
    pub from: Option<i64>,
    /// Only events not yet ended by the server's clock, as `from` set to now. The address
    /// stays the same from one minute to the next, so a cached page is revalidated (304)
    /// rather than fetched again.
    pub current: Option<bool>,
    /// Only events starting before this moment (Unix seconds).
    pub to: Option<i64>,
    /// Only events starting at or after this moment: the upcoming ones.
    pub after: Option<i64>,
    /// Only events that ended before this moment: the past ones.
    pub before: Option<i64>,
    /// Free text matched against title, unit, place and theme.
    pub q: Option<String>,
    /// One-based page number, 1 to 100000; 1 when absent.
    #[serde(deserialize_with = "crate::numbers::page")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100000))]
    pub page: Option<u32>,
    /// Events a page, 1 to 100; 20 when absent.
    #[serde(deserialize_with = "crate::numbers::per_page::<_, { EventQuery::MAX_PER_PAGE }>")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub per_page: Option<u32>,
}

impl EventQuery {
    /// The largest page a client may ask for.
    pub const MAX_PER_PAGE: u32 = 100;
    /// The page size when none is given.
    pub const DEFAULT_PER_PAGE: u32 = 20;

    /// This query with `current` applied at `now` (Unix seconds): `from` becomes the later
    /// of itself and now.
    pub fn at(mut self, now: i64) -> EventQuery {
        if self.current == Some(true) {
            self.from = Some(self.from.map_or(now, |from| from.max(now)));
        }
        self
    }

    /// The one-based page, clamped to at least 1.
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    /// The page size, clamped to `1..=MAX_PER_PAGE`.
    pub fn per_page(&self) -> u32 {
        self.per_page
            .unwrap_or(Self::DEFAULT_PER_PAGE)
            .clamp(1, Self::MAX_PER_PAGE)
    }

    /// The query string for this query, without the leading `?`.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |key: &str, value: String| {
            parts.push(format!("{key}={}", encode_component(&value)));
        };
        if let Some(v) = &self.unit {
            push("unit", v.clone());
        }
        if let Some(v) = &self.district {
            push("district", v.clone());
        }
        if let Some(v) = &self.theme {
            push("theme", v.clone());
        }
        if let Some(v) = self.from {
            push("from", v.to_string());
        }
        if let Some(v) = self.current {
            push("current", v.to_string());
        }
        if let Some(v) = self.to {
            push("to", v.to_string());
        }
        if let Some(v) = self.after {
            push("after", v.to_string());
        }
        if let Some(v) = self.before {
            push("before", v.to_string());
        }
        if let Some(v) = &self.q {
            push("q", v.clone());
        }
        if let Some(v) = self.page {
            push("page", v.to_string());
        }
        if let Some(v) = self.per_page {
            push("per_page", v.to_string());
        }
        parts.join("&")
    }
}

/// Percent-encodes a query component (RFC 3986 unreserved characters pass).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// An event as operators enter it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventInput {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { EventInput::TEXT_MAX }>)
    )]
    pub title: String,
    /// The hosting unit, as visitors read it.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { EventInput::TEXT_MAX }>)
    )]
    pub unit: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { EventInput::TEXT_MAX }>)
    )]
    pub district: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { EventInput::TEXT_MAX }>)
    )]
    pub theme: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { EventInput::TEXT_MAX }>)
    )]
    pub place: String,
    /// Start, in Unix seconds (UTC).
    #[serde(deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = -9007199254740991_i64, maximum = 9007199254740991_i64)
    )]
    pub starts_at: i64,
    /// End, in Unix seconds (UTC): after the start (else 422 `invalid_value`).
    #[serde(deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = -9007199254740991_i64, maximum = 9007199254740991_i64)
    )]
    pub ends_at: i64,
    /// Seats, 0 to 100000; an edit may not go below the seats already taken (422).
    #[serde(deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub capacity: i64,
    #[serde(default = "yes")]
    pub registration: bool,
    /// Up to 2000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub summary: String,
}

fn yes() -> bool {
    true
}

impl EventInput {
    /// The longest title, unit, district, theme or place, in characters (trimmed).
    pub const TEXT_MAX: usize = 200;
    /// The longest summary, in characters.
    pub const SUMMARY_MAX: usize = 2000;
    /// The most seats an event may have.
    pub const CAPACITY_MAX: i64 = 100_000;
    /// Every field, as the API names them, in the order a form shows them and an import's
    /// columns stand.
    pub const FIELDS: [&'static str; 10] = [
        "title",
        "unit",
        "district",
        "theme",
        "place",
        "starts_at",
        "ends_at",
        "capacity",
        "registration",
        "summary",
    ];
    /// The fields an event may leave out: `registration` (yes) and `summary` (none).
    pub const OPTIONAL_FIELDS: [&'static str; 2] = ["registration", "summary"];

    /// Whether `name` is one of the [`FIELDS`](Self::FIELDS).
    pub fn is_field(name: &str) -> bool {
        Self::FIELDS.contains(&name)
    }

    /// The fields every event must give.
    pub fn required_fields() -> impl Iterator<Item = &'static str> {
        Self::FIELDS
            .into_iter()
            .filter(|field| !Self::OPTIONAL_FIELDS.contains(field))
    }

    /// Checks every field, returning all problems at once.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value) in [
            ("title", &self.title),
            ("unit", &self.unit),
            ("district", &self.district),
            ("theme", &self.theme),
            ("place", &self.place),
        ] {
            let length = value.trim().chars().count();
            if length == 0 {
                errors.push(FieldError::new(field, "required"));
            } else if length > Self::TEXT_MAX {
                errors.push(FieldError::new(field, "too_long"));
            }
        }
        if self.summary.chars().count() > Self::SUMMARY_MAX {
            errors.push(FieldError::new("summary", "too_long"));
        }
        if self.ends_at <= self.starts_at {
            errors.push(FieldError::new("ends_at", "invalid_value"));
        }
        if !(0..=Self::CAPACITY_MAX).contains(&self.capacity) {
            errors.push(FieldError::new("capacity", "invalid_value"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(())
    }
}

/// How an import treats the program already stored: `POST /admin/events/import?replace=…`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct ImportOptions {
    /// Cancel every event already in the program, in the same transaction.
    pub replace: bool,
}

/// What a program import did: `POST /admin/events/import`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Events added to the program.
    pub imported: u64,
    /// Events that were in the program before and were cancelled (with `replace`).
    pub cancelled: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(starts_at: i64, ends_at: i64) -> Event {
        Event {
            id: 1,
            title: "t".into(),
            unit: "u".into(),
            district: "d".into(),
            theme: "th".into(),
            place: "p".into(),
            starts_at,
            ends_at,
            capacity: 30,
            registered: 28,
            registration: true,
            summary: String::new(),
        }
    }

    #[test]
    fn the_named_fields_are_the_fields_an_event_carries() {
        let input = EventInput {
            title: "t".into(),
            unit: "u".into(),
            district: "d".into(),
            theme: "th".into(),
            place: "p".into(),
            starts_at: 1,
            ends_at: 2,
            capacity: 3,
            registration: false,
            summary: "s".into(),
        };
        let json = serde_json::to_value(&input).unwrap_or_default();
        let mut carried: Vec<&str> = json
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut named = EventInput::FIELDS.to_vec();
        carried.sort_unstable();
        named.sort_unstable();
        assert_eq!(carried, named);
        // Without the optional fields an event still reads, and without any other it does not.
        let mut object = json.as_object().cloned().unwrap_or_default();
        for field in EventInput::OPTIONAL_FIELDS {
            object.remove(field);
        }
        let read: Result<EventInput, _> = serde_json::from_value(object.clone().into());
        assert!(read.is_ok());
        for field in EventInput::required_fields() {
            let mut without = object.clone();
            without.remove(field);
            let read: Result<EventInput, _> = serde_json::from_value(without.into());
            assert!(read.is_err(), "{field}");
        }
        assert_eq!(EventInput::required_fields().count(), 8);
        assert!(EventInput::is_field("summary") && !EventInput::is_field("registered"));
    }

    #[test]
    fn phase_splits_past_now_and_upcoming() {
        let e = event(100, 200);
        assert_eq!(e.phase(50), Phase::Upcoming);
        assert_eq!(e.phase(100), Phase::Now);
        assert_eq!(e.phase(199), Phase::Now);
        assert_eq!(e.phase(200), Phase::Past);
    }

    #[test]
    fn seats_left_never_goes_negative() {
        let mut e = event(0, 1);
        assert_eq!(e.seats_left(), 2);
        e.registered = 40;
        assert_eq!(e.seats_left(), 0);
    }

    #[test]
    fn current_is_from_now_at_the_servers_clock() {
        let q = EventQuery {
            current: Some(true),
            ..EventQuery::default()
        };
        assert_eq!(q.to_query_string(), "current=true");
        assert_eq!(q.clone().at(500).from, Some(500));
        let later = EventQuery {
            from: Some(900),
            ..q
        };
        assert_eq!(later.at(500).from, Some(900));
        assert_eq!(EventQuery::default().at(500).from, None);
    }

    #[test]
    fn query_string_encodes_chinese_text_and_skips_empty_fields() {
        let q = EventQuery {
            district: Some("东昌府区".into()),
            page: Some(2),
            ..Default::default()
        };
        assert_eq!(
            q.to_query_string(),
            "district=%E4%B8%9C%E6%98%8C%E5%BA%9C%E5%8C%BA&page=2"
        );
    }

    #[test]
    fn registration_defaults_to_one_seat_and_caps_the_count() {
        let r: NewRegistration = serde_json::from_str("{}").unwrap_or_default();
        assert_eq!(r.seats, 1);
        assert!(r.validate().is_ok());
        assert!(NewRegistration { seats: 0 }.validate().is_err());
        assert!(NewRegistration { seats: 6 }.validate().is_err());
    }

    #[test]
    fn out_of_range_paging_is_refused() {
        let page = |json: &str| serde_json::from_str::<EventQuery>(json).ok();
        assert!(page(r#"{"page": 0}"#).is_none());
        assert!(page(r#"{"per_page": 101}"#).is_none());
        assert!(page(r#"{"per_page": 0}"#).is_none());
        assert_eq!(
            page(r#"{"page": 100000, "per_page": 100}"#).map(|q| (q.page(), q.per_page())),
            Some((100_000, 100))
        );
    }

    #[test]
    fn paging_is_clamped() {
        let q = EventQuery {
            page: Some(0),
            per_page: Some(10_000),
            ..Default::default()
        };
        assert_eq!(q.page(), 1);
        assert_eq!(q.per_page(), EventQuery::MAX_PER_PAGE);
    }
}
