//! The mayor's mailbox: letters a visitor writes (a kind, a title, a text and a private
//! contact), the code that lets the writer follow and rate their letter, the operators'
//! review, reply and publication, and the public monthly figures.
//!
//! A letter moves `awaiting_review → accepted` (routed to a unit) `→ replied → published`,
//! or `awaiting_review → declined` with a reason from [`DeclineReason`]. Publication needs
//! the writer's consent (`may_publish`) and a public text an operator approved. Once
//! replied, the writer rates the reply once, with the code (a "not satisfied" with a reason
//! goes to the supervision list). Opinion collections are in [`collections`].

pub mod collections;
#[cfg(feature = "openapi")]
pub mod params;

use serde::{Deserialize, Serialize};

use crate::audit::AuditEntry;
use crate::problem::FieldError;

/// The prefix of a letter's code: `ML-7K3F-9QX2-M4TB-6` (60 random bits and a check digit,
/// like an issue's tracking number).
pub const CODE_PREFIX: &str = "ML";

/// The canonical form of a typed letter code, if it is one (case, spaces and hyphens do not
/// matter; I, L and O read as 1, 1 and 0). Only the full form with its check digit.
pub fn normalise_code(input: &str) -> Option<String> {
    let code = crate::tracking::parse(CODE_PREFIX, input).ok()?;
    (code.len() == "ML-XXXX-XXXX-XXXX-C".len()).then_some(code)
}

/// A required phone number as `issues::is_phone` takes it, trimmed: the phone pattern of
/// [`crate::patterns`] without its blank alternative.
#[cfg(feature = "openapi")]
pub fn required_phone_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let either = crate::patterns::blank_or_phone();
    let blank = format!("|^{}*$", crate::patterns::SPACE);
    let pattern = either.strip_suffix(&blank).unwrap_or(&either).to_owned();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .min_length(Some(7))
        .description(Some(
            "Required and private. Trimmed of white space, a mobile number (11 digits starting \
             with 1) or a landline (7 to 12 digits starting with 0, with at most one hyphen).",
        ))
        .build()
}

/// What a letter is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    Consultation,
    Complaint,
    Suggestion,
    Help,
}

impl LetterKind {
    pub const ALL: [LetterKind; 4] = [
        LetterKind::Consultation,
        LetterKind::Complaint,
        LetterKind::Suggestion,
        LetterKind::Help,
    ];

    /// The stored and wire form, for example `complaint`.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Consultation => "consultation",
            LetterKind::Complaint => "complaint",
            LetterKind::Suggestion => "suggestion",
            LetterKind::Help => "help",
        }
    }

    /// The message key of its name, for example `letter.kind.complaint`.
    pub fn message_key(self) -> &'static str {
        match self {
            LetterKind::Consultation => "letter.kind.consultation",
            LetterKind::Complaint => "letter.kind.complaint",
            LetterKind::Suggestion => "letter.kind.suggestion",
            LetterKind::Help => "letter.kind.help",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<LetterKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a letter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LetterState {
    /// Written; the mailbox's office has not looked at it yet.
    AwaitingReview,
    /// Accepted and routed to a unit, which owes a reply.
    Accepted,
    /// Not accepted, with a reason from [`DeclineReason`]; settled.
    Declined,
    /// The unit (or an admin) replied; settled.
    Replied,
    /// Replied and shown in the public list (with the writer's consent, as approved).
    Published,
}

impl LetterState {
    pub const ALL: [LetterState; 5] = [
        LetterState::AwaitingReview,
        LetterState::Accepted,
        LetterState::Declined,
        LetterState::Replied,
        LetterState::Published,
    ];

    /// The stored and wire form, for example `awaiting_review`.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterState::AwaitingReview => "awaiting_review",
            LetterState::Accepted => "accepted",
            LetterState::Declined => "declined",
            LetterState::Replied => "replied",
            LetterState::Published => "published",
        }
    }

    /// The message key of its name, for example `letter.state.replied`.
    pub fn message_key(self) -> &'static str {
        match self {
            LetterState::AwaitingReview => "letter.state.awaiting_review",
            LetterState::Accepted => "letter.state.accepted",
            LetterState::Declined => "letter.state.declined",
            LetterState::Replied => "letter.state.replied",
            LetterState::Published => "letter.state.published",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<LetterState> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether the letter has had its answer (a reply, or a reasoned refusal): its contact
    /// is erased a set time after this.
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            LetterState::Declined | LetterState::Replied | LetterState::Published
        )
    }

    /// Whether the letter carries a reply its writer may rate.
    pub fn is_replied(self) -> bool {
        matches!(self, LetterState::Replied | LetterState::Published)
    }
}

