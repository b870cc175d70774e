//! What follows a month's choice: the executive meeting (an event of the program with
//! public seats, invited seats and a waitlist; single-use check-in codes; attendees'
//! private opinions), the decision with its measures and their progress, and the
//! visitors' evaluation ("Was it solved?"). `OutcomeView` is the public part of a cycle's
//! view that this part adds.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::civil;

/// The longest text of a progress update, an opinion or a decision's summary.
pub const TEXT_MAX: usize = 600;
/// The longest title of a measure.
pub const TITLE_MAX: usize = 60;

/// The length rule of a text field: trimmed, `1..=max` characters.
fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    let length = value.trim().chars().count();
    if length == 0 {
        errors.push(FieldError::new(field, "required"));
    } else if length > max {
        errors.push(FieldError::new(field, "too_long"));
    }
}

fn done(errors: Vec<FieldError>) -> Result<(), Vec<FieldError>> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The cycle's executive meeting: `PUT /api/v1/admin/cycles/{month}/meeting`. The event's
/// capacity is its public seats (bookable with `POST /events/{id}/registrations`); the
/// invited seats are for stakeholders, not bookable, counted apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingInput {
    /// An event of the program that takes registrations; another is refused (422
    /// `unknown_event`).
    #[serde(deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 9007199254740991_i64)
    )]
    pub event: i64,
    /// Seats kept for invited stakeholders.
    #[serde(deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub invited_seats: u32,
}

impl MeetingInput {
    pub const INVITED_MAX: u32 = 10_000;

    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.event < 1 {
            errors.push(FieldError::new("event", "unknown_event"));
        }
        if self.invited_seats > Self::INVITED_MAX {
            errors.push(FieldError::new("invited_seats", "invalid_value"));
        }
        done(errors)
    }
}

/// The meeting as the public sees it: its event and its seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    pub event: i64,
    pub title: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    /// Public seats taken by admitted registrations.
    pub public_taken: i64,
    /// Public seats in all (the event's capacity).
    pub public_total: i64,
    /// Seats kept for invited stakeholders (not bookable).
    pub invited_total: i64,
    /// Registrations waiting for a public seat.
    pub waitlist: i64,
}

/// Where a registration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationState {
    /// Holds its seats.
    Admitted,
    /// Waits for seats; promoted in order when an admitted registration is cancelled.
    Waitlisted,
    /// Cancelled by its holder.
    Cancelled,
}

impl RegistrationState {
    pub const ALL: [RegistrationState; 3] = [
        RegistrationState::Admitted,
        RegistrationState::Waitlisted,
        RegistrationState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationState::Admitted => "admitted",
            RegistrationState::Waitlisted => "waitlisted",
            RegistrationState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<RegistrationState> {
        RegistrationState::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A registration looked up (or cancelled) with its code: `GET`/`DELETE
/// /api/v1/registrations/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationStatus {
    pub code: String,
    pub event_id: i64,
    pub seats: u32,
    pub state: RegistrationState,
    /// The place on the waitlist (1 = next), while waitlisted.
    pub waitlist_position: Option<i64>,
    /// The single-use code to show at the door, while admitted (a meeting's registration).
    pub checkin_code: Option<String>,
    /// When its holder was checked in.
    pub checked_in_at: Option<i64>,
}

/// An operator checks an attendee in: `POST /api/v1/admin/checkins`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckIn {
    /// The code shown at the door, for example `CK-7K3F-9QX2`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, 40>))]
    pub code: String,
}

/// A check-in done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInReceipt {
    pub event_id: i64,
    pub seats: u32,
    pub checked_in_at: i64,
}

/// An attendee's opinion: `POST /api/v1/registrations/{code}/opinion`, once checked in.
/// Private: only admins and supervisors read it, through an audited view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOpinion {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { TEXT_MAX }>))]
    pub text: String,
}

impl NewOpinion {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "text", &self.text, TEXT_MAX);
        done(errors)
    }
}

/// An opinion taken (the answer repeats nothing of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionReceipt {
    pub received_at: i64,
}

/// An attendee's opinion as admins and supervisors read it (no code, no seat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opinion {
    pub text: String,
    pub received_at: i64,
}

/// The decision taken at the meeting: `PUT /api/v1/admin/cycles/{month}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { TEXT_MAX }>))]
    pub summary_zh: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { TEXT_MAX }>))]
    pub summary_en: String,
    /// The lead unit: an id of `GET /api/v1/units`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub lead_unit: String,
}

