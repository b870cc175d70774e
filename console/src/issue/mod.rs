//! One issue as its operator works it: what the visitor wrote, its deadlines, the workflow's
//! actions (accept, answer, resolve, close, hand over, hide or show the text), the contact
//! details behind an audited button, and its history.

pub mod actions;

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::events::encode_component;
use omk_api::{AuditEntry, Contact, InboxItem, IssueDetail, Role};
use serde::Serialize;
use serde::de::IgnoredAny;

use crate::audit::{action_of, audit_columns};
use crate::client::{ApiError, Client};
use crate::feedback::{FormFeedback, FormState};
use crate::format::{date_time, now};
use crate::i18n::use_i18n;
use crate::kit::{
    ActionForm, Loaded, RowMarks, Select, Submit, Table, TextField, Units, unit_choices,
};
use crate::labels::{age_text, deadline_text, overdue_key, status_key};
use crate::names::use_names;
use crate::screen::{Screen, ScreenHeading, focus_heading};
use crate::session::use_auth;

use actions::{AnswerUse, moderation, offered_moves, route_change, status_change};

/// The API path of an issue, or of one of its actions (`segment` empty for the issue).
fn issue_path(number: &str, segment: &str) -> String {
    let base = format!("/admin/issues/{}", encode_component(number));
    if segment.is_empty() {
        base
    } else {
        format!("{base}/{segment}")
    }
}

/// What every action shares: where to send it, how to reload, and where to announce it.
#[derive(Clone, Copy)]
struct Ctx {
    client: Client,
    number: StoredValue<String>,
    detail: LocalResource<Result<IssueDetail, ApiError>>,
    /// The last action's outcome, announced above the details.
    notice: RwSignal<Option<&'static str>>,
}

/// An action's body and the message key of its success.
type Act<B> = (B, &'static str);

impl Ctx {
    /// The action `segment`: it sends a body (clearing the last notice); on success it
    /// announces the body's message, reloads the issue and puts focus back on its heading.
    fn action<B: Serialize + Clone + 'static>(
        self,
        segment: &'static str,
    ) -> Submit<Act<B>, IgnoredAny> {
        Submit::new(
            FormState::new(),
            |(_, done): &Act<B>| *done,
            move |(body, _): Act<B>| {
                self.notice.set(None);
                let path = issue_path(&self.number.get_value(), segment);
                async move {
                    self.client
                        .send::<_, IgnoredAny>(Method::POST, &path, &body)
                        .await
                }
            },
            move |(_, done), _| {
                self.notice.set(Some(done));
                self.detail.refetch();
                focus_heading();
            },
        )
    }
}

/// The issue screen.
#[component]
pub fn IssueScreen(
    /// The issue's tracking number.
    number: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let path = issue_path(&number, "");
    let detail = LocalResource::new(move || {
        let path = path.clone();
        async move { client.get::<IssueDetail>(&path).await }
    });
    let ctx = Ctx {
        client,
        number: StoredValue::new(number.clone()),
        detail,
        notice: RwSignal::new(None),
    };
    // Shown only here, only after the button, and gone with the screen: never stored.
    let contact = RwSignal::new(None::<Contact>);
    let body = move |found: IssueDetail| view! { <IssueView found ctx contact /> };
    view! {
        <p class="back"><a href=Screen::Inbox.hash() data-testid="back-to-inbox">{move || i18n.t("issue.back")}</a></p>
        <ScreenHeading text=Signal::derive(move || i18n.format("issue.heading", &[("number", &number)])) />
        <p class="status" role="status" data-testid="issue-notice">
            {move || ctx.notice.get().map(|key| i18n.t_owned(key))}
        </p>
        <Loaded resource=detail show=body />
    }
}

/// Everything about a loaded issue.
#[component]
fn IssueView(
    /// The issue and its history.
    found: IssueDetail,
    /// Where actions go.
    ctx: Ctx,
    /// The contact details, once revealed.
    contact: RwSignal<Option<Contact>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = use_auth().role();
    let IssueDetail { issue, history } = found;
    let acts = role.is_some_and(Role::acts);
    let moderates = role.is_some_and(Role::moderates);
    let has_contact = issue.has_contact && acts;
    let actions = (acts || moderates).then(|| {
        let on_status = issue.clone();
        view! {
            <section aria-labelledby="actions-heading" class="panel">
                <h2 id="actions-heading">{move || i18n.t("issue.actions")}</h2>
                {acts.then(|| view! {
                    <StatusActions issue=on_status ctx />
                    <RouteAction issue=issue.clone() ctx />
                })}
                {moderates.then(|| view! { <ModerationAction hidden=issue.hidden ctx /> })}
            </section>
        }
    });
    view! {
        <div class="issue" data-testid="issue-detail" data-status=issue.status.as_str()>
            <Facts issue=issue.clone() />
            <Text issue=issue.clone() />
            {has_contact.then(|| view! { <ContactPanel ctx contact /> })}
            {actions}
            <History history />
        </div>
    }
}