/// Why a letter is not accepted: a fixed list, each with its words for the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeclineReason {
    /// The same matter is already in hand (another letter, an issue, the hotline).
    Duplicate,
    /// Not a matter for the city government (a private dispute, another level of government).
    OutsideRemit,
    /// Too little to act on; the writer may write again with more.
    InsufficientDetail,
    /// Before a court or in arbitration: handled by law, not by letter.
    LegalProceedings,
    /// Abusive or unlawful content.
    Abusive,
}

impl DeclineReason {
    pub const ALL: [DeclineReason; 5] = [
        DeclineReason::Duplicate,
        DeclineReason::OutsideRemit,
        DeclineReason::InsufficientDetail,
        DeclineReason::LegalProceedings,
        DeclineReason::Abusive,
    ];

    /// The stored and wire form, for example `outside_remit`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeclineReason::Duplicate => "duplicate",
            DeclineReason::OutsideRemit => "outside_remit",
            DeclineReason::InsufficientDetail => "insufficient_detail",
            DeclineReason::LegalProceedings => "legal_proceedings",
            DeclineReason::Abusive => "abusive",
        }
    }

    /// The message key of its words for the writer, for example `letter.decline.duplicate`.
    pub fn message_key(self) -> &'static str {
        match self {
            DeclineReason::Duplicate => "letter.decline.duplicate",
            DeclineReason::OutsideRemit => "letter.decline.outside_remit",
            DeclineReason::InsufficientDetail => "letter.decline.insufficient_detail",
            DeclineReason::LegalProceedings => "letter.decline.legal_proceedings",
            DeclineReason::Abusive => "letter.decline.abusive",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<DeclineReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// How the writer judged the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Satisfied,
    NotSatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 2] = [Satisfaction::Satisfied, Satisfaction::NotSatisfied];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::NotSatisfied => "not_satisfied",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The length of trimmed text in characters.
fn length(text: &str) -> usize {
    text.trim().chars().count()
}

/// Checks a required text of `min..=max` characters; `too_short_code` names a text too short.
fn check_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    text: &str,
    (min, max): (usize, usize),
    too_short_code: &str,
) {
    let n = length(text);
    if n == 0 {
        errors.push(FieldError::new(field, "required"));
    } else if n < min {
        errors.push(FieldError::new(field, too_short_code));
    } else if n > max {
        errors.push(FieldError::new(field, "too_long"));
    }
}

/// Fails with every problem found, if any.
fn outcome(errors: Vec<FieldError>) -> Result<(), Vec<FieldError>> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A letter to the mayor's mailbox, as its writer sends it (`POST /api/v1/letters`, with an
/// `Idempotency-Key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLetter {
    pub kind: LetterKind,
    /// 10 to 25 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<{ NewLetter::TITLE_MIN }, { NewLetter::TITLE_MAX }>)
    )]
    pub title: String,
    /// At most 600 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { NewLetter::TEXT_MAX }>)
    )]
    pub text: String,
    /// The writer's name: required, private (never in a public answer; operators see it only
    /// through an audited view), erased a set time after the letter is settled.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { NewLetter::NAME_MAX }>)
    )]
    pub name: String,
    /// The writer's phone: required and private like the name. A mobile number (11 digits
    /// starting with 1) or a landline (7 to 12 digits starting with 0, at most one hyphen).
    #[cfg_attr(feature = "openapi", schema(schema_with = required_phone_schema))]
    pub phone: String,
    /// The writer agrees that the letter (as a moderator approves it, names removed) and its
    /// reply may be published. Without it the reply is shown only to whoever has the code.
    #[serde(default)]
    pub may_publish: bool,
}

impl NewLetter {
    pub const TITLE_MIN: usize = 10;
    pub const TITLE_MAX: usize = 25;
    pub const TEXT_MAX: usize = 600;
    pub const NAME_MAX: usize = 50;

