//! The audit log: every operator action and every view of a visitor's contact details,
//! with who, what, when and which issue.

use serde::{Deserialize, Serialize};

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    SignedIn,
    SignInFailed,
    SignedOut,
    /// An issue was submitted (by a visitor; the actor is `visitor`).
    IssueSubmitted,
    /// Accepted, answered, resolved or closed; the detail names both statuses.
    StatusChanged,
    /// Handed to another unit; the detail names both units and the reason.
    Routed,
    /// A name or phone was shown to the actor.
    ContactViewed,
    /// Contact details erased, on request or after the retention time.
    ContactErased,
    TextHidden,
    TextShown,
    /// A category, unit, district, rating tag or topic was created or changed.
    ReferenceSaved,
    EventCreated,
    EventUpdated,
    EventCancelled,
    ProgramImported,
    OperatorSaved,
    /// The audit log itself was exported.
    AuditExported,
    /// An operator was refused (403) an issue of another unit or an admin's operation; the
    /// detail names what was tried.
    Refused,
    /// A signed-in operator's write came without the session's CSRF token (403); the
    /// detail is the method and path.
    CsrfRejected,
    /// A wrong service token (401); the detail is the method and path, never the token.
    TokenRejected,
    /// A month's cycle was created with its plan; the detail is the month.
    CycleCreated,
    /// A cycle moved to its next stage; the detail names the month and both stages.
    StageMoved,
    /// A proposal was published, merged or rejected; the detail names the code, the new state and the reason.
    ProposalModerated,
    /// A month's 12345 hotline counts were imported (replacing the month's earlier import).
    SignalsImported,
    /// A candidate of a month's shortlist was created or changed.
    CandidateSaved,
    /// A month's score weights were set; the detail holds the four percentages.
    WeightsSet,
    /// Representatives' single-use voting codes were issued for a month; the detail is how many.
    CodesIssued,
    /// A month's topic was chosen among the candidates; the detail names it and any reason.
    CandidateChosen,
    /// A month's executive meeting was attached (or changed); the detail names the event and the invited seats.
    MeetingSet,
    /// An attendee was checked in at the meeting; the detail names the event.
    CheckedIn,
    /// A check-in code was refused (unknown or used); the detail says which, never the code.
    CheckinRefused,
    /// A month's meeting opinions were read; the detail is the month.
    OpinionsViewed,
    /// A month's decision was entered or changed; the detail names the month and the lead unit.
    DecisionSaved,
    /// A measure was created or changed; the detail names it, its unit, status and percent.
    MeasureSaved,
    /// A dated progress update was added to a measure; the detail names the measure.
    ProgressAdded,
    /// A letter was accepted and routed, or declined; the detail names the unit or reason.
    LetterReviewed,
    /// A letter was replied to.
    LetterReplied,
    /// A letter's approved public version was published.
    LetterPublished,
    /// An opinion collection was drafted or edited; the detail names its id.
    CollectionSaved,
    /// An opinion collection was published.
    CollectionPublished,
    /// A comment was published or rejected; the detail names the collection, comment and state.
    CommentModerated,
    /// What was adopted from a closed collection was published.
    AdoptedNotePublished,
    /// A letter or a comment was promoted to a proposal; the detail names both and the month.
    Promoted,
}

impl AuditAction {
    pub const ALL: [AuditAction; 43] = [
        AuditAction::SignedIn,
        AuditAction::SignInFailed,
        AuditAction::SignedOut,
        AuditAction::IssueSubmitted,
        AuditAction::StatusChanged,
        AuditAction::Routed,
        AuditAction::ContactViewed,
        AuditAction::ContactErased,
        AuditAction::TextHidden,
        AuditAction::TextShown,
        AuditAction::ReferenceSaved,
        AuditAction::EventCreated,
        AuditAction::EventUpdated,
        AuditAction::EventCancelled,
        AuditAction::ProgramImported,
        AuditAction::OperatorSaved,
        AuditAction::AuditExported,
        AuditAction::Refused,
        AuditAction::CsrfRejected,
        AuditAction::TokenRejected,
        AuditAction::CycleCreated,
        AuditAction::StageMoved,
        AuditAction::ProposalModerated,
        AuditAction::SignalsImported,
        AuditAction::CandidateSaved,
        AuditAction::WeightsSet,
        AuditAction::CodesIssued,
        AuditAction::CandidateChosen,
        AuditAction::MeetingSet,
        AuditAction::CheckedIn,
        AuditAction::CheckinRefused,
        AuditAction::OpinionsViewed,
        AuditAction::DecisionSaved,
        AuditAction::MeasureSaved,
        AuditAction::ProgressAdded,
        AuditAction::LetterReviewed,
        AuditAction::LetterReplied,
        AuditAction::LetterPublished,
        AuditAction::CollectionSaved,
        AuditAction::CollectionPublished,
        AuditAction::CommentModerated,
        AuditAction::AdoptedNotePublished,
        AuditAction::Promoted,
    ];

