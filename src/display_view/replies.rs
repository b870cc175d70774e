//! The hall display's panel of the mailbox's latest public replies: each letter's title and
//! the start of its reply, with a QR code to read them all on a phone.

use leptos::prelude::*;
use omk_api::PublishedLetter;

use crate::client::Fresh;
use crate::format;
use crate::i18n::use_i18n;

use super::panels::{PhoneCode, Sources};

/// Letters the panel names: few enough to read from across a hall.
pub const SHOWN: u32 = 3;

/// How many characters of a reply the panel shows.
const REPLY_CHARS: usize = 60;

/// The start of a text, cut at `max` characters with an ellipsis when longer.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Whether there are published letters to show.
pub fn ready(s: &Sources) -> bool {
    s.letters
        .with(|l| l.as_ref().is_some_and(|f| !f.value.items.is_empty()))
}

/// The panel's body.
pub fn panel(s: &Sources) -> AnyView {
    let i18n = use_i18n();
    let Some(Fresh { value, stored_at }) = s.letters.get_untracked() else {
        return ().into_any();
    };
    let now = s.now;
    let saved = stored_at.map(|at| {
        view! {
            <p class="omk-hall-saved" data-testid="display-replies-saved">
                {move || i18n.format("display.saved", &[("age", &format::age(i18n.lang(), now.get() - at))])}
            </p>
        }
    });
    let items = value
        .items
        .into_iter()
        .take(SHOWN as usize)
        .map(|l| view! { <ReplyItem letter=l /> })
        .collect_view();
    let qr = s.backend.url("/letters/qr.svg");
    view! {
        <div class="omk-hall-body">
            <div class="omk-hall-content">
                <ul class="omk-hall-events">{items}</ul>
                {saved}
            </div>
            <PhoneCode src=qr caption="display.scan_replies" />
        </div>
    }
    .into_any()
}

/// One published letter: its title, when it was replied and the start of the reply.
#[component]
fn ReplyItem(
    /// The letter as published.
    letter: PublishedLetter,
) -> impl IntoView {
    let i18n = use_i18n();
    let at = letter.replied_at;
    view! {
        <li data-testid="display-reply">
            <strong>{letter.title}</strong>
            <span>{move || i18n.t("mailbox.replied_on")}" "{move || format::day(i18n.lang(), at)}</span>
            <span>{excerpt(&letter.reply, REPLY_CHARS)}</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_reply_is_cut_with_an_ellipsis() {
        assert_eq!(excerpt(" 已增开夜班线路 ", 60), "已增开夜班线路");
        assert_eq!(excerpt("一二三四五", 3), "一二三…");
    }
}