    /// Checks every field and returns all the problems at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = (Self::TITLE_MIN, Self::TITLE_MAX);
        check_text(&mut errors, "title", &self.title, title, "title_too_short");
        check_text(
            &mut errors,
            "text",
            &self.text,
            (1, Self::TEXT_MAX),
            "required",
        );
        check_text(
            &mut errors,
            "name",
            &self.name,
            (1, Self::NAME_MAX),
            "required",
        );
        let phone = self.phone.trim();
        if phone.is_empty() {
            errors.push(FieldError::new("phone", "required"));
        } else if !crate::issues::is_phone(phone) {
            errors.push(FieldError::new("phone", "phone_format"));
        }
        outcome(errors)
    }

    /// The letter with its text trimmed.
    pub fn normalized(&self) -> NewLetter {
        NewLetter {
            kind: self.kind,
            title: self.title.trim().to_owned(),
            text: self.text.trim().to_owned(),
            name: self.name.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            may_publish: self.may_publish,
        }
    }
}

/// The answer to a letter: its code, the writer's only key to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterReceipt {
    /// For example `ML-7K3F-9QX2-M4TB-6`.
    pub code: String,
    pub state: LetterState,
    pub created_at: i64,
}

/// What whoever has the code sees of a letter (`GET /api/v1/letters/{code}`): its text,
/// where it stands and the reply, never the contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterView {
    pub code: String,
    pub kind: LetterKind,
    pub title: String,
    pub text: String,
    pub state: LetterState,
    /// Why it was not accepted, when it was not.
    pub decline_reason: Option<DeclineReason>,
    /// The reply, once there is one.
    pub reply: Option<String>,
    /// Whether the writer agreed to publication.
    pub may_publish: bool,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub published_at: Option<i64>,
    /// The writer's judgement of the reply, once given.
    pub rating: Option<Satisfaction>,
    pub rated_at: Option<i64>,
    /// The proposal it was promoted to, once a moderator did (a `PR-` code).
    #[serde(default)]
    pub proposal: Option<String>,
}

/// A published letter in the public list: the public text a moderator approved, and the
/// reply. No code (the code is the writer's key to rate it) and no contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedLetter {
    /// A number for this list only.
    pub id: i64,
    pub kind: LetterKind,
    pub title: String,
    pub text: String,
    pub reply: String,
    pub created_at: i64,
    pub replied_at: i64,
    pub published_at: i64,
}

/// Which page of a list to show; a page or page size out of range is refused (400).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct PageQuery {
    /// From 1 to 100000; 1 when absent.
    #[serde(deserialize_with = "crate::numbers::page")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100000))]
    pub page: Option<u32>,
    /// 1 to 100, 20 by default.
    #[serde(deserialize_with = "crate::numbers::per_page::<_, { PageQuery::MAX_PER_PAGE }>")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub per_page: Option<u32>,
}

impl PageQuery {
    /// The largest page.
    pub const MAX_PER_PAGE: u32 = 100;

    /// (limit, offset) of the page asked for.
    pub fn limit_offset(&self) -> (i64, i64) {
        let per_page = i64::from(self.per_page.unwrap_or(20).clamp(1, Self::MAX_PER_PAGE));
        let page = i64::from(self.page.unwrap_or(1).max(1));
        (per_page, (page - 1) * per_page)
    }
}

/// A page of published letters, most recently published first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedPage {
    pub items: Vec<PublishedLetter>,
    pub total: i64,
}

/// The writer's judgement of the reply (`POST /api/v1/letters/{code}/rating`), once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterRating {
    pub satisfaction: Satisfaction,
    /// Why not satisfied (optional; at most 200 characters). A "not satisfied" with a reason
    /// goes to the supervision list.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::optional_text::<{ LetterRating::REASON_MAX }>)
    )]
    pub reason: Option<String>,
}

impl LetterRating {
    pub const REASON_MAX: usize = 200;

    /// The reason, trimmed, when there is one.
    pub fn reason(&self) -> Option<&str> {
        self.reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }

    /// Checks the reason's length.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self
            .reason()
            .is_some_and(|r| r.chars().count() > Self::REASON_MAX)
        {
            errors.push(FieldError::new("reason", "too_long"));
        }
        outcome(errors)
    }
}

/// Which month's figures: `GET /api/v1/letters/figures`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct FiguresQuery {
    /// `YYYY-MM` (a calendar month in Beijing time); the current month when absent. Any other
    /// form is refused (400).
    #[cfg_attr(feature = "openapi", param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$"))]
    pub month: Option<String>,
}

