//! Component tests in a real headless Chromium (wasm-bindgen-test): each
//! mounts one component into the page and reads the DOM it produced.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use omk_api::Topic;
use omk_api::{DayPoint, UnitScore};
use omk_api::{Event, IssueReceipt, IssueStatus, Lang, Metrics};
use open_month_kiosk::ConfigProblem;
use open_month_kiosk::client::Backend;
use open_month_kiosk::client::cache;
use open_month_kiosk::client::stream::{LinkState, provide_live_feed, use_live_feed};
use open_month_kiosk::config::WidgetConfig;
use open_month_kiosk::config::{ConfigError, ConfigReason};
use open_month_kiosk::display::provide_display;
use open_month_kiosk::display_view::{DisplayPolicy, DisplayScreen};
use open_month_kiosk::events::card::EventCard;
use open_month_kiosk::figures::Tiles;
use open_month_kiosk::figures::charts::{RankingChart, TrendChart};
use open_month_kiosk::i18n::{provide_i18n, use_i18n};
use open_month_kiosk::kiosk::attract::Attract;
use open_month_kiosk::kiosk::idle::IdlePolicy;
use open_month_kiosk::kiosk::{IdleGuard, provide_session, use_session};
use open_month_kiosk::lookup::LookupScreen;
use open_month_kiosk::outbox::{STORAGE_KEY, provide_outbox};
use open_month_kiosk::rate::RateScreen;
use open_month_kiosk::report::{Receipt, ReportScreen};
use open_month_kiosk::shell::OutboxStatus;
use open_month_kiosk::vote::VoteScreen;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` with a language context into a fresh container.
fn mount<N: IntoView + 'static>(lang: Lang, view: impl FnOnce() -> N + 'static) -> HtmlElement {
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
        provide_i18n(lang);
        view()
    })
    .forget();
    container
}

fn text_of(container: &HtmlElement, testid: &str) -> String {
    container
        .query_selector(&format!("[data-testid=\"{testid}\"]"))
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn event(registered: i32, registration: bool) -> Event {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    Event {
        id: 7,
        title: "市生态环境局开放日".into(),
        unit: "聊城市生态环境局".into(),
        district: "东昌府区".into(),
        theme: "政府开放日".into(),
        place: "市生态环境监控中心".into(),
        starts_at: now - 600,
        ends_at: now + 3600,
        capacity: 30,
        registered,
        registration,
        summary: String::new(),
    }
}

#[wasm_bindgen_test]
fn event_card_shows_phase_and_seats_left() {
    let c = mount(Lang::ZhCn, || view! { <EventCard event=event(27, true) /> });
    let text = c.text_content().unwrap_or_default();
    assert!(text.contains("正在进行"), "{text}");
    assert!(text.contains("剩余 3 个名额"), "{text}");
    assert!(text.contains("聊城市生态环境局"), "{text}");
}

#[wasm_bindgen_test]
fn full_event_says_so_in_words() {
    let c = mount(Lang::En, || view! { <EventCard event=event(30, true) /> });
    let text = c.text_content().unwrap_or_default();
    assert!(text.contains("Fully booked"), "{text}");
    assert!(text.contains("On now"), "{text}");
}

#[wasm_bindgen_test]
fn tiles_format_rates_and_counts() {
    let metrics = Metrics {
        satisfaction_rate: Some(0.9312),
        bad_review_rate: Some(0.021),
        response_rate: Some(0.97),
        resolution_rate: Some(3645.0 / 4139.0),
        issues_collected: 4139,
        issues_solved: 3645,
        ratings_total: 10,
        ratings_today: 0,
        ratings_satisfied: 0,
        ratings_bad: 0,
        issues_responded: 0,
        ranking: vec![],
        trend: vec![],
        as_of: 0,
    };
    let c = mount(Lang::ZhCn, move || view! { <Tiles metrics=metrics /> });
    assert_eq!(text_of(&c, "figure-resolution"), "88.1%");
    assert_eq!(text_of(&c, "figure-collected"), "4,139");
    assert_eq!(text_of(&c, "figure-solved"), "3,645");
    assert_eq!(text_of(&c, "figure-ratings-today"), "0");
}

/// Each figure says how it is computed: its definition, its counts and their window, with
/// a QR code of the open data; a screen nobody touches (the hall display) does not offer it.
#[wasm_bindgen_test]
fn each_figure_explains_itself_with_its_counts() {
    let metrics = Metrics {
        satisfaction_rate: Some(5174.0 / 6000.0),
        bad_review_rate: Some(453.0 / 6000.0),
        response_rate: Some(4079.0 / 4139.0),
        resolution_rate: Some(3645.0 / 4139.0),
        issues_collected: 4139,
        issues_solved: 3645,
        ratings_total: 6000,
        ratings_today: 110,
        ratings_satisfied: 5174,
        ratings_bad: 453,
        issues_responded: 4079,
        ranking: vec![],
        trend: vec![],
        as_of: 0,
    };
    let shown = metrics.clone();
    let c = mount(Lang::ZhCn, move || {
        provide_context(Backend::new(NOWHERE));
        view! { <Tiles metrics=shown explain=true /> }
    });
    let explained = |figure: &str| {
        c.query_selector(&format!("[data-testid=explain-{figure}]"))
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    for (figure, counts) in [
        ("satisfaction", "计数：5,174 ÷ 6,000"),
        ("bad-review", "计数：453 ÷ 6,000"),
        ("response", "计数：4,079 ÷ 4,139"),
        ("resolution", "计数：3,645 ÷ 4,139"),
        ("collected", "计数：4,139"),
        ("solved", "计数：3,645"),
        ("ratings-today", "计数：110"),
    ] {
        let text = explained(figure);
        assert!(text.contains("如何计算？"), "{figure}: {text}");
        assert!(text.contains(counts), "{figure}: {text}");
        assert!(text.contains("范围："), "{figure}: {text}");
    }
    assert!(explained("ratings-today").contains("今天 0 点"));
    let qr = c
        .query_selector("[data-testid=opendata-qr]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("src"))
        .unwrap_or_default();
    assert_eq!(qr, format!("{NOWHERE}/api/v1/opendata/qr.svg"));

    let hall = mount(Lang::ZhCn, move || view! { <Tiles metrics=metrics /> });
    assert!(
        hall.query_selector("details").ok().flatten().is_none(),
        "a screen nobody touches offers no disclosure"
    );
}

#[wasm_bindgen_test]
fn a_city_without_data_yet_is_told_so_not_shown_zero() {
    let metrics = Metrics {
        satisfaction_rate: None,
        bad_review_rate: None,
        response_rate: None,
        resolution_rate: None,
        issues_collected: 0,
        issues_solved: 0,
        ratings_total: 0,
        ratings_today: 0,
        ratings_satisfied: 0,
        ratings_bad: 0,
        issues_responded: 0,
        ranking: vec![],
        trend: vec![],
        as_of: 0,
    };
    let c = mount(Lang::ZhCn, move || view! { <Tiles metrics=metrics /> });
    assert_eq!(text_of(&c, "figure-satisfaction"), "暂无数据");
    assert_eq!(text_of(&c, "figure-resolution"), "暂无数据");
    assert_eq!(text_of(&c, "figure-collected"), "0");
}

#[wasm_bindgen_test]
async fn language_switch_rerenders_texts() {
    let receipt = IssueReceipt {
        tracking_no: "OM-7K3F-9QX2".into(),
        status: IssueStatus::Received,
        created_at: 0,
    };
    let c = mount(Lang::ZhCn, move || {
        let i18n = use_i18n();
        view! {
            <button data-testid="switch" on:click=move |_| i18n.toggle()>"switch"</button>
            <Receipt receipt=receipt on_new=|| () />
        }
    });
    assert_eq!(text_of(&c, "receipt-number"), "OM-7K3F-9QX2");
    assert!(text_of(&c, "receipt").contains("提交成功"));
    let button: HtmlElement = c
        .query_selector("[data-testid=switch]")
        .ok()
        .flatten()
        .expect("the switch button")
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    assert!(
        text_of(&c, "receipt").contains("Submitted"),
        "{}",
        text_of(&c, "receipt")
    );
}

/// A backend address nothing listens on: requests fail as in a network cut.
const NOWHERE: &str = "http://127.0.0.1:9";

/// Mounts `view` with every context a screen uses, against [`NOWHERE`].
fn mount_screen<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> HtmlElement {
    mount(Lang::ZhCn, move || {
        let backend = Backend::new(NOWHERE);
        provide_context(backend.clone());
        provide_display();
        provide_session(Lang::ZhCn, false);
        provide_outbox(&backend);
        provide_live_feed(&backend);
        view()
    })
}

fn click(container: &HtmlElement, testid: &str) {
    let element: HtmlElement = container
        .query_selector(&format!("[data-testid=\"{testid}\"]"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {testid}"))
        .unchecked_into();
    element.click();
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

#[wasm_bindgen_test]
async fn a_rating_is_saved_in_the_outbox_before_it_is_sent_and_repeats_are_ignored() {
    clear_outbox();
    // The reason tags as the kiosk last loaded them: the backend is out of reach now.
    open_month_kiosk::client::cache::store(
        "/rating-tags",
        r#"[{"id":"slow","name_zh":"等候太久","name_en":"Long wait","position":0,"active":true}]"#,
        js_sys::Date::now(),
    );
    let c = mount_screen(|| view! { <RateScreen /> });
    for _ in 0..50 {
        if c.query_selector("[data-testid=\"tag-slow\"]")
            .ok()
            .flatten()
            .is_some()
        {
            break;
        }
        gloo_timers_sleep(100).await;
    }
    assert_eq!(text_of(&c, "tag-slow"), "等候太久");
    click(&c, "tag-slow");
    click(&c, "rate-dissatisfied");
    click(&c, "rate-very_satisfied");
    leptos::task::tick().await;
    assert!(text_of(&c, "rate-outcome").contains("感谢"));
    let stored = stored_outbox();
    assert_eq!(
        stored.matches("\"path\":\"/ratings\"").count(),
        1,
        "{stored}"
    );
    assert!(
        stored.contains("dissatisfied") && stored.contains("slow"),
        "{stored}"
    );
    clear_outbox();
}

#[wasm_bindgen_test]
async fn an_empty_report_explains_each_field_in_words() {
    let c = mount_screen(|| view! { <ReportScreen /> });
    click(&c, "report-submit");
    leptos::task::tick().await;
    assert_eq!(text_of(&c, "report-error-description"), "此项必须填写");
    assert_eq!(text_of(&c, "report-error-place"), "此项必须填写");
    assert_eq!(text_of(&c, "report-failure"), "请按提示修改后再提交");
    assert!(stored_outbox().is_empty());
}

#[wasm_bindgen_test]
async fn lookup_says_so_when_the_backend_cannot_be_reached() {
    let c = mount_screen(|| view! { <LookupScreen /> });
    let input: web_sys::HtmlInputElement = c
        .query_selector("[data-testid=lookup-number]")
        .ok()
        .flatten()
        .expect("the number field")
        .unchecked_into();
    input.set_value("OM-7K3F-9QX2");
    let _ = input.dispatch_event(&web_sys::Event::new("input").expect("an input event"));
    click(&c, "lookup-submit");
    for _ in 0..50 {
        if c.text_content()
            .unwrap_or_default()
            .contains("无法连接服务器")
        {
            return;
        }
        gloo_timers_sleep(100).await;
    }
    panic!(
        "no network message: {}",
        c.text_content().unwrap_or_default()
    );
}

/// Waits `ms` milliseconds on the browser's timer.
async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
fn charts_label_every_value_so_no_legend_is_needed() {
    let ranking = vec![
        UnitScore {
            unit: "聊城市生态环境局".into(),
            ratings: 10,
            satisfaction_rate: 0.956,
        },
        UnitScore {
            unit: "聊城经济技术开发区管理委员会".into(),
            ratings: 8,
            satisfaction_rate: 0.9,
        },
    ];
    let trend = vec![
        DayPoint {
            day: "2026-11-26".into(),
            ratings: 3,
            satisfaction_rate: Some(0.8),
        },
        DayPoint {
            day: "2026-11-27".into(),
            ratings: 4,
            satisfaction_rate: Some(0.9),
        },
    ];
    let c = mount(
        Lang::ZhCn,
        move || view! { <RankingChart ranking=ranking /> <TrendChart trend=trend /> },
    );
    let ranking = text_of(&c, "ranking-chart");
    assert!(
        ranking.contains("95.6%") && ranking.contains("90.0%"),
        "{ranking}"
    );
    assert!(ranking.contains("聊城经济技术开发区管…"), "{ranking}");
    let trend = text_of(&c, "trend-chart");
    assert!(
        trend.contains("2026-11-26") && trend.contains("2026-11-27"),
        "{trend}"
    );
    assert!(trend.contains("从 80.0% 变为 90.0%"), "{trend}");
}

#[wasm_bindgen_test]
fn a_bad_setting_is_named_in_place() {
    let error = ConfigError {
        key: "view".into(),
        value: "carousel".into(),
        reason: ConfigReason::BadValue,
    };
    let c = mount(Lang::ZhCn, move || view! { <ConfigProblem error=error /> });
    let text = text_of(&c, "config-error");
    assert!(
        text.contains("组件配置有误") && text.contains("carousel"),
        "{text}"
    );
}

#[wasm_bindgen_test]
fn a_link_that_chooses_the_backend_is_told_where_the_backend_is_set() {
    let error = ConfigError {
        key: "backend".into(),
        value: "//evil.example".into(),
        reason: ConfigReason::NotFromUrl,
    };
    let c = mount(Lang::ZhCn, move || view! { <ConfigProblem error=error /> });
    let text = text_of(&c, "config-error");
    assert!(
        text.contains("网址参数不能指定后台服务器")
            && text.contains("A link's URL may not choose the backend")
            && text.contains("backend = \"//evil.example\""),
        "{text}"
    );
}

fn local_storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("local storage")
}

#[wasm_bindgen_test]
fn an_issues_status_is_never_kept_and_what_an_earlier_widget_kept_is_deleted() {
    let storage = local_storage();
    // An earlier widget kept a lookup's answer, and listed it in the cache's index.
    let mut index: Vec<String> = storage
        .get_item("omk.cache.index")
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    index.push("/issues/OM-OLD1-OLD1".into());
    let _ = storage.set_item(
        "omk.cache.index",
        &serde_json::to_string(&index).expect("an index"),
    );
    let _ = storage.set_item(
        "omk.cache:/issues/OM-OLD1-OLD1",
        r#"{"at":1.0,"body":"{\"description\":\"my neighbour Li Lei\"}"}"#,
    );
    let now = js_sys::Date::now();
    cache::store("/issues/OM-7K3F-9QX2", r#"{"description":"x"}"#, now);
    assert_eq!(cache::recall("/issues/OM-7K3F-9QX2"), None);
    assert_eq!(cache::recall("/issues/OM-OLD1-OLD1"), None);
    let kept = |key: &str| storage.get_item(key).ok().flatten();
    assert_eq!(kept("omk.cache:/issues/OM-7K3F-9QX2"), None);
    assert_eq!(kept("omk.cache:/issues/OM-OLD1-OLD1"), None, "purged");
    let index = kept("omk.cache.index").unwrap_or_default();
    assert!(!index.contains("/issues"), "{index}");
    // Public answers are still kept.
    cache::store("/categories", "[]", now);
    assert_eq!(
        cache::recall("/categories").map(|c| c.body).as_deref(),
        Some("[]")
    );
}

/// A backend nothing listens on, used by one test only so no other widget's outbox
/// sends its items.
const UNREACHABLE: &str = "http://127.0.0.1:7";

#[wasm_bindgen_test]
async fn contact_details_unsent_after_a_day_are_deleted_and_the_header_says_so() {
    clear_outbox();
    let now = js_sys::Date::now();
    let two_days_ago = now - 48.0 * 3600.0 * 1000.0;
    let issue = r#"{"category":"parking","description":"Too few spaces","place":"Hall 1","name":"Li Lei","phone":"13800000000","consent":true}"#;
    let item = |key: &str, path: &str, body: &str, origin: Option<&str>, at: f64| {
        serde_json::json!({
            "key": key, "path": path, "body": body, "origin": origin,
            "created_at": at, "attempts": 3, "next_at": at,
        })
    };
    let stored = serde_json::json!({ "items": [
        // Made for this backend, and by an earlier widget (no origin): both expire.
        item("ours-contact", "/issues", issue, Some(UNREACHABLE), two_days_ago),
        item("legacy-contact", "/issues", issue, None, two_days_ago),
        // Without contact details, an old vote keeps waiting.
        item("ours-vote", "/votes", r#"{"topic":"parking"}"#, Some(UNREACHABLE), two_days_ago),
        // Made for another backend: kept, untouched, neither sent nor counted here.
        item("theirs-rating", "/ratings", r#"{"score":5}"#, Some("https://elsewhere.example"), now),
    ]});
    let c = mount(Lang::ZhCn, move || {
        // Written as the widget starts, so that this widget's outbox is the one that finds
        // the expired items (other tests' widgets keep running on this page).
        let _ = local_storage().set_item(STORAGE_KEY, &stored.to_string());
        let backend = Backend::new(UNREACHABLE);
        provide_outbox(&backend);
        let i18n = use_i18n();
        view! {
            <button data-testid="switch" on:click=move |_| i18n.toggle()>"switch"</button>
            <OutboxStatus />
        }
    });
    for _ in 0..50 {
        if !text_of(&c, "outbox-expired").is_empty() {
            break;
        }
        gloo_timers_sleep(100).await;
    }
    assert_eq!(
        text_of(&c, "outbox-expired"),
        "2 条含联系方式的未发送反映已超过 24 小时，已删除"
    );
    assert!(
        text_of(&c, "outbox-pending").starts_with("1 "),
        "{}",
        text_of(&c, "outbox-pending")
    );
    let left = stored_outbox();
    assert!(
        !left.contains("Li Lei") && !left.contains("13800000000"),
        "{left}"
    );
    assert!(
        left.contains("ours-vote") && left.contains("theirs-rating"),
        "{left}"
    );
    let theirs = left.split("theirs-rating").nth(1).unwrap_or_default();
    assert!(theirs.contains("\"attempts\":3"), "untouched: {left}");
    click(&c, "switch");
    leptos::task::tick().await;
    assert_eq!(
        text_of(&c, "outbox-expired"),
        "2 unsent reports with contact details expired after 24 hours and were deleted"
    );
    clear_outbox();
}

fn metrics() -> Metrics {
    Metrics {
        satisfaction_rate: Some(0.862),
        bad_review_rate: Some(0.075),
        response_rate: Some(0.985),
        resolution_rate: Some(3645.0 / 4139.0),
        issues_collected: 4139,
        issues_solved: 3645,
        ratings_total: 6000,
        ratings_today: 113,
        ratings_satisfied: 0,
        ratings_bad: 0,
        issues_responded: 0,
        ranking: vec![],
        trend: vec![],
        as_of: 0,
    }
}

#[wasm_bindgen_test]
async fn one_vote_per_session_is_saved_and_locks_the_buttons() {
    clear_outbox();
    let c = mount_screen(|| {
        use_live_feed().topics.set(Some(vec![
            Topic {
                id: "parking".into(),
                title_zh: "停车难".into(),
                title_en: "Parking".into(),
                votes: 30,
                open: true,
            },
            Topic {
                id: "prepaid".into(),
                title_zh: "预付式消费".into(),
                title_en: "Prepaid".into(),
                votes: 10,
                open: true,
            },
        ]));
        view! { <VoteScreen /> }
    });
    // The topics show once the backend has said it runs no cycle.
    wait_attribute(
        &c,
        "[data-testid=vote-button]",
        "data-topic",
        "parking",
        3000,
    )
    .await;
    assert!(
        text_of(&c, "votes-parking").contains("75%"),
        "{}",
        text_of(&c, "votes-parking")
    );
    click(&c, "vote-button");
    leptos::task::tick().await;
    assert!(text_of(&c, "vote-outcome").contains("感谢投票"));
    let buttons = c
        .query_selector_all("[data-testid=vote-button]")
        .expect("buttons");
    for i in 0..buttons.length() {
        let button: web_sys::HtmlButtonElement = buttons.get(i).expect("a button").unchecked_into();
        assert!(button.disabled());
    }
    let stored = stored_outbox();
    assert_eq!(stored.matches("\"path\":\"/votes\"").count(), 1, "{stored}");
    clear_outbox();
}

#[wasm_bindgen_test]
async fn a_topic_whose_voting_closed_cannot_be_voted_for() {
    clear_outbox();
    let c = mount_screen(|| {
        use_live_feed().topics.set(Some(vec![Topic {
            id: "parking".into(),
            title_zh: "停车难".into(),
            title_en: "Parking".into(),
            votes: 30,
            open: false,
        }]));
        view! { <VoteScreen /> }
    });
    // The topics show once the backend has said it runs no cycle.
    wait_attribute(
        &c,
        "[data-testid=vote-button]",
        "data-topic",
        "parking",
        3000,
    )
    .await;
    let button: web_sys::HtmlButtonElement = c
        .query_selector("[data-testid=vote-button]")
        .ok()
        .flatten()
        .expect("the topic's button")
        .unchecked_into();
    assert!(button.disabled());
    assert_eq!(text_of(&c, "vote-button"), "投票已结束");
    click(&c, "vote-button");
    leptos::task::tick().await;
    assert!(stored_outbox().is_empty());
}

#[wasm_bindgen_test]
async fn attract_screen_shows_the_figures_and_one_start_target() {
    let c = mount_screen(|| {
        use_live_feed().metrics.set(Some(metrics()));
        view! { <Attract /> }
    });
    leptos::task::tick().await;
    let text = text_of(&c, "attract");
    assert!(
        text.contains("88.1%") && text.contains("点击开始"),
        "{text}"
    );
    assert_eq!(
        c.query_selector_all("button")
            .map(|b| b.length())
            .unwrap_or_default(),
        1
    );
}

#[wasm_bindgen_test]
async fn idle_guard_warns_then_resets_to_the_attract_screen() {
    let c = mount_screen(|| {
        let session = use_session();
        let policy = IdlePolicy {
            timeout_secs: 0,
            warning_secs: 1,
        };
        view! {
            <p data-testid="phase">{move || if session.attract.get() { "attract" } else { "in use" }}</p>
            <IdleGuard policy=policy />
        }
    });
    let mut warned = false;
    for _ in 0..40 {
        warned |= c
            .query_selector("[data-testid=idle-warning]")
            .ok()
            .flatten()
            .is_some();
        if text_of(&c, "phase") == "attract" {
            assert!(warned, "reset without a warning");
            return;
        }
        gloo_timers_sleep(100).await;
    }
    panic!("no reset; warned: {warned}");
}

/// Waits (up to `limit_ms`) until the element matching `css` has `attribute` = `want`.
async fn wait_attribute(c: &HtmlElement, css: &str, attribute: &str, want: &str, limit_ms: i32) {
    let mut waited = 0;
    loop {
        let now = c
            .query_selector(css)
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute(attribute));
        if now.as_deref() == Some(want) {
            return;
        }
        assert!(
            waited < limit_ms,
            "{css} [{attribute}] is {now:?}, never {want:?}"
        );
        gloo_timers_sleep(100).await;
        waited += 100;
    }
}

/// Figures with a ranking, as the live feed would bring them.
fn hall_metrics() -> Metrics {
    Metrics {
        satisfaction_rate: Some(0.862),
        bad_review_rate: Some(0.076),
        response_rate: Some(0.986),
        resolution_rate: Some(3645.0 / 4139.0),
        issues_collected: 4139,
        issues_solved: 3645,
        ratings_total: 900,
        ratings_today: 12,
        ratings_satisfied: 0,
        ratings_bad: 0,
        issues_responded: 0,
        ranking: vec![UnitScore {
            unit: "聊城市生态环境局".into(),
            ratings: 158,
            satisfaction_rate: 0.956,
        }],
        trend: vec![],
        as_of: 0,
    }
}

#[wasm_bindgen_test]
async fn the_hall_display_turns_by_itself_to_the_next_panel_with_something_to_show() {
    let c = mount_screen(|| {
        use_live_feed().metrics.set(Some(hall_metrics()));
        provide_context(DisplayPolicy {
            dwell_secs: WidgetConfig::MIN_DWELL_SECS,
        });
        view! { <DisplayScreen /> }
    });
    wait_attribute(&c, "[data-testid=display]", "data-panel", "figures", 2_000).await;
    assert_eq!(text_of(&c, "figure-collected"), "4,139");
    // The program cannot be read (and none was saved): today's panel is left out, and the
    // ranking follows the figures.
    wait_attribute(&c, "[data-testid=display]", "data-panel", "ranking", 8_000).await;
    assert!(text_of(&c, "display-ranking").contains("聊城市生态环境局"));
    let display = c.query_selector("[data-testid=display]").ok().flatten();
    let step = display.and_then(|d| d.get_attribute("data-step"));
    assert_eq!(
        step.as_deref(),
        Some("1"),
        "one turn, one step of the drift"
    );
}

#[wasm_bindgen_test]
async fn the_hall_display_keeps_its_figures_with_their_age_while_the_link_is_down() {
    let c = mount_screen(|| {
        let live = use_live_feed();
        live.metrics.set(Some(hall_metrics()));
        live.received_at
            .set(Some(js_sys::Date::now() - 5.0 * 60_000.0));
        live.state.set(LinkState::Reconnecting);
        provide_context(DisplayPolicy { dwell_secs: 60 });
        view! { <DisplayScreen /> }
    });
    wait_attribute(
        &c,
        "[data-testid=display-age]",
        "data-freshness",
        "offline",
        2_000,
    )
    .await;
    assert_eq!(
        text_of(&c, "display-age"),
        "网络中断，正在重连 · 数据更新于 5 分钟前"
    );
    wait_attribute(&c, "[data-testid=display]", "data-panel", "figures", 2_000).await;
    assert_eq!(text_of(&c, "figure-satisfaction"), "86.2%");
}
