//! The mayor's mailbox and the hall display's question and replies panels in a real headless
//! Chromium (wasm-bindgen-test): the limits the letter form mirrors from `omk_api`, the
//! figures' formatting, the display's choice by stage, and the screens as visitors see them.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use omk_api::{
    CandidateView, CycleStage, CycleView, Lang, LetterFigures, Month, NewLetter, OutcomeView,
    PublishedLetter, PublishedPage,
};
use open_month_kiosk::client::Backend;
use open_month_kiosk::client::cache;
use open_month_kiosk::client::stream::provide_live_feed;
use open_month_kiosk::config::WidgetConfig;
use open_month_kiosk::display::provide_display;
use open_month_kiosk::display_view::stage::{StageFocus, focus};
use open_month_kiosk::display_view::{DisplayPolicy, DisplayScreen};
use open_month_kiosk::i18n::provide_i18n;
use open_month_kiosk::kiosk::{Session, provide_session, use_session};
use open_month_kiosk::mailbox::MailboxScreen;
use open_month_kiosk::mailbox::draft::LetterDraft;
use open_month_kiosk::mailbox::figures::{LetterFiguresPanel, lines};
use open_month_kiosk::outbox::{STORAGE_KEY, provide_outbox};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A backend address nothing listens on: requests fail as in a network cut.
const NOWHERE: &str = "http://127.0.0.1:9";

/// Mounts `view` with every context a screen uses, against [`NOWHERE`].
fn mount_screen<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> HtmlElement {
    let document = document();
    let container: HtmlElement = document
        .create_element("div")
        .expect("create a container")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&container)
        .expect("append the container");
    mount_to(container.clone(), move || {
        provide_i18n(Lang::ZhCn);
        let backend = Backend::new(NOWHERE);
        provide_context(backend.clone());
        provide_display();
        provide_session(Lang::ZhCn, false);
        provide_outbox(&backend);
        provide_live_feed(&backend);
        view()
    })
    .forget();
    container
}

fn find(c: &HtmlElement, testid: &str) -> Option<web_sys::Element> {
    c.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .ok()
        .flatten()
}