/// The facts: status, category, unit, place, times and deadlines.
#[component]
fn Facts(
    /// The issue.
    issue: InboxItem,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = use_names();
    let now = now();
    let InboxItem {
        category,
        unit,
        status,
        place,
        created_at,
        updated_at,
        accept_due,
        resolve_due,
        overdue,
        ..
    } = issue;
    let category_name = move || names.get().category(&category, i18n.lang());
    let unit_name = move || match &unit {
        Some(unit) => names.get().unit(unit, i18n.lang()),
        None => i18n.t("issue.no_unit").to_owned(),
    };
    let deadline = move || {
        deadline_text(i18n, status, accept_due, resolve_due, now)
            .unwrap_or_else(|| i18n.t("deadline.none").to_owned())
    };
    view! {
        <section aria-labelledby="facts-heading" class="panel">
            <h2 id="facts-heading">{move || i18n.t("issue.facts")}</h2>
            {overdue.map(|o| view! {
                <p class="flag-overdue" data-testid="issue-overdue">
                    <span aria-hidden="true">"⚠ "</span>{move || i18n.t(overdue_key(o))}
                </p>
            })}
            <dl class="facts">
                <dt>{move || i18n.t("issue.status")}</dt>
                <dd data-testid="issue-status">{move || i18n.t(status_key(status))}</dd>
                <dt>{move || i18n.t("issue.category")}</dt>
                <dd data-testid="issue-category">{category_name}</dd>
                <dt>{move || i18n.t("issue.unit")}</dt>
                <dd data-testid="issue-unit">{unit_name}</dd>
                <dt>{move || i18n.t("issue.place")}</dt>
                <dd>{place}</dd>
                <dt>{move || i18n.t("issue.received")}</dt>
                <dd>{date_time(created_at)}" ("{move || age_text(i18n, created_at, now)}")"</dd>
                <dt>{move || i18n.t("issue.updated")}</dt>
                <dd>{date_time(updated_at)}</dd>
                <dt>{move || i18n.t("issue.deadline")}</dt>
                <dd data-testid="issue-deadline">{deadline}</dd>
                <dt>{move || i18n.t("issue.accept_due")}</dt>
                <dd>{date_time(accept_due)}</dd>
                <dt>{move || i18n.t("issue.resolve_due")}</dt>
                <dd>{date_time(resolve_due)}</dd>
            </dl>
        </section>
    }
}

/// What the visitor wrote (marked when hidden from the public) and the public answer.
#[component]
fn Text(
    /// The issue.
    issue: InboxItem,
) -> impl IntoView {
    let i18n = use_i18n();
    let answer = match issue.answer {
        Some(answer) => answer.into_any(),
        None => (move || i18n.t("issue.no_answer")).into_any(),
    };
    view! {
        <section aria-labelledby="text-heading" class="panel">
            <h2 id="text-heading">{move || i18n.t("issue.description")}</h2>
            {issue.hidden.then(|| view! {
                <p class="badge-line" data-testid="issue-hidden">
                    <strong>{move || i18n.t("issue.hidden")}</strong>
                </p>
            })}
            <blockquote class="visitor-text" class:hidden-text=issue.hidden data-testid="issue-description">
                {issue.description}
            </blockquote>
            <h3>{move || i18n.t("issue.answer")}</h3>
            <p data-testid="issue-answer">{answer}</p>
        </section>
    }
}

/// The visitor's contact details, behind a button whose every use is audited.
#[component]
fn ContactPanel(
    /// Where the request goes.
    ctx: Ctx,
    /// The details, once revealed.
    contact: RwSignal<Option<Contact>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reveal = Submit::new(
        FormState::new(),
        |_| "contact.shown",
        move |path: String| {
            ctx.notice.set(None);
            async move { ctx.client.post_empty::<Contact>(&path).await }
        },
        move |_, found: &Contact| {
            contact.set(Some(found.clone()));
            ctx.notice.set(Some("contact.shown"));
            // The view is in the history now.
            ctx.detail.refetch();
        },
    );
    let form = reveal.form();
    let on_reveal = move |_| reveal.run(Ok(issue_path(&ctx.number.get_value(), "contact")));
    let details = move || {
        contact.get().map(|found| {
            let none = move || i18n.t("contact.none");
            view! {
                <dl class="facts" data-testid="contact-details">
                    <dt>{move || i18n.t("contact.name")}</dt>
                    <dd data-testid="contact-name">{found.name.map(|n| n.into_any()).unwrap_or_else(|| none.into_any())}</dd>
                    <dt>{move || i18n.t("contact.phone")}</dt>
                    <dd data-testid="contact-phone">{found.phone.map(|p| p.into_any()).unwrap_or_else(|| none.into_any())}</dd>
                </dl>
            }
        })
    };
    view! {
        <section aria-labelledby="contact-heading" class="panel">
            <h2 id="contact-heading">{move || i18n.t("contact.heading")}</h2>
            <p class="note">{move || i18n.t("contact.audited")}</p>
            {move || contact.with(Option::is_none).then(|| view! {
                <button type="button" class="secondary" on:click=on_reveal disabled=move || reveal.busy() data-testid="contact-reveal">
                    {move || i18n.t("contact.reveal")}
                </button>
            })}
            {details}
            <FormFeedback form fields=&[] testid="contact" />
        </section>
    }
}

