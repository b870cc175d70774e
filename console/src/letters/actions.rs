//! One letter as an operator sees it, with the actions the role allows in its state:
//! the audited contact, review (admins), reply (the letter's unit or admins), publication
//! of an approved public text when the writer consented, and promotion to a proposal for
//! the month's topic (moderators, admins).

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::Contact;
use omk_api::events::encode_component;
use omk_api::mailbox::{
    DeclineReason, LetterDetail, LetterItem, LetterPage, LetterPublication, LetterReply,
    LetterState,
};

use crate::client::{ApiError, Client};
use crate::feedback::{FormFeedback, FormState};
use crate::format::date_time;
use crate::i18n::use_i18n;
use crate::kit::{ActionForm, Choice, Loaded, Select, Submit, TextField, Units, unit_choices};
use crate::letters::form::{REVIEW_FIELDS, ReviewForm, Verdict};
use crate::letters::rights::LetterRights;
use crate::promotion::Promote;

/// The letters list, reloaded after a change.
pub type LettersResource = LocalResource<Result<LetterPage, ApiError>>;

/// The path of a letter's action (`""` for the letter itself).
fn letter_path(code: &str, action: &str) -> String {
    let base = format!("/admin/letters/{}", encode_component(code));
    if action.is_empty() {
        base
    } else {
        format!("{base}/{action}")
    }
}

/// The chosen letter.
#[component]
pub fn LetterPanel(
    /// Its code.
    code: String,
    /// What the operator may do.
    rights: LetterRights,
    /// The list, reloaded after a change.
    letters: LettersResource,
    /// The chosen letter's code; cleared by Close.
    chosen: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let path = letter_path(&code, "");
    let detail = LocalResource::new(move || {
        let path = path.clone();
        async move { client.get::<LetterDetail>(&path).await }
    });
    let reload = move || {
        detail.refetch();
        letters.refetch();
    };
    let show = move |found: LetterDetail| {
        view! { <LetterView letter=found.letter rights reload=Callback::new(move |()| reload()) /> }
    };
    view! {
        <section aria-labelledby="letter-heading" class="panel" data-testid="letter-panel">
            <h2 id="letter-heading" tabindex="-1">{move || i18n.format("letters.letter", &[("code", &code)])}</h2>
            <Loaded resource=detail show />
            <button type="button" class="secondary" on:click=move |_| chosen.set(None) data-testid="letter-close">
                {move || i18n.t("common.close")}
            </button>
        </section>
    }
}

/// The letter's text, its answer, and its actions.
#[component]
fn LetterView(
    /// The letter.
    letter: LetterItem,
    /// What the operator may do.
    rights: LetterRights,
    /// Reloads the letter and the list.
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = StoredValue::new(letter.code.clone());
    let state = letter.state;
    let reason = letter.decline_reason.map(|r| {
        let key = r.message_key();
        view! { <p data-testid="letter-decline">{move || i18n.shared().text(key).to_owned()}</p> }
    });
    let rating = letter.rating_reason.clone().map(|why| {
        view! { <p data-testid="letter-rating-reason">{move || i18n.t("letters.not_satisfied")}": "{why.clone()}</p> }
    });
    let contact = (rights.replies && letter.has_contact).then(|| view! { <ContactReveal code /> });
    let review = (rights.reviews && state == LetterState::AwaitingReview)
        .then(|| view! { <Review code reload /> });
    let reply =
        (rights.replies && state == LetterState::Accepted).then(|| view! { <Reply code reload /> });
    let publish = (rights.publishes && state == LetterState::Replied && letter.may_publish)
        .then(|| view! { <Publish letter=letter.clone() reload /> });
    let proposal = letter.proposal.clone().map(|code| {
        view! {
            <dt>{move || i18n.t("letters.proposal")}</dt>
            <dd data-testid="letter-proposal">{code}</dd>
        }
    });
    let promote = (rights.promotes && letter.proposal.is_none())
        .then(|| view! { <PromoteLetter code reload /> });
    let state_key = state.message_key();
    view! {
        <dl class="facts">
            <dt>{move || i18n.t("letters.state")}</dt>
            <dd data-testid="letter-detail-state">{move || i18n.shared().text(state_key).to_owned()}</dd>
            <dt>{move || i18n.t("letters.written")}</dt>
            <dd>{date_time(letter.created_at)}</dd>
            {proposal}
        </dl>
        <h3>{letter.title.clone()}</h3>
        <p class="letter-text" data-testid="letter-text">{letter.text.clone()}</p>
        {reason}
        {letter.reply.clone().map(|r| view! { <h3>{move || i18n.t("letters.reply")}</h3><p data-testid="letter-reply">{r}</p> })}
        {rating}
        {contact}
        {review}
        {reply}
        {publish}
        {promote}
    }
}

