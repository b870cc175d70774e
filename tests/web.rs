//! Component tests in a real headless Chromium (wasm-bindgen-test): each
//! mounts one component into the page and reads the DOM it produced.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use omk_api::{Event, IssueReceipt, IssueStatus, Lang, Metrics};
use open_month_kiosk::events::card::EventCard;
use open_month_kiosk::figures::Tiles;
use open_month_kiosk::i18n::{provide_i18n, use_i18n};
use open_month_kiosk::report::Receipt;
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
