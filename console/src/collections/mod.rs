//! Opinion collections: the list (admins, moderators, supervisors), an admin's draft and
//! edits, publication, and the adopted note after closing; a moderator's decision on each
//! pending comment, and the promotion of a published one to a proposal; supervisors read.

pub mod form;

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::mailbox::collections::{
    AdminCollection, AdminComment, AdoptedNote, Collection, CollectionInput, CollectionState,
    CommentModeration, CommentState,
};

use crate::client::{ApiError, Client};
use crate::feedback::{FormFeedback, FormState};
use crate::format::date_time;
use crate::i18n::use_i18n;
use crate::kit::{
    ActionForm, Column, EditBar, EditButton, Editor, EditorIds, Empty, Loaded, RowMarks, Submit,
    Table, TextField,
};
use crate::promotion::Promote;
use crate::screen::{ScreenHeading, focus_later, message};
use crate::session::use_auth;

use form::{CollectionForm, CollectionRights, FIELDS};

type ListResource = LocalResource<Result<Vec<Collection>, ApiError>>;

/// The collections screen.
#[component]
pub fn CollectionsScreen() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let client = expect_context::<Client>();
    let list: ListResource = LocalResource::new(move || async move {
        client.get::<Vec<Collection>>("/admin/consultations").await
    });
    let editing = RwSignal::new(None::<CollectionForm>);
    let chosen = RwSignal::new(None::<i64>);
    let notice = RwSignal::new(None::<String>);
    let rights = move || CollectionRights::of(auth.role());
    let bar = move || {
        rights().edits.then(|| view! {
            <EditBar notice notice_testid="collections-notice" new_label="collections.new" new_testid="collection-new"
                on_new=move || { editing.set(Some(CollectionForm::default())); focus_later("collection-title"); } />
        })
    };
    let editor = move || {
        editing
            .get()
            .map(|draft| view! { <CollectionEditor draft editing notice list /> })
    };
    let detail = move || {
        chosen
            .get()
            .map(|id| view! { <CollectionDetail id rights=rights() list /> })
    };
    let table = move |found: Vec<Collection>| {
        view! {
            <Table caption="collections.list" columns=columns(editing, chosen, rights().edits) items=found
                rows=RowMarks::testid("collection-row").with_data("data-id", |c: &Collection| c.id.to_string())
                empty=Empty { key: "collections.none", testid: "collections-none" } />
        }
    };
    view! {
        <ScreenHeading text=message("collections.heading") />
        {bar}
        {editor}
        {detail}
        <section aria-labelledby="collections-list-heading" class="panel">
            <h2 id="collections-list-heading">{move || i18n.t("collections.list")}</h2>
            <Loaded resource=list show=table />
        </section>
    }
}

/// The collections' columns.
fn columns(
    editing: RwSignal<Option<CollectionForm>>,
    chosen: RwSignal<Option<i64>>,
    edits: bool,
) -> Vec<Column<Collection>> {
    let i18n = use_i18n();
    vec![
        Column::new("collections.title", move |c: &Collection| {
            let id = c.id;
            let title = c.title.clone();
            view! {
                <button type="button" class="link" on:click=move |_| { chosen.set(Some(id)); focus_later("collection-heading"); }
                    data-testid="collection-open">{title}</button>
            }
        }),
        Column::new("collections.days", |c: &Collection| {
            format!("{} – {}", c.opens_on, c.closes_on)
        }),
        Column::new("collections.state", move |c: &Collection| {
            let key = c.state.message_key();
            move || i18n.shared().text(key).to_owned()
        })
        .testid("collection-state"),
        Column::new("collections.comments", |c: &Collection| {
            c.comments_published.to_string()
        }),
        Column::new("common.actions", move |c: &Collection| {
            let stored = StoredValue::new(c.clone());
            let draft = edits && c.state == CollectionState::Draft;
            draft.then(|| {
                let edit = move || {
                    editing.set(Some(CollectionForm::from_collection(&stored.get_value())));
                    focus_later("collection-title");
                };
                view! { <EditButton testid="collection-edit" name=stored.get_value().title on_click=edit /> }
            })
        }),
    ]
}

/// The ids of the collection form.
const EDITOR: EditorIds = EditorIds {
    heading: "collection-form-heading",
    form: "collection-form",
    save: "collection-save",
    close: "collection-close",
};