fn text_of(c: &HtmlElement, testid: &str) -> String {
    find(c, testid)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn click(c: &HtmlElement, testid: &str) {
    let element: HtmlElement = find(c, testid)
        .unwrap_or_else(|| panic!("no {testid}"))
        .unchecked_into();
    element.click();
}

fn type_into(c: &HtmlElement, testid: &str, text: &str) {
    let input: HtmlInputElement = find(c, testid)
        .unwrap_or_else(|| panic!("no {testid}"))
        .unchecked_into();
    input.set_value(text);
    let _ = input.dispatch_event(&web_sys::Event::new("input").expect("an input event"));
}

fn value_of(c: &HtmlElement, testid: &str) -> String {
    find(c, testid)
        .map(|e| e.unchecked_into::<HtmlInputElement>().value())
        .unwrap_or_default()
}

fn stored_outbox() -> String {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .unwrap_or_default()
}

fn clear_outbox() {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

/// Waits `ms` milliseconds on the browser's timer.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits (up to `limit_ms`) until `testid` is on the page.
async fn wait_for(c: &HtmlElement, testid: &str, limit_ms: i32) {
    let mut waited = 0;
    while find(c, testid).is_none() {
        assert!(
            waited < limit_ms,
            "no {testid}: {}",
            c.text_content().unwrap_or_default()
        );
        sleep(100).await;
        waited += 100;
    }
}

#[wasm_bindgen_test]
fn the_letter_form_keeps_the_apis_title_and_text_limits() {
    let mut d = LetterDraft::default();
    d.input.text = "字".repeat(NewLetter::TEXT_MAX);
    d.input.name = "王秀兰".into();
    d.input.phone = "13800138000".into();
    d.attempt();
    for (n, error) in [
        (NewLetter::TITLE_MIN - 1, Some("error.title_too_short")),
        (NewLetter::TITLE_MIN, None),
        (NewLetter::TITLE_MAX, None),
        (NewLetter::TITLE_MAX + 1, Some("error.too_long")),
    ] {
        d.input.title = "题".repeat(n);
        assert_eq!(d.error_for("title").as_deref(), error, "{n} characters");
    }
    d.input.text.push('字');
    assert_eq!(d.error_for("text").as_deref(), Some("error.too_long"));
}

#[wasm_bindgen_test]
fn the_figures_always_show_their_counts_and_no_rate_over_nothing() {
    let figures = LetterFigures {
        month: "2026-09".into(),
        received: 4139,
        declined: 0,
        replied: 0,
        reply_rate: Some(0.0),
        reply_rate_n: 4139,
        rated: 0,
        satisfied: 0,
        satisfaction_rate: None,
        median_days_to_reply: None,
    };
    let shown = lines(&figures);
    assert_eq!(shown[0].value.as_deref(), Some("4,139"));
    assert_eq!(
        shown[2].value.as_deref(),
        Some("0.0%"),
        "a rate over letters"
    );
    assert_eq!(shown[3].value, None, "no rating: no data, not 0 %");
    assert_eq!(shown[4].value, None);
}

#[wasm_bindgen_test]
fn the_question_panel_follows_the_stage() {
    assert_eq!(focus(CycleStage::Voting), StageFocus::Tallies);
    assert_eq!(focus(CycleStage::Implementing), StageFocus::Progress);
    assert_eq!(focus(CycleStage::Reviewing), StageFocus::Evaluation);
}

#[wasm_bindgen_test]
async fn an_empty_letter_explains_each_field_in_words_and_sends_nothing() {
    clear_outbox();
    let c = mount_screen(|| view! { <MailboxScreen /> });
    click(&c, "letter-submit");
    leptos::task::tick().await;
    assert_eq!(text_of(&c, "letter-error-title"), "此项必须填写");
    assert_eq!(text_of(&c, "letter-error-name"), "此项必须填写");
    assert_eq!(text_of(&c, "letter-error-phone"), "此项必须填写");
    assert_eq!(text_of(&c, "letter-failure"), "请修改标出的内容后再提交");
    type_into(&c, "letter-title", "公交太少");
    leptos::task::tick().await;
    assert_eq!(
        text_of(&c, "letter-error-title"),
        "标题太短：请至少填写10个字"
    );
    assert_eq!(text_of(&c, "letter-title-count"), "4/25");
    assert!(stored_outbox().is_empty());
}

thread_local! {
    /// The session of the screen a test mounted, to reset it as the idle guard does.
    static SESSION: std::cell::Cell<Option<Session>> = const { std::cell::Cell::new(None) };
}

#[wasm_bindgen_test]
async fn a_visitors_reset_clears_the_letters_name_and_phone() {
    clear_outbox();
    let c = mount_screen(|| {
        let session = use_session();
        SESSION.with(|s| s.set(Some(session)));
        // As the widget's body does: a new session rebuilds the screen from nothing.
        move || {
            session.generation.track();
            view! { <MailboxScreen /> }
        }
    });
    type_into(&c, "letter-name", "王秀兰");
    type_into(&c, "letter-phone", "13800138000");
    leptos::task::tick().await;
    assert_eq!(value_of(&c, "letter-name"), "王秀兰");
    // What the idle guard calls when the visitor has gone.
    SESSION.with(|s| s.get().expect("the mounted session").reset());
    leptos::task::tick().await;
    assert_eq!(value_of(&c, "letter-name"), "");
    assert_eq!(value_of(&c, "letter-phone"), "");
    assert!(stored_outbox().is_empty(), "nothing was sent or kept");
}

#[wasm_bindgen_test]
async fn the_mailbox_figures_show_with_a_dash_for_no_data() {
    cache::store(
        "/letters/figures",
        r#"{"month":"2026-09","received":12,"declined":2,"replied":5,"reply_rate":0.5,"reply_rate_n":10,"rated":0,"satisfied":0,"satisfaction_rate":null,"median_days_to_reply":3.25}"#,
        js_sys::Date::now(),
    );
    let c = mount_screen(|| view! { <LetterFiguresPanel /> });
    wait_for(&c, "letters-received", 5_000).await;
    assert_eq!(text_of(&c, "letters-received"), "12");
    assert_eq!(text_of(&c, "letters-reply-rate"), "50.0%");
    assert_eq!(text_of(&c, "letters-satisfaction"), "暂无数据");
    assert_eq!(text_of(&c, "letters-median-days"), "3.3");
}

fn voting_cycle() -> CycleView {
    let candidate = |id: &str, zh: &str, public, reps| CandidateView {
        id: id.into(),
        title_zh: zh.into(),
        title_en: String::new(),
        lead_unit: "聊城市住房和城乡建设局".into(),
        category: "parking".into(),
        proposals: vec![],
        hotline: 0,
        proposal_count: 0,
        public_votes: public,
        representative_votes: reps,
        score: None,
    };
    CycleView {
        month: Month::new(2026, 9).expect("a month"),
        stage: CycleStage::Voting,
        stages: vec![],
        weights: None,
        candidates: vec![
            candidate("parking", "停车难", 1204, 31),
            candidate("prepaid", "预付式消费", 877, 12),
        ],
        scores_frozen: false,
        choice: None,
        public_proposals: 9,
        outcome: OutcomeView::default(),
    }
}

#[wasm_bindgen_test]
async fn the_hall_display_shows_the_question_and_replies_it_saved_with_their_age() {
    let saved_at = js_sys::Date::now() - 3.0 * 60_000.0;
    let cycle = serde_json::to_string(&voting_cycle()).expect("a cycle as JSON");
    cache::store("/cycle", &cycle, saved_at);
    let page = PublishedPage {
        items: vec![PublishedLetter {
            id: 1,
            kind: omk_api::LetterKind::Suggestion,
            title: "建议增设公交夜班线路".into(),
            text: "东昌府区晚上九点后没有公交车。".into(),
            reply: "已于十月起增开两条夜班线路。".into(),
            created_at: 1_788_192_000,
            replied_at: 1_788_400_000,
            published_at: 1_788_500_000,
        }],
        total: 1,
    };
    let letters = serde_json::to_string(&page).expect("letters as JSON");
    cache::store(
        &open_month_kiosk::mailbox::replies::latest_path(
            open_month_kiosk::display_view::replies::SHOWN,
        ),
        &letters,
        saved_at,
    );
    let c = mount_screen(|| {
        provide_context(DisplayPolicy {
            dwell_secs: WidgetConfig::MIN_DWELL_SECS,
        });
        view! { <DisplayScreen /> }
    });
    // Nothing live: the first panel with something to show is the saved question.
    wait_for(&c, "display-stage", 5_000).await;
    let tallies = text_of(&c, "display-stage");
    assert!(tallies.contains("停车难"), "{tallies}");
    assert!(
        tallies.contains("群众投票 1,204") && tallies.contains("代表投票 31"),
        "public and representatives apart: {tallies}"
    );
    assert_eq!(text_of(&c, "display-cycle-saved"), "保存于 3 分钟 前");
    assert!(find(&c, "display-qr").is_some());
    wait_for(&c, "display-reply", 12_000).await;
    assert!(text_of(&c, "display-reply").contains("已于十月起增开两条夜班线路"));
    assert!(find(&c, "display-replies-saved").is_some());
}

#[wasm_bindgen_test]
async fn a_letter_being_written_waits_while_the_visitor_reads_other_sections() {
    let c = mount_screen(|| view! { <MailboxScreen /> });
    type_into(&c, "letter-title", "建议增设公交夜班线路");
    leptos::task::tick().await;
    click(&c, "mailbox-follow");
    leptos::task::tick().await;
    // A code with a mistyped digit is caught before the server is asked.
    let code = omk_api::tracking::from_bits("ML", 0x0123_4567_89AB_CDEF);
    let mut typed: Vec<char> = code.chars().collect();
    typed[3] = if typed[3] == '7' { '8' } else { '7' };
    type_into(
        &c,
        "letter-code-input",
        &typed.into_iter().collect::<String>(),
    );
    click(&c, "letter-code-submit");
    leptos::task::tick().await;
    assert!(find(&c, "letter-typo").is_some(), "{}", c.inner_html());
    click(&c, "mailbox-write");
    wait_for(&c, "letter-title", 2_000).await;
    sleep(200).await;
    assert_eq!(
        value_of(&c, "letter-title"),
        "建议增设公交夜班线路",
        "{}",
        c.inner_html()
    );
}
