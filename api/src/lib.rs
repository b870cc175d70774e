//! The wire contract of Open Month Kiosk: every request and response body of
//! `/api/v1`, the validation rules both sides apply, and the message catalogue.
//!
//! This crate knows nothing of leptos, axum or sqlx: any backend that speaks
//! these types is a backend the widget can use.

pub mod audit;
pub mod civil;
pub mod cycle;
pub mod events;
pub mod inbox;
pub mod issues;
pub mod mailbox;
pub mod messages;
pub mod metrics;
pub mod numbers;
pub mod opendata;
pub mod operators;
pub mod outcome;
#[cfg(feature = "openapi")]
pub mod params;
pub mod patterns;
pub mod problem;
pub mod ratings;
pub mod reference;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod topics;
pub mod tracking;

pub use audit::{AuditAction, AuditEntry, AuditPage, AuditQuery};
pub use cycle::promotion::{Promotion, ProposalOrigin};
pub use cycle::proposals::{
    MergedProposal, ModeratedProposal, NewProposal, ProposalAction, ProposalContact,
    ProposalModeration, ProposalReceipt, ProposalState, ProposalStatus, PublicProposal,
};
pub use cycle::score::{Components, Score, ScorePart, Weights};
pub use cycle::selection::{
    CandidateInput, CandidateView, Choice, ChoiceInput, CodeRequest, IssuedCodes,
    RepresentativeVote, RepresentativeVoteReceipt, SignalsReport,
};
pub use cycle::{
    CycleInput, CycleStage, CycleSummary, CycleView, Month, PlannedDay, StageMove, StagePlan,
};
pub use events::{
    Event, EventFacets, EventInput, EventPage, EventQuery, ImportOptions, ImportReport,
    NewRegistration, RegistrationReceipt,
};
pub use inbox::{
    Breakdown, BreakdownRow, Contact, InboxItem, InboxPage, InboxQuery, IssueDetail, Moderation,
    Overdue, RouteChange, StatusChange,
};
pub use issues::{Category, IssueReceipt, IssueStatus, IssueStatusView, NewIssue};
pub use mailbox::collections::{
    AdminCollection, AdminComment, AdoptedNote, Collection, CollectionDetail, CollectionInput,
    CollectionState, CommentModeration, CommentReceipt, CommentState, NewComment, PublicComment,
};
pub use mailbox::{
    DeclineReason, FiguresQuery, LetterDetail, LetterFigures, LetterItem, LetterKind, LetterPage,
    LetterPublication, LetterQuery, LetterRating, LetterReceipt, LetterReply, LetterReview,
    LetterState, LetterView, NewLetter, PageQuery, PublishedLetter, PublishedPage, Satisfaction,
};
pub use messages::{Lang, Messages};
pub use metrics::{DayPoint, Headline, Metrics, MetricsUpdate, StreamEventName, UnitScore};
pub use operators::{Operator, OperatorInput, Role, Session, SignIn};
pub use outcome::{
    CheckIn, CheckInReceipt, Decision, DecisionInput, EvaluationFigure, EvaluationOutcome,
    EvaluationReceipt, MeasureInput, MeasureStatus, MeasureView, MeetingInput, MeetingView,
    NewEvaluation, NewOpinion, Opinion, OpinionReceipt, OutcomeView, ProgressInput, ProgressUpdate,
    RegistrationState, RegistrationStatus,
};
pub use problem::{FieldError, Problem, ProblemKind, refusals};
pub use ratings::{Level, NewRating, RatingReceipt};
pub use reference::{AdminCategory, CategoryInput, Entry, EntryInput, List, TopicInput};
pub use topics::{NewVote, Topic, VoteReceipt};

/// The path prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";

/// The header that carries a client-made idempotency key on every POST.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
