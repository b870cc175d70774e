//! The selection stages on the month's question screen: the call for topics with its
//! "Propose" form, the published proposals, the shortlist with its tallies per channel, the
//! public vote (one per visit) and a representative's vote by printed code.

use leptos::prelude::*;
use omk_api::{
    CandidateView, CycleStage, CycleView, Entry, FieldError, Month, NewProposal, NewVote,
    ProposalReceipt, PublicProposal, RepresentativeVote, RepresentativeVoteReceipt, VoteReceipt,
};

use super::{CycleRefresh, in_lang};
use crate::client::Backend;
use crate::format;
use crate::i18n::{I18n, use_i18n};
use crate::kiosk::use_session;
use crate::outbox::{Delivery, Pending, use_outbox};

/// The words for a write's refusal, or for the first failing field.
fn refusal_text(i18n: I18n, errors: &[FieldError], fallback: &'static str) -> String {
    errors
        .first()
        .map(|e| i18n.t_owned(&e.message_key()))
        .unwrap_or_else(|| i18n.t(fallback).to_owned())
}

/// The call for topics: a proposal with a title, a text, a district and an optional
/// private phone with consent; the tracking code on success.
#[component]
pub fn ProposeForm(
    /// The cycle's month.
    month: Month,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let outbox = use_outbox();
    let districts = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<Vec<Entry>>("/districts").await }
    });
    let title = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let district = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sent = RwSignal::new(None::<Pending<ProposalReceipt>>);
    // The backend's refusal marks its fields, as the form's own check does.
    Effect::new(move |_| {
        if let Some(Delivery::Refused(error)) = sent.get().map(|p| p.get()) {
            errors.set(error.field_errors().to_vec());
        }
    });
    let error_of = move |field: &'static str| {
        move || {
            errors
                .get()
                .iter()
                .find(|e| e.field == field)
                .map(|e| i18n.t_owned(&e.message_key()))
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let proposal = NewProposal {
            title: title.get_untracked().trim().to_owned(),
            text: text.get_untracked().trim().to_owned(),
            district: district.get_untracked(),
            phone: Some(phone.get_untracked()).filter(|p| !p.trim().is_empty()),
            consent: consent.get_untracked(),
        };
        match proposal.validate() {
            Err(found) => errors.set(found),
            Ok(()) => {
                errors.set(Vec::new());
                let path = format!("/cycles/{month}/proposals");
                sent.set(Some(outbox.submit(&path, &proposal)));
            }
        }
    };
    let options = move || {
        let lang = i18n.lang();
        districts
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.active)
            .map(|d| {
                let name = in_lang(lang, &d.name_zh, &d.name_en);
                view! { <option value=d.id>{name}</option> }
            })
            .collect_view()
    };
    let outcome = move || {
        Some(match sent.get()?.get() {
            Delivery::Saved => i18n.t("cycle.propose.saved").to_owned(),
            Delivery::Delivered(receipt) => {
                i18n.format("cycle.propose.done", &[("code", &receipt.code)])
            }
            Delivery::Refused(error) => {
                refusal_text(i18n, error.field_errors(), error.message_key())
            }
        })
    };
    let done = move || matches!(sent.get().map(|p| p.get()), Some(Delivery::Delivered(_)));
    view! {
        <section class="omk-cycle-part" aria-labelledby="omk-propose-heading" data-testid="propose">
            <h3 id="omk-propose-heading">{move || i18n.t("cycle.propose.heading")}</h3>
            <p>{move || i18n.t("cycle.propose.hint")}</p>
            <Show when=move || !done()>
                <form class="omk-form" on:submit=submit novalidate=true>
                    <label for="omk-proposal-title">{move || i18n.t("cycle.propose.title")}</label>
                    <input id="omk-proposal-title" type="text" maxlength=NewProposal::TITLE_MAX
                        data-testid="proposal-title" prop:value=title
                        on:input=move |e| title.set(event_target_value(&e)) />
                    <p class="omk-field-error" data-testid="proposal-title-error">{error_of("title")}</p>
                    <label for="omk-proposal-text">{move || i18n.t("cycle.propose.text")}</label>
                    <textarea id="omk-proposal-text" maxlength=NewProposal::TEXT_MAX rows="4"
                        data-testid="proposal-text" prop:value=text
                        on:input=move |e| text.set(event_target_value(&e))></textarea>
                    <p class="omk-field-error">{error_of("text")}</p>
                    <label for="omk-proposal-district">{move || i18n.t("cycle.propose.district")}</label>
                    <select id="omk-proposal-district" data-testid="proposal-district"
                        on:change=move |e| district.set(event_target_value(&e))>
                        <option value="">{move || i18n.t("cycle.propose.choose")}</option>
                        {options}
                    </select>
                    <p class="omk-field-error">{error_of("district")}</p>
                    <label for="omk-proposal-phone">{move || i18n.t("cycle.propose.phone")}</label>
                    <input id="omk-proposal-phone" type="tel" autocomplete="off" prop:value=phone
                        on:input=move |e| phone.set(event_target_value(&e)) />
                    <label class="omk-check">
                        <input type="checkbox" prop:checked=consent
                            on:change=move |e| consent.set(event_target_checked(&e)) />
                        {move || i18n.t("cycle.propose.consent")}
                    </label>
                    <p class="omk-field-error">{error_of("phone")}</p>
                    <button type="submit" class="omk-primary" data-testid="proposal-submit">
                        {move || i18n.t("cycle.propose.submit")}
                    </button>
                </form>
            </Show>
            <p class="omk-outcome" role="status" data-testid="proposal-outcome">{outcome}</p>
        </section>
    }
}