/// The writer's contact, behind a button whose every use is audited.
#[component]
fn ContactReveal(
    /// The letter's code.
    code: StoredValue<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let contact = RwSignal::new(None::<Contact>);
    let reveal = Submit::new(
        FormState::new(),
        |_| "contact.shown",
        move |path: String| async move { client.post_empty::<Contact>(&path).await },
        move |_, found: &Contact| contact.set(Some(found.clone())),
    );
    let form = reveal.form();
    let on_reveal = move |_| reveal.run(Ok(letter_path(&code.get_value(), "contact")));
    let details = move || {
        contact.get().map(|found| {
            let none = i18n.t("contact.none");
            view! {
                <dl class="facts" data-testid="letter-contact">
                    <dt>{move || i18n.t("contact.name")}</dt>
                    <dd>{found.name.unwrap_or_else(|| none.to_owned())}</dd>
                    <dt>{move || i18n.t("contact.phone")}</dt>
                    <dd>{found.phone.unwrap_or_else(|| none.to_owned())}</dd>
                </dl>
            }
        })
    };
    view! {
        <p class="note">{move || i18n.t("contact.audited")}</p>
        {move || contact.with(Option::is_none).then(|| view! {
            <button type="button" class="secondary" on:click=on_reveal disabled=move || reveal.busy() data-testid="letter-contact-reveal">
                {move || i18n.t("contact.reveal")}
            </button>
        })}
        {details}
        <FormFeedback form fields=&[] testid="letter-contact" />
    }
}

/// Accept and route, or decline with a reason from the fixed list.
#[component]
fn Review(
    /// The letter's code.
    code: StoredValue<String>,
    /// Called after the review.
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let draft = RwSignal::new(ReviewForm::default());
    let send = Submit::new(
        form,
        |_| "letters.reviewed",
        move |input: omk_api::mailbox::LetterReview| async move {
            let path = letter_path(&code.get_value(), "review");
            client
                .send::<_, LetterItem>(Method::POST, &path, &input)
                .await
        },
        move |_, _| reload.run(()),
    );
    let verdicts = Signal::derive(move || {
        vec![
            Choice::new("accept", i18n.t("letters.accept")),
            Choice::new("decline", i18n.t("letters.decline")),
        ]
    });
    let reasons = Signal::derive(move || {
        DeclineReason::ALL
            .into_iter()
            .map(|r| Choice::new(r.as_str(), i18n.shared().text(r.message_key())))
            .collect()
    });
    let units = unit_choices(Units::ActiveBut(None));
    let verdict = Signal::derive(move || {
        let accept = draft.with(|d| d.verdict == Verdict::Accept);
        if accept { "accept" } else { "decline" }.to_owned()
    });
    let second = move || {
        if draft.with(|d| d.verdict == Verdict::Accept) {
            view! {
                <Select form field="unit" id="letter-unit" label="letters.unit" options=units empty="action.choose_unit"
                    value=Signal::derive(move || draft.with(|d| d.unit.clone()))
                    on_change=move |v| draft.update(|d| d.unit = v) />
            }
            .into_any()
        } else {
            view! {
                <Select form field="decline" id="letter-decline-reason" label="letters.decline_reason" options=reasons
                    empty="letters.choose_reason" value=Signal::derive(move || draft.with(|d| d.decline.clone()))
                    on_change=move |v| draft.update(|d| d.decline = v) />
            }
            .into_any()
        }
    };
    view! {
        <ActionForm heading="letters.review" send=send.checked(move || draft.with_untracked(ReviewForm::to_input))
            label="letters.review_send" testid="letter-review" fields=&REVIEW_FIELDS feedback="letter-review">
            <Select id="letter-verdict" label="letters.verdict" options=verdicts value=verdict
                on_change=move |v: String| draft.update(|d| d.verdict = if v == "decline" { Verdict::Decline } else { Verdict::Accept }) />
            {second}
        </ActionForm>
    }
}

