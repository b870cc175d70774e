//! The refusals each kind of route can answer with, as OpenAPI responses built from
//! `ProblemKind`: one response a status, naming the problem types it may carry (an enum of
//! `type`) and the headers that come with it. Every route may also be rate limited (429),
//! time out (408), fail (500) or find the service unavailable (503).

use std::collections::BTreeMap;

use omk_api::{Lang, Messages, ProblemKind};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

use ProblemKind::*;

/// What any route may answer, whatever it does.
const ANY_ROUTE: &[ProblemKind] = &[RateLimited, TimedOut, Internal, Unavailable];

/// What a JSON body may be refused for before its fields are looked at, and for its fields.
const JSON_BODY: &[ProblemKind] = &[Malformed, TooLarge, UnsupportedMediaType, Validation];

/// What a visitor's write may be refused for: its body, and its `Idempotency-Key`.
const VISITOR_WRITE: &[ProblemKind] = &[
    Malformed,
    TooLarge,
    UnsupportedMediaType,
    Validation,
    IdempotencyKeyMissing,
    IdempotencyKeyReused,
    IdempotencyKeyInFlight,
];

/// What an operator's read may be refused for: no valid token or live session.
const SIGNED_IN: &[ProblemKind] = &[Unauthorized];

/// What an operator's write may be refused for: no valid token or live session, or a
/// cookie-authenticated write without the session's CSRF token.
const OPERATOR_WRITE: &[ProblemKind] = &[Unauthorized, CsrfRejected];

/// One response for each status among `kinds` (and [`ANY_ROUTE`]'s).
pub fn responses(kinds: &[ProblemKind]) -> BTreeMap<String, RefOr<Response>> {
    let mut by_status: BTreeMap<u16, Vec<ProblemKind>> = BTreeMap::new();
    for kind in kinds.iter().chain(ANY_ROUTE) {
        let same = by_status.entry(kind.status()).or_default();
        if !same.contains(kind) {
            same.push(*kind);
        }
    }
    by_status
        .into_iter()
        .map(|(status, kinds)| (status.to_string(), response(status, &kinds).into()))
        .collect()
}

/// The response of one status: its kinds, each with its English title.
fn response(status: u16, kinds: &[ProblemKind]) -> Response {
    let english = Messages::get(Lang::En);
    let description = kinds
        .iter()
        .map(|kind| {
            format!(
                "`{}`: {}",
                kind.type_uri(),
                english.text(kind.message_key())
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let narrowed = ObjectBuilder::new()
        .property(
            "type",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(kinds.iter().map(|kind| kind.type_uri()))),
        )
        .property(
            "status",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .enum_values(Some([status])),
        );
    let schema = AllOfBuilder::new()
        .item(Ref::from_schema_name("Problem"))
        .item(narrowed);
    let mut response = ResponseBuilder::new().description(description).content(
        omk_api::problem::PROBLEM_CONTENT_TYPE,
        ContentBuilder::new().schema(Some(schema)).build(),
    );
    if kinds.contains(&RateLimited) {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1)),
                )
                .description(Some("Seconds to wait before sending again"))
                .build(),
        );
    }
    if kinds.contains(&Unauthorized) {
        response = response.header(
            "WWW-Authenticate",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(["Bearer"])),
                )
                .build(),
        );
    }
    response.build()
}

/// Declares refusal sets: each a type whose responses are its kinds' (and any route's).
macro_rules! refusals {
    ($($(#[$doc:meta])* $name:ident = $($base:ident +)* [$($kind:ident),* $(,)?];)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl $name {
            /// The kinds of problem it names, besides any route's.
            pub fn kinds() -> Vec<ProblemKind> {
                let mut kinds: Vec<ProblemKind> = Vec::new();
                $(kinds.extend_from_slice($base);)*
                let own: &[ProblemKind] = &[$($kind),*];
                kinds.extend_from_slice(own);
                kinds
            }
        }

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                responses(&Self::kinds())
            }
        }
    )*};
}