/// The status moves the workflow allows, sharing one public answer.
#[component]
fn StatusActions(
    /// The issue.
    issue: InboxItem,
    /// Where actions go.
    ctx: Ctx,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ctx.action("status");
    let form = action.form();
    let answer = RwSignal::new(issue.answer.clone().unwrap_or_default());
    let moves = offered_moves(issue.status);
    if moves.is_empty() {
        return view! {
            <p data-testid="status-final">{move || i18n.t("action.final")}</p>
        }
        .into_any();
    }
    let takes_answer = moves.iter().any(|m| m.answer_use() != AnswerUse::Ignored);
    let buttons = moves
        .into_iter()
        .map(|the_move| {
            let on_click = move |_| {
                let checked = status_change(the_move, &answer.get_untracked());
                action.run(
                    checked
                        .map(|body| (body, the_move.done_key()))
                        .map_err(|e| vec![e]),
                );
            };
            view! {
                <button
                    type="button"
                    class="primary"
                    on:click=on_click
                    disabled=move || action.busy()
                    data-testid=the_move.testid()
                >
                    {move || i18n.t(the_move.label_key())}
                </button>
            }
        })
        .collect_view();
    view! {
        <fieldset class="action">
            <legend>{move || i18n.t("action.status_legend")}</legend>
            {takes_answer.then(|| view! {
                <TextField form field="answer" id="answer-input" label="action.answer_label" hint="action.answer_hint"
                    multiline=true rows=4 maxlength=2000 value=answer on_input=move |v| answer.set(v) />
            })}
            <div class="buttons">{buttons}</div>
            <FormFeedback form fields=&["answer"] testid="status-action" />
        </fieldset>
    }
    .into_any()
}

/// Handing the issue to another unit, with the reason.
#[component]
fn RouteAction(
    /// The issue.
    issue: InboxItem,
    /// Where actions go.
    ctx: Ctx,
) -> impl IntoView {
    let action = ctx.action("route");
    let form = action.form();
    let unit = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let check = move || {
        route_change(&unit.get_untracked(), &reason.get_untracked())
            .map(|body| (body, "action.routed"))
    };
    view! {
        <ActionForm heading="action.route_heading" send=action.checked(check) label="action.route" testid="action-route"
            fields=&["unit", "reason"] feedback="route-action">
            <Select form field="unit" id="route-unit" label="action.route_unit" options=unit_choices(Units::ActiveBut(issue.unit))
                empty="action.choose_unit" value=unit on_change=move |v| unit.set(v) />
            <TextField form field="reason" id="route-reason" label="action.reason" multiline=true rows=2
                maxlength=500 value=reason on_input=move |v| reason.set(v) />
        </ActionForm>
    }
}

/// Hiding the visitor's text from every public view, or showing it again, with the reason.
#[component]
fn ModerationAction(
    /// Whether the text is hidden now.
    hidden: bool,
    /// Where actions go.
    ctx: Ctx,
) -> impl IntoView {
    let action = ctx.action("moderation");
    let form = action.form();
    let reason = RwSignal::new(String::new());
    let (label, testid, done) = if hidden {
        ("action.show", "action-show", "action.shown")
    } else {
        ("action.hide", "action-hide", "action.hidden")
    };
    let check = move || moderation(!hidden, &reason.get_untracked()).map(|body| (body, done));
    view! {
        <ActionForm heading="action.moderation_heading" send=action.checked(check) label testid
            fields=&["reason"] feedback="moderation-action">
            <TextField form field="reason" id="moderation-reason" label="action.reason" multiline=true rows=2
                maxlength=500 value=reason on_input=move |v| reason.set(v) />
        </ActionForm>
    }
}

/// Everything done to the issue, oldest first.
#[component]
fn History(
    /// The audit entries about the issue.
    history: Vec<AuditEntry>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="history-heading" class="panel">
            <h2 id="history-heading">{move || i18n.t("issue.history")}</h2>
            <Table caption="issue.history" columns=audit_columns(false) items=history
                rows=RowMarks::testid("history-row").with_data("data-action", action_of) no_row_header=true />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::actions::Move;
    use super::*;

    #[test]
    fn action_paths_encode_the_number() {
        assert_eq!(issue_path("OM-7K3F-9QX2", ""), "/admin/issues/OM-7K3F-9QX2");
        assert_eq!(
            issue_path("OM-7K3F-9QX2", "route"),
            "/admin/issues/OM-7K3F-9QX2/route"
        );
        assert_eq!(issue_path("a/b", ""), "/admin/issues/a%2Fb");
    }

    #[test]
    fn every_move_has_words_in_both_languages() {
        for the_move in Move::ALL {
            for key in [the_move.label_key(), the_move.done_key()] {
                for lang in omk_api::Lang::ALL {
                    assert!(crate::i18n::catalogue(lang).has(key), "{key}");
                }
            }
        }
    }
}