/// The reply to an accepted letter.
#[component]
fn Reply(
    /// The letter's code.
    code: StoredValue<String>,
    /// Called after the reply.
    reload: Callback<()>,
) -> impl IntoView {
    let client = expect_context::<Client>();
    let form = FormState::new();
    let text = RwSignal::new(String::new());
    let send = Submit::new(
        form,
        |_| "letters.replied",
        move |input: LetterReply| async move {
            let path = letter_path(&code.get_value(), "reply");
            client
                .send::<_, LetterItem>(Method::POST, &path, &input)
                .await
        },
        move |_, _| reload.run(()),
    );
    let check = move || {
        let input = LetterReply {
            reply: text.get_untracked().trim().to_owned(),
        };
        input.validate().map(|()| input)
    };
    view! {
        <ActionForm heading="letters.reply" send=send.checked(check) label="letters.reply_send"
            testid="letter-reply-send" fields=&["reply"] feedback="letter-reply">
            <TextField form field="reply" id="letter-reply-text" label="letters.reply" multiline=true rows=5
                maxlength=LetterReply::REPLY_MAX as u32 value=text on_input=move |v| text.set(v) />
        </ActionForm>
    }
}

/// The approved public text of a replied letter whose writer consented.
#[component]
fn Publish(
    /// The letter (its text is the draft of the public one).
    letter: LetterItem,
    /// Called after publishing.
    reload: Callback<()>,
) -> impl IntoView {
    let client = expect_context::<Client>();
    let form = FormState::new();
    let code = StoredValue::new(letter.code.clone());
    let title = RwSignal::new(letter.title.clone());
    let text = RwSignal::new(letter.text.clone());
    let send = Submit::new(
        form,
        |_| "letters.published",
        move |input: LetterPublication| async move {
            let path = letter_path(&code.get_value(), "publication");
            client
                .send::<_, LetterItem>(Method::POST, &path, &input)
                .await
        },
        move |_, _| reload.run(()),
    );
    let check = move || {
        let input = LetterPublication {
            title: title.get_untracked().trim().to_owned(),
            text: text.get_untracked().trim().to_owned(),
        };
        input.validate().map(|()| input)
    };
    view! {
        <ActionForm heading="letters.publication" send=send.checked(check) label="letters.publish"
            testid="letter-publish" fields=&["title", "text"] feedback="letter-publish">
            <TextField form field="title" id="letter-public-title" label="letters.public_title"
                value=title on_input=move |v| title.set(v) />
            <TextField form field="text" id="letter-public-text" label="letters.public_text" multiline=true rows=6
                value=text on_input=move |v| text.set(v) />
        </ActionForm>
    }
}

/// The button that opens the promotion of the letter to a proposal, and the form.
#[component]
fn PromoteLetter(
    /// The letter's code.
    code: StoredValue<String>,
    /// Called once promoted: the letter then names its proposal.
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let path = letter_path(&code.get_value(), "promotion");
    let done = Callback::new(move |_: String| reload.run(()));
    let form = move || {
        open.get()
            .then(|| view! { <Promote path=path.clone() done /> })
    };
    view! {
        {move || (!open.get()).then(|| view! {
            <p>
                <button type="button" class="secondary" on:click=move |_| open.set(true) data-testid="letter-promote">
                    {move || i18n.t("promotion.open")}
                </button>
            </p>
        })}
        {form}
    }
}