refusals! {
    /// A read that takes nothing from the request.
    Read = [];
    /// A read with a query, which may not be readable.
    Listing = [BadRequest];
    /// A read of one thing named in the path.
    Lookup = [NotFound];
    /// A hand-over to a phone, whose links need a usable `Host` when no public URL is set.
    Handover = [BadRequest, NotFound];
    /// A hand-over of a page that needs nothing from the request but a usable `Host`.
    PhoneLink = [BadRequest];
    /// A visitor's write (a POST with an `Idempotency-Key`).
    VisitorWrite = VISITOR_WRITE + [];
    /// A vote: a visitor's write on a topic that may be closed.
    Vote = VISITOR_WRITE + [VotingClosed];
    /// A registration: a visitor's write on an event that may be unknown, full or closed.
    Registration = VISITOR_WRITE + [NotFound, EventFull, RegistrationClosed];
    /// A sign-in: wrong credentials, or too many of them.
    SignIn = JSON_BODY + [Unauthorized];
    /// A look at the session of the request's cookie.
    SessionRead = [Unauthorized];
    /// A sign-out: the session's cookie and its CSRF token.
    SignOut = OPERATOR_WRITE + [];
    /// An operator's read open to every operator.
    OperatorRead = SIGNED_IN + [];
    /// A read only admins may make, of a list named in the path.
    AdminLookup = SIGNED_IN + [Forbidden, NotFound];
    /// The inbox: a query, and a unit operator asking for another unit's issues.
    Inbox = SIGNED_IN + [BadRequest, Forbidden];
    /// One issue, which may be another unit's.
    IssueRead = SIGNED_IN + [NotFound, Forbidden];
    /// A look at an issue's contact details, which is recorded: a write without a body.
    ContactView = OPERATOR_WRITE + [NotFound, Forbidden];
    /// A move of an issue (status, routing), which someone else may have moved meanwhile.
    IssueMove = OPERATOR_WRITE + JSON_BODY + [NotFound, Forbidden, Conflict];
    /// A change of an issue that does not race (moderation).
    IssueChange = OPERATOR_WRITE + JSON_BODY + [NotFound, Forbidden];
    /// A read only admins may make.
    AdminRead = SIGNED_IN + [Forbidden];
    /// A read with a query only admins may make.
    AdminListing = SIGNED_IN + [BadRequest, Forbidden];
    /// A write only admins may make.
    AdminWrite = OPERATOR_WRITE + JSON_BODY + [Forbidden];
    /// A write only admins may make, on something named in the path that may not exist.
    AdminEdit = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound];
    /// A removal only admins may make, of something that may not exist.
    AdminRemoval = OPERATOR_WRITE + [Forbidden, NotFound];
    /// A program import: a query, and a file whose every line is checked.
    Import = OPERATOR_WRITE + JSON_BODY + [BadRequest, Forbidden];
    /// A new month's cycle: a month that already has one conflicts.
    CycleCreate = OPERATOR_WRITE + JSON_BODY + [Forbidden, Conflict];
    /// A move of a cycle: only to its next stage, once that stage's requirements are met.
    StageChange = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, Conflict, WrongStage, StageNotReady];
    /// A visitor's proposal: a month without a cycle, or one that no longer takes proposals.
    ProposalSubmit = VISITOR_WRITE + [NotFound, ProposalsClosed];
    /// A representative's vote: a month that is not voting, an unknown or used code.
    RepresentativeVoting = VISITOR_WRITE + [NotFound, VotingClosed, CodeUnknown, CodeUsed];
    /// A moderation of a proposal, which may have been moderated meanwhile.
    ProposalModerate = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, Conflict];
    /// The score's weights, locked once voting opens.
    WeightsChange = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, WeightsLocked];
    /// A candidate of the shortlist, edited while screening; an id of another month conflicts.
    CandidateEdit = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, Conflict, WrongStage];
    /// A write on a month's cycle that its stage allows or not (codes, the choice).
    CycleWrite = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, Conflict, WrongStage, StageNotReady];
    /// The month's hotline counts as a file whose every line is checked.
    SignalsImport = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, WrongStage];
    /// The outcome's admin writes on a month's cycle (meeting, decision, measure): a month
    /// without a cycle, or a stage that does not take it.
    OutcomeWrite = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, WrongStage];
    /// A change of a measure, which may be another unit's or of a closed cycle.
    OutcomeEdit = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, WrongStage];
    /// A check-in: an unknown or used code.
    CheckinWrite = OPERATOR_WRITE + JSON_BODY + [Forbidden, CheckinUnknown, CheckinUsed];
    /// The opinions' view (admins and supervisors), of a month that may have no cycle.
    OutcomeRead = SIGNED_IN + [Forbidden, NotFound];
    /// An attendee's opinion: an unknown registration, or one not checked in.
    OpinionWrite = VISITOR_WRITE + [NotFound, NotCheckedIn];
    /// An evaluation: a month without a cycle, or one not `reviewing`.
    Evaluation = VISITOR_WRITE + [NotFound, WrongStage];
    /// A letter's writer rating its reply: a visitor's write on a letter that may be unknown,
    /// not replied yet, or rated already.
    LetterRatingWrite = VISITOR_WRITE + [NotFound, WrongState];
    /// A comment: a visitor's write on a collection that may be unknown or not open.
    CommentWrite = VISITOR_WRITE + [NotFound, CollectionClosed];
    /// A move of a letter (review, reply, publication): another unit's or a role's refusal,
    /// a letter at another stage, or moved meanwhile.
    LetterMove = OPERATOR_WRITE + JSON_BODY + [NotFound, Forbidden, Conflict, WrongState];
    /// A change of an opinion collection with a body, only for admins, at the right stage.
    CollectionChange = OPERATOR_WRITE + JSON_BODY + [NotFound, Forbidden, Conflict, WrongState];
    /// A letter or comment promoted to a proposal: a moderator's write on a letter or
    /// published comment that may be unknown or promoted already, into a month that may no
    /// longer take proposals.
    PromotionWrite = OPERATOR_WRITE + JSON_BODY + [Forbidden, NotFound, Conflict, ProposalsClosed];
    /// A step of an opinion collection without a body (its publication).
    CollectionStep = OPERATOR_WRITE + [NotFound, Forbidden, Conflict, WrongState];
}