/// A new draft or a change to one (admins).
#[component]
fn CollectionEditor(
    draft: CollectionForm,
    editing: RwSignal<Option<CollectionForm>>,
    notice: RwSignal<Option<String>>,
    list: ListResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let is_new = draft.id.is_none();
    let draft = RwSignal::new(draft);
    let save = Submit::new(
        form,
        |_| "collections.saved",
        move |(id, input): (Option<i64>, CollectionInput)| async move {
            match id {
                Some(id) => {
                    let path = format!("/admin/consultations/{id}");
                    client
                        .send::<_, AdminCollection>(Method::PUT, &path, &input)
                        .await
                }
                None => {
                    client
                        .send::<_, AdminCollection>(Method::POST, "/admin/consultations", &input)
                        .await
                }
            }
        },
        move |_, saved: &AdminCollection| {
            notice.set(Some(i18n.format(
                "collections.saved_one",
                &[("title", &saved.collection.title)],
            )));
            editing.set(None);
            list.refetch();
        },
    );
    let heading = Signal::derive(move || {
        i18n.t(if is_new {
            "collections.new"
        } else {
            "collections.edit"
        })
        .to_owned()
    });
    let text = move |get: fn(&CollectionForm) -> &String| {
        Signal::derive(move || draft.with(|d| get(d).clone()))
    };
    view! {
        <Editor ids=EDITOR heading send=save.checked(move || draft.with_untracked(CollectionForm::to_input))
            fields=&FIELDS on_close=move || editing.set(None)>
            <TextField form field="title" id="collection-title" label="collections.title" maxlength=50
                value=text(|d| &d.title) on_input=move |v| draft.update(|d| d.title = v) />
            <TextField form field="text" id="collection-text" label="collections.text" multiline=true rows=6 maxlength=2000
                value=text(|d| &d.text) on_input=move |v| draft.update(|d| d.text = v) />
            <TextField form field="opens_on" id="collection-opens" label="collections.opens_on" kind="date"
                value=text(|d| &d.opens_on) on_input=move |v| draft.update(|d| d.opens_on = v) />
            <TextField form field="closes_on" id="collection-closes" label="collections.closes_on" kind="date"
                value=text(|d| &d.closes_on) on_input=move |v| draft.update(|d| d.closes_on = v) />
        </Editor>
    }
}

/// One collection with its comments, and the actions the role allows.
#[component]
fn CollectionDetail(id: i64, rights: CollectionRights, list: ListResource) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let detail = LocalResource::new(move || async move {
        client
            .get::<AdminCollection>(&format!("/admin/consultations/{id}"))
            .await
    });
    let reload = Callback::new(move |()| {
        detail.refetch();
        list.refetch();
    });
    // The published comment being promoted, if any.
    let promoting = RwSignal::new(None::<i64>);
    // Owned here, not by the form it closes: closing the form must not drop the callback
    // while it runs.
    let done = Callback::new(move |_: String| {
        promoting.set(None);
        reload.run(());
    });
    let promotion = move || {
        promoting.get().map(|comment| {
            let path = format!("/admin/consultations/{id}/comments/{comment}/promotion");
            view! {
                <p>{move || i18n.format("collections.promoting", &[("comment", &comment.to_string())])}</p>
                <Promote path done />
                <button type="button" class="secondary" on:click=move |_| promoting.set(None) data-testid="promotion-close">
                    {move || i18n.t("common.close")}
                </button>
            }
        })
    };
    let show = move |found: AdminCollection| {
        let state = found.collection.state;
        let publish = (rights.edits && state == CollectionState::Draft)
            .then(|| view! { <Publish id reload /> });
        let note = (rights.edits
            && state == CollectionState::Closed
            && found.collection.adopted_note.is_none())
        .then(|| view! { <Note id reload /> });
        let adopted = found.collection.adopted_note.clone().map(|n| view! {
            <h3>{move || i18n.t("collections.adopted")}</h3><p data-testid="collection-note">{n}</p>
        });
        view! {
            <p class="collection-text">{found.collection.text.clone()}</p>
            {adopted}
            {publish}
            {note}
            <Table caption="collections.comments" columns=comment_columns(id, rights, reload, promoting) items=found.comments
                rows=RowMarks::testid("comment-row").with_data("data-id", |c: &AdminComment| c.id.to_string())
                empty=Empty { key: "collections.no_comments", testid: "comments-none" } />
            {promotion}
        }
    };
    view! {
        <section aria-labelledby="collection-heading" class="panel" data-testid="collection-panel">
            <h2 id="collection-heading" tabindex="-1">{move || i18n.t("collections.one")}</h2>
            <Loaded resource=detail show />
        </section>
    }
}