/// The published proposals of the month.
#[component]
pub fn ProposalList(
    /// The cycle's month.
    month: Month,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let list = LocalResource::new(move || {
        let backend = backend.clone();
        async move {
            backend
                .get::<Vec<PublicProposal>>(&format!("/cycles/{month}/proposals"))
                .await
        }
    });
    let rows = move || {
        list.get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let merged = p.merged.len();
                view! {
                    <li data-testid="proposal">
                        <strong>{p.title}</strong>
                        <p>{p.text}</p>
                        {(merged > 0).then(|| view! {
                            <small>{move || i18n.format("cycle.proposals.merged", &[("n", &merged.to_string())])}</small>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="omk-cycle-part" aria-labelledby="omk-proposals-heading">
            <h3 id="omk-proposals-heading">{move || i18n.t("cycle.proposals.heading")}</h3>
            <ul class="omk-proposals">{rows}</ul>
        </section>
    }
}

/// The two channels' tallies of a candidate, apart: (message key, count), public first.
pub fn tallies(candidate: &CandidateView) -> [(&'static str, String); 2] {
    [
        ("cycle.tally.public", format::count(candidate.public_votes)),
        (
            "cycle.tally.representatives",
            format::count(candidate.representative_votes),
        ),
    ]
}

/// The shortlist; with `tallies`, each channel's tally apart and the public vote (one per
/// visit) while voting is open.
#[component]
pub fn Shortlist(
    /// The cycle.
    cycle: CycleView,
    /// Whether to show the tallies.
    tallies: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let outbox = use_outbox();
    let voting = cycle.stage == CycleStage::Voting;
    let failure = RwSignal::new(None::<&'static str>);
    let sent = RwSignal::new(None::<Pending<VoteReceipt>>);
    let counted = RwSignal::new(cycle.candidates.clone());
    let refresh = use_context::<CycleRefresh>();
    Effect::new(move |_| match sent.get().map(|p| p.get()) {
        Some(Delivery::Refused(error)) => {
            session.voted.set(None);
            failure.set(Some(error.message_key()));
        }
        Some(Delivery::Delivered(_)) => {
            if let Some(CycleRefresh(refresh)) = refresh {
                refresh.run(());
            }
        }
        Some(Delivery::Saved) | None => {}
    });
    let cast = move |id: String| {
        if session.voted.get_untracked().is_some() {
            return;
        }
        failure.set(None);
        session.voted.set(Some(id.clone()));
        sent.set(Some(outbox.submit("/votes", &NewVote { topic: id })));
    };
    let rows = move || {
        let lang = i18n.lang();
        let voted = session.voted.get();
        counted
            .get()
            .into_iter()
            .map(|c| {
                let title = in_lang(lang, &c.title_zh, &c.title_en);
                let mine = voted.as_deref() == Some(c.id.as_str());
                let parts = super::select::tallies(&c);
                let id = c.id.clone();
                let tally = tallies.then(|| {
                    parts
                        .into_iter()
                        .map(|(key, n)| {
                            view! { <span class="omk-tally">{move || i18n.format(key, &[("n", &n)])}</span> }
                        })
                        .collect_view()
                });
                let button = voting.then(|| view! {
                    <button type="button" class="omk-primary" disabled=voted.is_some()
                        data-testid="vote-button" on:click=move |_| cast(id.clone())>
                        {move || if mine { i18n.t("vote.yours") } else { i18n.t("vote.cast") }}
                    </button>
                });
                view! {
                    <li class="omk-topic" class:omk-mine=mine data-testid="topic">
                        <strong>{title}</strong>
                        <div class="omk-tallies" data-testid=format!("tallies-{}", c.id)>{tally}</div>
                        {button}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="omk-cycle-part" aria-labelledby="omk-shortlist-heading">
            <h3 id="omk-shortlist-heading">{move || i18n.t("cycle.shortlist.heading")}</h3>
            <Show when=move || counted.with(Vec::is_empty)>
                <p>{move || i18n.t("cycle.shortlist.preparing")}</p>
            </Show>
            <ul class="omk-topics">{rows}</ul>
            <p class="omk-outcome" role="status" data-testid="vote-outcome">
                {move || match (failure.get(), session.voted.get()) {
                    (Some(key), _) => Some(i18n.t(key)),
                    (None, Some(_)) if voting => Some(i18n.t("vote.thanks")),
                    _ => None,
                }}
            </p>
        </section>
    }
}

/// A representative's vote: the printed code and a candidate.
#[component]
pub fn RepresentativeVoteForm(
    /// The cycle (voting).
    cycle: CycleView,
) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let month = cycle.month;
    let code = RwSignal::new(String::new());
    let candidate = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let sent = RwSignal::new(None::<Pending<RepresentativeVoteReceipt>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let vote = RepresentativeVote {
            code: code.get_untracked().trim().to_owned(),
            candidate: candidate.get_untracked(),
        };
        if vote.code.is_empty() || vote.candidate.is_empty() {
            missing.set(true);
            return;
        }
        missing.set(false);
        let path = format!("/cycles/{month}/representative-votes");
        sent.set(Some(outbox.submit(&path, &vote)));
    };
    let options = {
        let candidates = cycle.candidates.clone();
        move || {
            let lang = i18n.lang();
            candidates
                .iter()
                .map(|c| {
                    let title = in_lang(lang, &c.title_zh, &c.title_en);
                    view! { <option value=c.id.clone()>{title}</option> }
                })
                .collect_view()
        }
    };
    let outcome = move || {
        if missing.get() {
            return Some(i18n.t("error.required").to_owned());
        }
        Some(match sent.get()?.get() {
            Delivery::Saved => i18n.t("cycle.propose.saved").to_owned(),
            Delivery::Delivered(_) => i18n.t("cycle.represent.done").to_owned(),
            Delivery::Refused(error) => {
                refusal_text(i18n, error.field_errors(), error.message_key())
            }
        })
    };
    view! {
        <section class="omk-cycle-part" aria-labelledby="omk-represent-heading" data-testid="represent">
            <h3 id="omk-represent-heading">{move || i18n.t("cycle.represent.heading")}</h3>
            <form class="omk-form" on:submit=submit novalidate=true>
                <label for="omk-represent-code">{move || i18n.t("cycle.represent.code")}</label>
                <input id="omk-represent-code" type="text" autocomplete="off" prop:value=code
                    on:input=move |e| code.set(event_target_value(&e)) />
                <label for="omk-represent-candidate">{move || i18n.t("cycle.represent.candidate")}</label>
                <select id="omk-represent-candidate"
                    on:change=move |e| candidate.set(event_target_value(&e))>
                    <option value="">{move || i18n.t("cycle.propose.choose")}</option>
                    {options}
                </select>
                <button type="submit" class="omk-primary">{move || i18n.t("cycle.represent.submit")}</button>
            </form>
            <p class="omk-outcome" role="status" data-testid="represent-outcome">{outcome}</p>
        </section>
    }
}