impl DecisionInput {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "summary_zh", &self.summary_zh, TEXT_MAX);
        check_text(&mut errors, "summary_en", &self.summary_en, TEXT_MAX);
        if !crate::reference::valid_slug(&self.lead_unit) {
            errors.push(FieldError::new("lead_unit", "unknown_unit"));
        }
        done(errors)
    }
}

/// The decision as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub summary_zh: String,
    pub summary_en: String,
    pub lead_unit: String,
    pub decided_at: i64,
}

/// Where a measure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    NotStarted,
    InProgress,
    /// Set by its unit, or shown when the measure is past its due day and not done.
    Delayed,
    Done,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 4] = [
        MeasureStatus::NotStarted,
        MeasureStatus::InProgress,
        MeasureStatus::Delayed,
        MeasureStatus::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeasureStatus::NotStarted => "not_started",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Delayed => "delayed",
            MeasureStatus::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<MeasureStatus> {
        MeasureStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The status shown on `today` (a UTC+8 day number) for a measure due on `due`: a
    /// measure past its due day and not done is delayed, whatever was stored.
    pub fn shown(self, due: i64, today: i64) -> MeasureStatus {
        if self != MeasureStatus::Done && today > due {
            MeasureStatus::Delayed
        } else {
            self
        }
    }
}

/// A measure: `POST /api/v1/admin/cycles/{month}/measures` (admins),
/// `PUT /api/v1/admin/measures/{id}` (admins, or the owner unit's operators).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasureInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { TITLE_MAX }>))]
    pub title: String,
    /// The unit that carries it out: an id of `GET /api/v1/units`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub owner_unit: String,
    /// The due day, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub due: String,
    pub status: MeasureStatus,
    #[serde(deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(feature = "openapi", schema(maximum = 100))]
    pub percent: u8,
    /// A follow-up measure, added while the cycle is `reviewing` (refused before, 422
    /// `follow_up_in_review`): when "not solved" outnumbers "solved", the cycle closes only
    /// with one.
    #[serde(default)]
    pub follow_up: bool,
}

impl MeasureInput {
    /// Every problem with the fields; `Ok` with the due day's number.
    pub fn validate(&self) -> Result<i64, Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "title", &self.title, TITLE_MAX);
        if !crate::reference::valid_slug(&self.owner_unit) {
            errors.push(FieldError::new("owner_unit", "unknown_unit"));
        }
        let due = civil::parse_date(self.due.trim());
        if due.is_none() {
            errors.push(FieldError::new("due", "invalid_date"));
        }
        if self.percent > 100 {
            errors.push(FieldError::new("percent", "invalid_value"));
        }
        done(errors).map(|()| due.unwrap_or_default())
    }
}

/// A dated progress update of a measure: `POST /api/v1/admin/measures/{id}/updates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { TEXT_MAX }>))]
    pub text: String,
}

impl ProgressInput {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "text", &self.text, TEXT_MAX);
        done(errors)
    }
}

/// A progress update as published: its day (UTC+8) and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressUpdate {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub text: String,
    pub at: i64,
}

/// A measure as published, with its status as shown today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasureView {
    pub id: i64,
    pub title: String,
    pub owner_unit: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    /// As shown today: `delayed` when past due and not done.
    pub status: MeasureStatus,
    pub percent: u8,
    pub follow_up: bool,
    pub created_at: i64,
    /// Oldest first.
    pub updates: Vec<ProgressUpdate>,
}