/// A month `YYYY-MM` as the moments it spans: `[start, end)` in Unix seconds (UTC+8 calendar);
/// `None` for any other form.
pub fn month_span(text: &str) -> Option<(i64, i64)> {
    let (year, month) = text.split_once('-')?;
    let year = crate::civil::digits(year, 4)?;
    let month = u32::try_from(crate::civil::digits(month, 2)?).ok()?;
    let first = crate::civil::days_from_civil(year, month, 1)?;
    let days = i64::from(crate::civil::days_in_month(year, month));
    Some((
        crate::civil::local_day_start(first),
        crate::civil::local_day_start(first + days),
    ))
}

/// The month `YYYY-MM` (UTC+8) of a moment.
pub fn month_of(at: i64) -> String {
    let local = crate::civil::CivilTime::local(at);
    format!("{:04}-{:02}", local.year, local.month)
}

/// The mailbox's public figures for one month, each computed from the letters written in
/// that month (Beijing time) as they stand now, each with the number it is taken over.
/// A rate or median over nothing is null ("no data"), never 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterFigures {
    /// `YYYY-MM`.
    pub month: String,
    /// Letters written in the month.
    pub received: i64,
    /// Of those, not accepted (with a reason).
    pub declined: i64,
    /// Of those, replied (published ones included).
    pub replied: i64,
    /// `replied ÷ (received − declined)`: the letters accepted or awaiting review are owed a
    /// reply; null when that is 0.
    pub reply_rate: Option<f64>,
    /// The number the reply rate is taken over: `received − declined`.
    pub reply_rate_n: i64,
    /// Replied letters their writers rated.
    pub rated: i64,
    /// Of those, rated satisfied.
    pub satisfied: i64,
    /// `satisfied ÷ rated`; null when nobody rated.
    pub satisfaction_rate: Option<f64>,
    /// The median of the days from writing to reply (seconds ÷ 86400) over the replied
    /// letters (n = `replied`): the middle one, or the mean of the two middle ones; null when
    /// none is replied.
    pub median_days_to_reply: Option<f64>,
}

/// The median of `values` (sorted here); `None` when there are none.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

/// `part ÷ whole`, `None` over nothing.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A letter as operators see it: everything but the contact, which only an audited view
/// shows (`has_contact` says whether it is still kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterItem {
    pub code: String,
    pub kind: LetterKind,
    pub title: String,
    pub text: String,
    pub state: LetterState,
    /// The unit it is routed to, once accepted.
    pub unit: Option<String>,
    pub decline_reason: Option<DeclineReason>,
    pub reply: Option<String>,
    pub may_publish: bool,
    /// The approved public version, once published.
    pub public_title: Option<String>,
    pub public_text: Option<String>,
    pub rating: Option<Satisfaction>,
    /// The writer's reason for "not satisfied", if given.
    pub rating_reason: Option<String>,
    pub has_contact: bool,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub published_at: Option<i64>,
    pub rated_at: Option<i64>,
    /// The proposal it was promoted to, once a moderator did (a `PR-` code).
    #[serde(default)]
    pub proposal: Option<String>,
}

/// A page of letters for operators, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterPage {
    pub items: Vec<LetterItem>,
    pub total: i64,
}

/// One letter with what was done to it, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterDetail {
    pub letter: LetterItem,
    pub history: Vec<AuditEntry>,
}

/// Which letters operators list: `GET /admin/letters`; a unit operator sees only letters
/// routed to their unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct LetterQuery {
    pub state: Option<LetterState>,
    /// From 1 to 100000; 1 when absent.
    #[serde(deserialize_with = "crate::numbers::page")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100000))]
    pub page: Option<u32>,
    /// 1 to 100, 20 by default.
    #[serde(deserialize_with = "crate::numbers::per_page::<_, { PageQuery::MAX_PER_PAGE }>")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub per_page: Option<u32>,
}

/// The review of a letter awaiting it: accepted and routed to `unit`, or declined with
/// `decline` (exactly one of the two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterReview {
    /// An active unit's id: accepted and routed there. Refused (422) with `decline`, or when
    /// the unit is unknown or retired.
    #[serde(default)]
    pub unit: Option<String>,
    /// Not accepted, for this reason.
    #[serde(default)]
    pub decline: Option<DeclineReason>,
}

