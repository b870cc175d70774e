//! The month's proposals queue: every proposal in every state for moderators, admins and
//! supervisors; moderators and admins publish, merge or reject (with a public reason).

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::cycle::Month;
use omk_api::cycle::proposals::{ProposalAction, ProposalState};
use omk_api::events::encode_component;
use omk_api::{ModeratedProposal, ProposalModeration, ProposalStatus};

use crate::client::Client;
use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::{
    ActionForm, Choice, Column, Empty, Loaded, RowMarks, Select, Submit, Table, TextField,
};
use crate::screen::focus_later;

use super::proposals::{FIELDS, ModerationForm, origin};

/// The proposals of `month`, and the moderation form when a proposal is chosen.
#[component]
pub fn ProposalsQueue(
    /// The cycle's month.
    month: Month,
    /// Whether the operator moderates.
    moderates: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let proposals = LocalResource::new(move || async move {
        let path = format!("/admin/cycles/{month}/proposals");
        client.get::<Vec<ModeratedProposal>>(&path).await
    });
    let chosen = RwSignal::new(None::<ModerationForm>);
    let table = move |found: Vec<ModeratedProposal>| {
        view! {
            <Table caption="proposals.list" columns=columns(chosen, moderates) items=found
                rows=RowMarks::testid("proposal-row").with_data("data-code", |p: &ModeratedProposal| p.proposal.code.clone())
                empty=Empty { key: "proposals.none", testid: "proposals-none" } />
        }
    };
    let editor = move || {
        chosen
            .get()
            .map(|draft| view! { <Moderation draft chosen proposals /> })
    };
    view! {
        <section aria-labelledby="proposals-heading" class="panel">
            <h2 id="proposals-heading">{move || i18n.t("proposals.heading")}</h2>
            {editor}
            <Loaded resource=proposals show=table />
        </section>
    }
}

/// The queue's columns: code, title, where it came from, state, reason, and the moderate
/// button.
fn columns(
    chosen: RwSignal<Option<ModerationForm>>,
    moderates: bool,
) -> Vec<Column<ModeratedProposal>> {
    let i18n = use_i18n();
    let mut columns = vec![
        Column::new("proposals.code", |p: &ModeratedProposal| {
            p.proposal.code.clone()
        }),
        Column::new("proposals.title", |p: &ModeratedProposal| {
            p.proposal.title.clone()
        }),
        Column::new("proposals.origin", move |p: &ModeratedProposal| {
            let (key, args) = origin(p);
            move || {
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                i18n.format(key, &args)
            }
        })
        .testid("proposal-origin"),
        Column::new("proposals.state", move |p: &ModeratedProposal| {
            let key = p.proposal.state.message_key();
            let into = p.proposal.merged_into.clone();
            move || {
                let state = i18n.shared().text(key).to_owned();
                match &into {
                    Some(into) => format!("{state} → {into}"),
                    None => state,
                }
            }
        })
        .testid("proposal-state"),
        Column::new("proposals.reason", |p: &ModeratedProposal| p.reason.clone()),
    ];
    if moderates {
        columns.push(Column::new("common.actions", move |p: &ModeratedProposal| {
            let code = p.proposal.code.clone();
            let open = matches!(p.proposal.state, ProposalState::Received | ProposalState::Published);
            let start = move |_| {
                chosen.set(Some(ModerationForm::of(&code)));
                focus_later("proposal-action");
            };
            open.then(|| view! {
                <button type="button" class="secondary" on:click=start data-testid="proposal-moderate">
                    {move || i18n.t("proposals.moderate")}
                </button>
            })
        }));
    }
    columns
}

/// The moderation of the chosen proposal.
#[component]
fn Moderation(
    /// The moderation as first shown.
    draft: ModerationForm,
    /// The chosen proposal; cleared once moderated.
    chosen: RwSignal<Option<ModerationForm>>,
    /// Reloaded once moderated.
    proposals: LocalResource<Result<Vec<ModeratedProposal>, crate::client::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let code = draft.code.clone();
    let draft = RwSignal::new(draft);
    let send = Submit::new(
        form,
        |_| "proposals.moderated",
        move |(code, input): (String, ProposalModeration)| async move {
            let path = format!("/admin/proposals/{}/moderation", encode_component(&code));
            client
                .send::<_, ProposalStatus>(Method::POST, &path, &input)
                .await
        },
        move |_, _| {
            chosen.set(None);
            proposals.refetch();
        },
    );
    let actions = Signal::derive(move || {
        [
            ProposalAction::Publish,
            ProposalAction::Merge,
            ProposalAction::Reject,
        ]
        .into_iter()
        .map(|a| {
            let wire = ModerationForm::action_str(a);
            Choice::new(wire, i18n.t_owned(&format!("proposals.action.{wire}")))
        })
        .collect()
    });
    let targets = Signal::derive(move || {
        let own = draft.with(|d| d.code.clone());
        proposals
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.proposal.state == ProposalState::Published && p.proposal.code != own)
            .map(|p| {
                Choice::new(
                    p.proposal.code.clone(),
                    format!("{} · {}", p.proposal.code, p.proposal.title),
                )
            })
            .collect()
    });
    let into = move || {
        draft.with(|d| d.action == ProposalAction::Merge).then(|| view! {
            <Select form field="into" id="proposal-into" label="proposals.into" options=targets empty="proposals.choose_target"
                value=Signal::derive(move || draft.with(|d| d.into.clone()))
                on_change=move |v| draft.update(|d| d.into = v) />
        })
    };
    let set_action = move |v: String| {
        let action = match v.as_str() {
            "merge" => ProposalAction::Merge,
            "reject" => ProposalAction::Reject,
            _ => ProposalAction::Publish,
        };
        draft.update(|d| d.action = action);
    };
    view! {
        <p>{move || i18n.format("proposals.moderating", &[("code", &code)])}</p>
        <ActionForm heading="proposals.moderate" send=send.checked(move || draft.with_untracked(ModerationForm::to_input))
            label="common.save" testid="proposal-moderation-save" fields=&FIELDS feedback="proposal-moderation">
            <Select id="proposal-action" label="proposals.action" options=actions
                value=Signal::derive(move || ModerationForm::action_str(draft.with(|d| d.action)).to_owned())
                on_change=set_action />
            {into}
            <TextField form field="reason" id="proposal-reason" label="proposals.public_reason" maxlength=ProposalModeration::REASON_MAX as u32
                value=Signal::derive(move || draft.with(|d| d.reason.clone()))
                on_input=move |v| draft.update(|d| d.reason = v) />
        </ActionForm>
        <button type="button" class="secondary" on:click=move |_| chosen.set(None) data-testid="proposal-moderation-close">
            {move || i18n.t("common.close")}
        </button>
    }
}
