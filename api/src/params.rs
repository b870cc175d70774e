//! The path and header parameters of the routes, as the OpenAPI document states them: each
//! with the form the server takes (the patterns are [`crate::patterns`]' and the tests of
//! the server's document hold them to it).

use utoipa::IntoParams;

use crate::reference::List;

/// An event by its id; an unknown or cancelled one is 404.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct EventId {
    /// The event's id.
    pub id: i64,
}

/// An issue by its tracking number; an unknown one is 404.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TrackingNumber {
    /// For example `OM-7K3F-9QX2-M4TB-6` (three groups of four and a check digit; numbers
    /// of the earlier form `OM-7K3F-9QX2` still read): case, spaces and hyphens do not
    /// matter, and I, L and O read as 1, 1 and 0.
    pub tracking_no: String,
}

/// An entry of reference data (a category or a topic) by its id.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct Slug {
    /// 1 to 32 lower-case ASCII letters, digits, `-` or `_`, starting with a letter (else 422
    /// naming `id`).
    #[param(pattern = "^[a-z][a-z0-9_-]{0,31}$")]
    pub id: String,
}

/// One of the plain lists of reference data.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ListName {
    /// `units`, `districts` or `rating-tags`; any other is 404.
    pub list: List,
}

/// An entry of one of the plain lists of reference data.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ListEntry {
    /// `units`, `districts` or `rating-tags`; any other is 404.
    pub list: List,
    /// 1 to 32 lower-case ASCII letters, digits, `-` or `_`, starting with a letter (else 422
    /// naming `id`).
    #[param(pattern = "^[a-z][a-z0-9_-]{0,31}$")]
    pub id: String,
}

/// An operator's account by its login.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct Login {
    /// 2 to 40 lower-case ASCII letters, digits, `.`, `-` or `_`, starting with a letter
    /// (else 422 naming `login`).
    #[param(pattern = "^[a-z][a-z0-9._-]{1,39}$")]
    pub login: String,
}

/// The key that makes a visitor's write safe to retry.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKey {
    /// A client-made UUID (hyphenated, any version); a retry with the same key and body
    /// replays the first answer, with the same key and another body is refused (422), and
    /// while the first is still being stored, 409. Without one, 400.
    #[param(
        rename = "Idempotency-Key",
        pattern = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
    )]
    pub key: String,
}

/// Where a reconnecting live stream picks up.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct LastEventId {
    /// The id of the last event seen, to replay what was missed; anything but a decimal
    /// event id is ignored.
    #[param(rename = "Last-Event-ID")]
    pub last_event_id: Option<String>,
}

/// The session's token against cross-site requests.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct CsrfToken {
    /// The `csrf_token` of the session, as `POST /api/v1/session` and `GET /api/v1/session`
    /// give it.
    #[param(rename = "X-CSRF-Token")]
    pub csrf_token: String,
}

/// A file of the open-data package, as `datapackage.json` names it; any other name is 404.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OpenDataFile {
    /// A table and its format, for example `ratings.csv` or `ratings.json`.
    #[param(pattern = r"^(issues|ratings|votes|registrations|letters)\.(csv|json)$")]
    pub file: String,
}
