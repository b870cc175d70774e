//! One issue as its operator works it: what the visitor wrote, its deadlines, the workflow's
//! actions (accept, answer, resolve, close, hand over, hide or show the text), the contact
//! details behind an audited button, and its history.

pub mod actions;

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use omk_api::events::encode_component;
use omk_api::{AuditEntry, Contact, InboxItem, IssueDetail};
use serde::Serialize;
use serde::de::IgnoredAny;

use crate::client::{ApiError, Client};
use crate::feedback::{FieldMessage, FormFeedback, FormState, LoadError};
use crate::format::{date_time, now};
use crate::i18n::use_i18n;
use crate::labels::{action_key, age_text, deadline_text, overdue_key, status_key};
use crate::names::use_names;
use crate::screen::{HEADING_ID, Screen, focus_heading};

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

impl Ctx {
    /// Sends `body` to the action `segment`; on success announces `done`, reloads the
    /// issue and puts focus back on its heading.
    fn act<B: Serialize + 'static>(
        self,
        form: FormState,
        segment: &'static str,
        body: B,
        done: &'static str,
    ) {
        form.start();
        self.notice.set(None);
        let path = issue_path(&self.number.get_value(), segment);
        spawn_local(async move {
            let result = self
                .client
                .send::<_, IgnoredAny>(Method::POST, &path, &body)
                .await;
            form.finish(&result, done);
            if result.is_ok() {
                self.notice.set(Some(done));
                self.detail.refetch();
                focus_heading();
            }
        });
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
    let body = move || {
        detail.get().map(|result| match result {
            Ok(found) => view! { <IssueView found ctx contact /> }.into_any(),
            Err(error) => view! { <LoadError error /> }.into_any(),
        })
    };
    view! {
        <p class="back"><a href=Screen::Inbox.hash() data-testid="back-to-inbox">{move || i18n.t("issue.back")}</a></p>
        <h1 id=HEADING_ID tabindex="-1">{move || i18n.format("issue.heading", &[("number", &number)])}</h1>
        <p class="status" role="status" data-testid="issue-notice">
            {move || ctx.notice.get().map(|key| i18n.t_owned(key))}
        </p>
        <Transition fallback=move || view! { <p role="status">{move || i18n.t("common.loading")}</p> }>
            {body}
        </Transition>
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
    let IssueDetail { issue, history } = found;
    let has_contact = issue.has_contact;
    view! {
        <div class="issue" data-testid="issue-detail" data-status=issue.status.as_str()>
            <Facts issue=issue.clone() />
            <Text issue=issue.clone() />
            {has_contact.then(|| view! { <ContactPanel ctx contact /> })}
            <section aria-labelledby="actions-heading" class="panel">
                <h2 id="actions-heading">{move || i18n.t("issue.actions")}</h2>
                <StatusActions issue=issue.clone() ctx />
                <RouteAction issue=issue.clone() ctx />
                <ModerationAction hidden=issue.hidden ctx />
            </section>
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
    let hidden = issue.hidden;
    view! {
        <section aria-labelledby="text-heading" class="panel">
            <h2 id="text-heading">{move || i18n.t("issue.description")}</h2>
            {hidden.then(|| view! {
                <p class="badge-line" data-testid="issue-hidden">
                    <strong>{move || i18n.t("issue.hidden")}</strong>
                </p>
            })}
            <blockquote class="visitor-text" class:hidden-text=hidden data-testid="issue-description">
                {issue.description}
            </blockquote>
            <h3>{move || i18n.t("issue.answer")}</h3>
            {match issue.answer {
                Some(answer) => view! { <p data-testid="issue-answer">{answer}</p> }.into_any(),
                None => view! { <p data-testid="issue-answer">{move || i18n.t("issue.no_answer")}</p> }.into_any(),
            }}
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
    let form = FormState::new();
    let reveal = move |_| {
        form.start();
        ctx.notice.set(None);
        let path = issue_path(&ctx.number.get_value(), "contact");
        spawn_local(async move {
            let result = ctx.client.post_empty::<Contact>(&path).await;
            form.finish(&result, "contact.shown");
            if let Ok(found) = result {
                contact.set(Some(found));
                ctx.notice.set(Some("contact.shown"));
                // The view is in the history now.
                ctx.detail.refetch();
            }
        });
    };
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
                <button type="button" class="secondary" on:click=reveal disabled=move || form.busy.get() data-testid="contact-reveal">
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
    let form = FormState::new();
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
            let on_click = move |_| match status_change(the_move, &answer.get_untracked()) {
                Ok(body) => ctx.act(form, "status", body, the_move.done_key()),
                Err(error) => form.invalid(vec![error]),
            };
            view! {
                <button
                    type="button"
                    class="primary"
                    on:click=on_click
                    disabled=move || form.busy.get()
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
                <div class="field">
                    <label for="answer-input">{move || i18n.t("action.answer_label")}</label>
                    <p class="hint" id="answer-hint">{move || i18n.t("action.answer_hint")}</p>
                    <textarea
                        id="answer-input"
                        rows="4"
                        maxlength="2000"
                        aria-invalid=move || form.invalid_attr("answer")
                        aria-describedby=move || {
                            let mut ids = String::from("answer-hint");
                            if let Some(error) = form.described_by("answer", "answer-input") {
                                ids.push(' ');
                                ids.push_str(&error);
                            }
                            ids
                        }
                        prop:value=move || answer.get()
                        on:input=move |ev| answer.set(event_target_value(&ev))
                        data-testid="answer-input"
                    ></textarea>
                    <FieldMessage form field="answer" input_id="answer-input" />
                </div>
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
    let i18n = use_i18n();
    let names = use_names();
    let form = FormState::new();
    let unit = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let current = issue.unit.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match route_change(&unit.get_untracked(), &reason.get_untracked()) {
            Ok(body) => ctx.act(form, "route", body, "action.routed"),
            Err(errors) => form.invalid(errors),
        }
    };
    let options = move || {
        let lang = i18n.lang();
        names
            .get()
            .active_units()
            .into_iter()
            .filter(|u| Some(&u.id) != current.as_ref())
            .map(|u| view! { <option value=u.id.clone()>{u.name(lang).to_owned()}</option> })
            .collect_view()
    };
    view! {
        <form class="action" on:submit=on_submit novalidate>
            <h3>{move || i18n.t("action.route_heading")}</h3>
            <div class="field">
                <label for="route-unit">{move || i18n.t("action.route_unit")}</label>
                <select
                    id="route-unit"
                    on:change=move |ev| unit.set(event_target_value(&ev))
                    aria-invalid=move || form.invalid_attr("unit")
                    aria-describedby=move || form.described_by("unit", "route-unit")
                    data-testid="route-unit"
                >
                    <option value="">{move || i18n.t("action.choose_unit")}</option>
                    {options}
                </select>
                <FieldMessage form field="unit" input_id="route-unit" />
            </div>
            <div class="field">
                <label for="route-reason">{move || i18n.t("action.reason")}</label>
                <textarea
                    id="route-reason"
                    rows="2"
                    maxlength="500"
                    aria-invalid=move || form.invalid_attr("reason")
                    aria-describedby=move || form.described_by("reason", "route-reason")
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                    data-testid="route-reason"
                ></textarea>
                <FieldMessage form field="reason" input_id="route-reason" />
            </div>
            <button type="submit" class="primary" disabled=move || form.busy.get() data-testid="action-route">
                {move || i18n.t("action.route")}
            </button>
            <FormFeedback form fields=&["unit", "reason"] testid="route-action" />
        </form>
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
    let i18n = use_i18n();
    let form = FormState::new();
    let reason = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match moderation(!hidden, &reason.get_untracked()) {
            Ok(body) => {
                let done = if hidden {
                    "action.shown"
                } else {
                    "action.hidden"
                };
                ctx.act(form, "moderation", body, done);
            }
            Err(errors) => form.invalid(errors),
        }
    };
    let (label, testid) = if hidden {
        ("action.show", "action-show")
    } else {
        ("action.hide", "action-hide")
    };
    view! {
        <form class="action" on:submit=on_submit novalidate>
            <h3>{move || i18n.t("action.moderation_heading")}</h3>
            <div class="field">
                <label for="moderation-reason">{move || i18n.t("action.reason")}</label>
                <textarea
                    id="moderation-reason"
                    rows="2"
                    maxlength="500"
                    aria-invalid=move || form.invalid_attr("reason")
                    aria-describedby=move || form.described_by("reason", "moderation-reason")
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                    data-testid="moderation-reason"
                ></textarea>
                <FieldMessage form field="reason" input_id="moderation-reason" />
            </div>
            <button type="submit" class="primary" disabled=move || form.busy.get() data-testid=testid>
                {move || i18n.t_owned(label)}
            </button>
            <FormFeedback form fields=&["reason"] testid="moderation-action" />
        </form>
    }
}

/// Everything done to the issue, oldest first.
#[component]
fn History(
    /// The audit entries about the issue.
    history: Vec<AuditEntry>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = history
        .into_iter()
        .map(|entry| {
            let key = action_key(entry.action);
            view! {
                <tr data-testid="history-row" data-action=entry.action.as_str()>
                    <td>{date_time(entry.at)}</td>
                    <td>{entry.actor}</td>
                    <td>{move || i18n.t_owned(&key)}</td>
                    <td>{entry.detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="history-heading" class="panel">
            <h2 id="history-heading">{move || i18n.t("issue.history")}</h2>
            <div class="table-wrap">
                <table class="data">
                    <caption class="visually-hidden">{move || i18n.t("issue.history")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t("audit.at")}</th>
                            <th scope="col">{move || i18n.t("audit.actor")}</th>
                            <th scope="col">{move || i18n.t("audit.action")}</th>
                            <th scope="col">{move || i18n.t("audit.detail")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
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
