//! The mayor's mailbox (市长信箱) and opinion collections (意见征集): write a letter, follow
//! it by its code, read the public replies and the month's figures, and comment on an open
//! collection. One screen with its own sections; a link (`letter=ML-…`, `section=…`) opens
//! the right one on a phone.

pub mod collections;
pub mod draft;
pub mod figures;
pub mod follow;
pub mod replies;
pub mod write;

use leptos::prelude::*;
use omk_web::choices::{Choice, ChoiceGroup, Look, Marked};

use crate::config::DeepLink;
use crate::i18n::use_i18n;

use collections::Collections;
use figures::LetterFiguresPanel;
use follow::FollowLetter;
use replies::PublicReplies;
use write::WriteLetter;

pub use draft::LetterDraft;

/// The mailbox's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Write,
    Follow,
    Replies,
    Figures,
    Collections,
}

impl Section {
    /// The section a link names (`section=replies`), if any.
    pub fn parse(name: &str) -> Option<Section> {
        Some(match name.trim() {
            "write" => Section::Write,
            "follow" => Section::Follow,
            "replies" => Section::Replies,
            "figures" => Section::Figures,
            "collections" => Section::Collections,
            _ => return None,
        })
    }

    /// The section a link opens: following a letter when it carries a code, else the one it
    /// names, else writing.
    pub fn for_link(link: &DeepLink) -> Section {
        if link.letter.is_some() {
            return Section::Follow;
        }
        link.section
            .as_deref()
            .and_then(Section::parse)
            .unwrap_or(Section::Write)
    }
}

impl Choice for Section {
    const CHOICES: &'static [Section] = &[
        Section::Write,
        Section::Follow,
        Section::Replies,
        Section::Figures,
        Section::Collections,
    ];

    fn label_key(self) -> &'static str {
        match self {
            Section::Write => "mailbox.section.write",
            Section::Follow => "mailbox.section.follow",
            Section::Replies => "mailbox.section.replies",
            Section::Figures => "mailbox.section.figures",
            Section::Collections => "mailbox.section.collections",
        }
    }

    fn testid(self) -> String {
        let name = match self {
            Section::Write => "write",
            Section::Follow => "follow",
            Section::Replies => "replies",
            Section::Figures => "figures",
            Section::Collections => "collections",
        };
        format!("mailbox-{name}")
    }
}

/// The sections' navigation.
const SECTIONS: Look = Look {
    marked: Marked::Current,
    class: "omk-nav omk-subnav",
    button_class: "omk-tab",
};

/// The mailbox screen.
#[component]
pub fn MailboxScreen() -> impl IntoView {
    let i18n = use_i18n();
    let link = use_context::<DeepLink>().unwrap_or_default();
    let section = RwSignal::new(Section::for_link(&link));
    // Kept across sections; a reset rebuilds the screen, and with it an empty draft.
    let draft = RwSignal::new(LetterDraft::default());
    let linked = link.letter.clone();
    let body = move || match section.get() {
        Section::Write => view! { <WriteLetter draft=draft /> }.into_any(),
        // A linked code is looked up whenever the section opens.
        Section::Follow => {
            let code = linked.clone();
            view! { <FollowLetter linked=code.unwrap_or_default() /> }.into_any()
        }
        Section::Replies => view! { <PublicReplies /> }.into_any(),
        Section::Figures => view! { <LetterFiguresPanel /> }.into_any(),
        Section::Collections => view! { <Collections /> }.into_any(),
    };
    view! {
        <section class="omk-screen" aria-labelledby="omk-mailbox-heading" data-testid="mailbox-screen">
            <h2 id="omk-mailbox-heading">{move || i18n.t("mailbox.heading")}</h2>
            <ChoiceGroup chosen=section look=SECTIONS label="mailbox.sections" t=move |key| i18n.t(key) />
            {body}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letters_link_opens_its_letter_and_a_section_link_its_section() {
        let mut link = DeepLink::default();
        assert_eq!(Section::for_link(&link), Section::Write);
        link.section = Some("replies".into());
        assert_eq!(Section::for_link(&link), Section::Replies);
        link.letter = Some("ML-7K3F-9QX2-M4TB-6".into());
        assert_eq!(Section::for_link(&link), Section::Follow);
        link.letter = None;
        link.section = Some("nonsense".into());
        assert_eq!(Section::for_link(&link), Section::Write);
    }
}