/// The comments' columns, with the moderator's buttons on pending ones, and the proposal a
/// published one was promoted to (or, for a moderator, the button to promote it).
fn comment_columns(
    id: i64,
    rights: CollectionRights,
    reload: Callback<()>,
    promoting: RwSignal<Option<i64>>,
) -> Vec<Column<AdminComment>> {
    let i18n = use_i18n();
    let mut columns = vec![
        Column::new("collections.comment", |c: &AdminComment| c.text.clone()),
        Column::new("collections.received", |c: &AdminComment| {
            date_time(c.created_at)
        }),
        Column::new("collections.comment_state", move |c: &AdminComment| {
            let key = comment_key(c.state);
            move || i18n.t(key)
        })
        .testid("comment-state"),
        Column::new("collections.proposal", move |c: &AdminComment| {
            let comment = c.id;
            match c.proposal.clone() {
                Some(code) => view! { <span data-testid="comment-proposal">{code}</span> }.into_any(),
                None if rights.promotes && c.state == CommentState::Published => view! {
                    <button type="button" class="secondary" data-testid="comment-promote"
                        on:click=move |_| { promoting.set(Some(comment)); focus_later("promotion-title"); }>
                        {move || i18n.t("promotion.open")}
                    </button>
                }
                .into_any(),
                None => ().into_any(),
            }
        }),
    ];
    if rights.moderates {
        columns.push(Column::new("common.actions", move |c: &AdminComment| {
            let comment = c.id;
            (c.state == CommentState::Pending)
                .then(|| view! { <ModerateComment id comment reload /> })
        }));
    }
    columns
}

/// The message key of a comment's state.
pub fn comment_key(state: CommentState) -> &'static str {
    match state {
        CommentState::Pending => "collections.comment.pending",
        CommentState::Published => "collections.comment.published",
        CommentState::Rejected => "collections.comment.rejected",
    }
}

/// Publish or reject one pending comment.
#[component]
fn ModerateComment(id: i64, comment: i64, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let send = Submit::new(
        FormState::new(),
        |_| "collections.moderated",
        move |state: CommentState| async move {
            let path = format!("/admin/consultations/{id}/comments/{comment}/moderation");
            let body = CommentModeration { state };
            client
                .send::<_, AdminCollection>(Method::POST, &path, &body)
                .await
        },
        move |_, _| reload.run(()),
    );
    let form = send.form();
    view! {
        <button type="button" class="secondary" disabled=move || send.busy()
            on:click=move |_| send.run(Ok(CommentState::Published)) data-testid="comment-publish">
            {move || i18n.t("collections.publish_comment")}
        </button>
        <button type="button" class="secondary" disabled=move || send.busy()
            on:click=move |_| send.run(Ok(CommentState::Rejected)) data-testid="comment-reject">
            {move || i18n.t("collections.reject_comment")}
        </button>
        <FormFeedback form fields=&[] testid="comment-moderation" />
    }
}

/// Publishes a draft.
#[component]
fn Publish(id: i64, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let send = Submit::new(
        FormState::new(),
        |_| "collections.published",
        move |()| async move {
            let path = format!("/admin/consultations/{id}/publication");
            client.post_empty::<AdminCollection>(&path).await
        },
        move |_, _| reload.run(()),
    );
    view! {
        <ActionForm heading="collections.publication" send=send.checked(|| Ok(())) label="collections.publish"
            testid="collection-publish" fields=&[] feedback="collection-publish">
            <p class="hint">{move || i18n.t("collections.publish_hint")}</p>
        </ActionForm>
    }
}

/// The adopted note of a closed collection.
#[component]
fn Note(id: i64, reload: Callback<()>) -> impl IntoView {
    let client = expect_context::<Client>();
    let form = FormState::new();
    let note = RwSignal::new(String::new());
    let send = Submit::new(
        form,
        |_| "collections.noted",
        move |input: AdoptedNote| async move {
            let path = format!("/admin/consultations/{id}/note");
            client
                .send::<_, AdminCollection>(Method::POST, &path, &input)
                .await
        },
        move |_, _| reload.run(()),
    );
    let check = move || {
        let input = AdoptedNote {
            note: note.get_untracked().trim().to_owned(),
        };
        input.validate().map(|()| input)
    };
    view! {
        <ActionForm heading="collections.adopted" send=send.checked(check) label="collections.publish_note"
            testid="collection-note-send" fields=&["note"] feedback="collection-note">
            <TextField form field="note" id="collection-note-text" label="collections.adopted" multiline=true rows=5
                maxlength=2000 value=note on_input=move |v| note.set(v) />
        </ActionForm>
    }
}