/// What a visitor says of the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvaluationOutcome {
    Solved,
    Partly,
    NotSolved,
}

impl EvaluationOutcome {
    pub const ALL: [EvaluationOutcome; 3] = [
        EvaluationOutcome::Solved,
        EvaluationOutcome::Partly,
        EvaluationOutcome::NotSolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationOutcome::Solved => "solved",
            EvaluationOutcome::Partly => "partly",
            EvaluationOutcome::NotSolved => "not_solved",
        }
    }

    pub fn parse(text: &str) -> Option<EvaluationOutcome> {
        EvaluationOutcome::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A visitor's evaluation: `POST /api/v1/cycles/{month}/evaluations`, while the cycle is
/// `reviewing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEvaluation {
    pub outcome: EvaluationOutcome,
    #[serde(deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub stars: u8,
}

impl NewEvaluation {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        if (1..=5).contains(&self.stars) {
            Ok(())
        } else {
            Err(vec![FieldError::new("stars", "invalid_value")])
        }
    }
}

/// An evaluation counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationReceipt {
    pub outcome: EvaluationOutcome,
    pub stars: u8,
    pub created_at: i64,
}

/// The evaluation's public figure, always with its n.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationFigure {
    /// Evaluations counted.
    pub n: i64,
    pub solved: i64,
    pub partly: i64,
    pub not_solved: i64,
    /// The mean of the stars (two decimals) over `n`; none without evaluations.
    pub mean_stars: Option<f64>,
}

/// What follows the choice, as the public sees it (a part of `CycleView`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeView {
    pub meeting: Option<MeetingView>,
    pub decision: Option<Decision>,
    /// Oldest first.
    pub measures: Vec<MeasureView>,
    /// The mean of the measures' percent done (two decimals); none without measures.
    pub progress: Option<f64>,
    pub evaluation: EvaluationFigure,
}

/// A mean rounded to two decimals; `None` for no values.
pub fn mean(values: impl IntoIterator<Item = i64>) -> Option<f64> {
    let (sum, n) = values
        .into_iter()
        .fold((0_i64, 0_i64), |(s, n), v| (s + v, n + 1));
    mean_of(sum, n)
}

/// The mean of `n` values summing to `sum`, rounded to two decimals; `None` when `n` is 0.
pub fn mean_of(sum: i64, n: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    (n > 0).then(|| ((sum as f64 / n as f64) * 100.0).round() / 100.0)
}

/// A registration in a path, by the code its holder was given; an unknown one is 404.
#[cfg(feature = "openapi")]
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RegistrationCode {
    /// For example `RG-7K3F-9QX2`.
    pub code: String,
}

/// A measure in a path; an unknown one is 404.
#[cfg(feature = "openapi")]
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MeasureId {
    /// The measure's id.
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measure_past_due_and_not_done_shows_delayed() {
        assert_eq!(
            MeasureStatus::InProgress.shown(10, 11),
            MeasureStatus::Delayed
        );
        assert_eq!(
            MeasureStatus::InProgress.shown(10, 10),
            MeasureStatus::InProgress
        );
        assert_eq!(MeasureStatus::Done.shown(10, 11), MeasureStatus::Done);
    }

    #[test]
    fn the_mean_has_no_figure_without_values() {
        assert_eq!(mean([]), None);
        assert_eq!(mean([10, 50, 100]), Some(53.33));
    }

    #[test]
    fn whole_numbers_written_with_a_zero_fraction_are_read() {
        let evaluation: NewEvaluation =
            serde_json::from_str(r#"{"outcome": "solved", "stars": 3.0}"#).expect("read");
        assert_eq!(evaluation.stars, 3);
        let meeting: MeetingInput =
            serde_json::from_str(r#"{"event": 1584.0, "invited_seats": 99}"#).expect("read");
        assert_eq!((meeting.event, meeting.invited_seats), (1584, 99));
        assert!(
            serde_json::from_str::<NewEvaluation>(r#"{"outcome": "solved", "stars": 3.5}"#)
                .is_err()
        );
    }
}