    /// The stored and wire form, for example `contact_viewed`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignedIn => "signed_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignedOut => "signed_out",
            AuditAction::IssueSubmitted => "issue_submitted",
            AuditAction::StatusChanged => "status_changed",
            AuditAction::Routed => "routed",
            AuditAction::ContactViewed => "contact_viewed",
            AuditAction::ContactErased => "contact_erased",
            AuditAction::TextHidden => "text_hidden",
            AuditAction::TextShown => "text_shown",
            AuditAction::ReferenceSaved => "reference_saved",
            AuditAction::EventCreated => "event_created",
            AuditAction::EventUpdated => "event_updated",
            AuditAction::EventCancelled => "event_cancelled",
            AuditAction::ProgramImported => "program_imported",
            AuditAction::OperatorSaved => "operator_saved",
            AuditAction::AuditExported => "audit_exported",
            AuditAction::Refused => "refused",
            AuditAction::CsrfRejected => "csrf_rejected",
            AuditAction::TokenRejected => "token_rejected",
            AuditAction::CycleCreated => "cycle_created",
            AuditAction::StageMoved => "stage_moved",
            AuditAction::ProposalModerated => "proposal_moderated",
            AuditAction::SignalsImported => "signals_imported",
            AuditAction::CandidateSaved => "candidate_saved",
            AuditAction::WeightsSet => "weights_set",
            AuditAction::CodesIssued => "codes_issued",
            AuditAction::CandidateChosen => "candidate_chosen",
            AuditAction::MeetingSet => "meeting_set",
            AuditAction::CheckedIn => "checked_in",
            AuditAction::CheckinRefused => "checkin_refused",
            AuditAction::OpinionsViewed => "opinions_viewed",
            AuditAction::DecisionSaved => "decision_saved",
            AuditAction::MeasureSaved => "measure_saved",
            AuditAction::ProgressAdded => "progress_added",
            AuditAction::LetterReviewed => "letter_reviewed",
            AuditAction::LetterReplied => "letter_replied",
            AuditAction::LetterPublished => "letter_published",
            AuditAction::CollectionSaved => "collection_saved",
            AuditAction::CollectionPublished => "collection_published",
            AuditAction::CommentModerated => "comment_moderated",
            AuditAction::AdoptedNotePublished => "adopted_note_published",
            AuditAction::Promoted => "promoted",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<AuditAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One line of the audit log. `detail` holds ids, statuses and reasons, never a
/// name or a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// The operator's login; `token` for the service token, `system` for background jobs,
    /// `visitor` for a kiosk, `(unknown)` for a sign-in with no such account or a wrong
    /// service token.
    pub actor: String,
    pub action: AuditAction,
    /// The issue's tracking number, when the action concerns one.
    pub issue: Option<String>,
    pub detail: String,
}

/// Which audit entries to list: `GET /admin/audit`; a page or page size out of range is
/// refused (400).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct AuditQuery {
    /// An operator's login (or `token`, `system`, `cli`, `visitor`).
    pub actor: Option<String>,
    /// An issue's tracking number.
    pub issue: Option<String>,
    pub action: Option<AuditAction>,
    /// From 1 to 100000; 1 when absent.
    #[serde(deserialize_with = "crate::numbers::page")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100000))]
    pub page: Option<u32>,
    /// 1 to 1000, 100 by default.
    #[serde(deserialize_with = "crate::numbers::per_page::<_, { AuditQuery::MAX_PER_PAGE }>")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000))]
    pub per_page: Option<u32>,
}

impl AuditQuery {
    /// The largest page of the audit log.
    pub const MAX_PER_PAGE: u32 = 1000;
}

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            let json = serde_json::to_string(&action).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", action.as_str()));
        }
    }
}