/// The reply to an accepted letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterReply {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { LetterReply::REPLY_MAX }>)
    )]
    pub reply: String,
}

impl LetterReply {
    pub const REPLY_MAX: usize = 2000;

    /// Checks the reply's length.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(
            &mut errors,
            "reply",
            &self.reply,
            (1, Self::REPLY_MAX),
            "required",
        );
        outcome(errors)
    }
}

/// The public version of a replied letter whose writer consented: it may differ from the
/// letter (names removed); publishing it puts it and the reply in the public list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterPublication {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { NewLetter::TITLE_MAX }>)
    )]
    pub title: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { NewLetter::TEXT_MAX }>)
    )]
    pub text: String,
}

impl LetterPublication {
    /// Checks both lengths.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = (1, NewLetter::TITLE_MAX);
        check_text(&mut errors, "title", &self.title, title, "required");
        check_text(
            &mut errors,
            "text",
            &self.text,
            (1, NewLetter::TEXT_MAX),
            "required",
        );
        outcome(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::refusals;
    use crate::{Lang, Messages};

    fn letter() -> NewLetter {
        NewLetter {
            kind: LetterKind::Suggestion,
            title: "建议增设公交夜班线路".into(),
            text: "东昌府区晚上九点后没有公交车。".into(),
            name: "王秀兰".into(),
            phone: "13800138000".into(),
            may_publish: true,
        }
    }

    #[test]
    fn every_kind_state_and_reason_is_worded_in_both_languages() {
        let keys = LetterKind::ALL
            .map(LetterKind::message_key)
            .into_iter()
            .chain(LetterState::ALL.map(LetterState::message_key))
            .chain(DeclineReason::ALL.map(DeclineReason::message_key));
        for key in keys {
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(Messages::get(lang).has(key), "{lang:?} lacks {key}");
            }
        }
        for reason in DeclineReason::ALL {
            assert_eq!(DeclineReason::parse(reason.as_str()), Some(reason));
        }
        assert!(Messages::get(Lang::En).has("error.title_too_short"));
    }

    #[test]
    fn a_title_is_ten_to_twenty_five_characters() {
        assert_eq!(letter().validate(), Ok(()));
        let short = NewLetter {
            title: "公交太少".into(),
            ..letter()
        };
        assert_eq!(refusals(&short.validate()), [("title", "title_too_short")]);
        let long = NewLetter {
            title: "公".repeat(26),
            ..letter()
        };
        assert_eq!(refusals(&long.validate()), [("title", "too_long")]);
        let exact = NewLetter {
            title: "公".repeat(25),
            text: "字".repeat(600),
            ..letter()
        };
        assert_eq!(exact.validate(), Ok(()));
    }

    #[test]
    fn a_contact_is_required() {
        let anonymous = NewLetter {
            name: " ".into(),
            phone: String::new(),
            text: "字".repeat(601),
            ..letter()
        };
        assert_eq!(
            refusals(&anonymous.validate()),
            [
                ("text", "too_long"),
                ("name", "required"),
                ("phone", "required")
            ]
        );
        let bad_phone = NewLetter {
            phone: "12345".into(),
            ..letter()
        };
        assert_eq!(refusals(&bad_phone.validate()), [("phone", "phone_format")]);
    }

    #[test]
    fn codes_are_full_tracking_numbers_with_their_own_prefix() {
        let code = crate::tracking::from_bits(CODE_PREFIX, 0x0123_4567_89AB_CDEF);
        assert_eq!(normalise_code(&code.to_lowercase()), Some(code.clone()));
        assert_eq!(normalise_code("ML-7K3F-9QX0"), None);
        let issue = crate::tracking::from_bits("OM", 0x0123_4567_89AB_CDEF);
        assert_eq!(normalise_code(&issue), None);
    }

    #[test]
    fn months_span_their_days_in_beijing_time() {
        // 2026-09-01 00:00 in Beijing is 2026-08-31 16:00 UTC.
        assert_eq!(month_span("2026-09"), Some((1_788_192_000, 1_790_784_000)));
        assert_eq!(month_span("2026-13"), None);
        assert_eq!(month_span("2026-9"), None);
        assert_eq!(month_of(1_788_192_000), "2026-09");
        assert_eq!(month_of(1_788_191_999), "2026-08");
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(0, 4), Some(0.0));
    }
}
