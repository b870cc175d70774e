//! The program: counts, filters, paging, facets and single events.

use omk_api::{Event, EventFacets, EventPage};

use crate::support::{DEMO_AT, TestApp, seeded_at_demo_moment};

/// The demo's program: 502 events, and the executive meetings of the two months before.
const SEEDED: i64 = 502 + 2;

async fn seeded_program_has_502_events_and_2_meetings_ordered_by_start() {
    let app = TestApp::seeded().await;
    let page: EventPage = app.get("/api/v1/events?per_page=100").await.json();
    assert_eq!(page.total, SEEDED);
    assert_eq!(page.items.len(), 100);
    assert!(
        page.items
            .windows(2)
            .all(|w| w[0].starts_at <= w[1].starts_at)
    );
}

async fn pages_split_the_list_without_overlap() {
    let app = TestApp::seeded().await;
    let first: EventPage = app.get("/api/v1/events?page=1&per_page=10").await.json();
    let second: EventPage = app.get("/api/v1/events?page=2&per_page=10").await.json();
    assert_eq!((first.page, first.per_page), (1, 10));
    assert_eq!(second.page, 2);
    assert!(
        first
            .items
            .iter()
            .all(|a| second.items.iter().all(|b| a.id != b.id))
    );
    assert!(first.items[9].starts_at <= second.items[0].starts_at);
    let beyond: EventPage = app.get("/api/v1/events?page=999").await.json();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, SEEDED);
}

async fn district_and_theme_filters_narrow_the_list() {
    let app = TestApp::seeded().await;
    let page: EventPage = app
        .get("/api/v1/events?per_page=100&district=%E4%B8%9C%E9%98%BF%E5%8E%BF")
        .await
        .json();
    assert_eq!(page.total, 28);
    assert_eq!(page.items.len(), 28);
    assert!(page.items.iter().all(|e| e.district == "东阿县"));
    let hearings: EventPage = app
        .get("/api/v1/events?per_page=100&theme=%E5%90%AC%E8%AF%81%E4%BC%9A")
        .await
        .json();
    assert_eq!(hearings.total, 40);
    assert!(
        hearings
            .items
            .iter()
            .all(|e| e.theme == "听证会" && !e.registration)
    );
}

async fn text_search_filters_events() {
    let app = TestApp::seeded().await;
    let found: EventPage = app
        .get("/api/v1/events?per_page=100&q=%E5%90%AC%E8%AF%81")
        .await
        .json();
    assert_eq!(found.total, 40);
    assert!(found.items.iter().all(|e| e.title.contains("听证")));
    let none: EventPage = app.get("/api/v1/events?q=%25_nothing").await.json();
    assert_eq!(none.total, 0);
}

/// The program laid out around a fixed moment: what is on then, and what is still to come.
async fn the_time_window_of_a_program_laid_out_around_a_fixed_moment_is_exact() {
    let app = seeded_at_demo_moment().await;
    let now = DEMO_AT;
    let on_now: EventPage = app
        .get(&format!(
            "/api/v1/events?per_page=100&from={now}&to={}",
            now + 1
        ))
        .await
        .json();
    assert_eq!(on_now.total, 8, "events on at the seeding moment");
    let ahead: EventPage = app
        .get(&format!("/api/v1/events?per_page=1&from={now}"))
        .await
        .json();
    assert_eq!(
        ahead.total, 277,
        "events not yet over at the seeding moment"
    );
    assert!(
        on_now
            .items
            .iter()
            .all(|e| e.starts_at <= now && e.ends_at >= now)
    );
}

/// `current=true` is `from` set to the server's now, under an address that stays the same,
/// so a kiosk coming back to an unchanged program gets a 304.
async fn current_events_keep_one_address_and_revalidate() {
    let app = TestApp::seeded().await;
    let now = omk_server::clock::now();
    let current = app.get("/api/v1/events?current=true&per_page=100").await;
    let page: EventPage = current.json();
    assert!(
        page.total > 0 && page.total < SEEDED,
        "{} current",
        page.total
    );
    assert!(page.items.iter().all(|e| e.ends_at >= now));
    let from_now: EventPage = app
        .get(&format!("/api/v1/events?from={now}&per_page=100"))
        .await
        .json();
    assert_eq!(page.total, from_now.total);
    let tag = current.headers["etag"].to_str().expect("etag").to_owned();
    let again = app
        .send(
            axum::http::Request::builder()
                .uri("/api/v1/events?current=true&per_page=100")
                .header("if-none-match", tag.as_str())
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(again.status.as_u16(), 304);
    app.get("/api/v1/events?current=maybe").await.problem(400);
}

async fn facets_list_every_district_theme_and_unit() {
    let app = TestApp::seeded().await;
    let facets: EventFacets = app.get("/api/v1/events/facets").await.json();
    assert_eq!(facets.districts.len(), 11);
    assert!(
        facets
            .districts
            .contains(&"聊城高新技术产业开发区".to_owned())
    );
    assert!(facets.themes.contains(&"政府开放日".to_owned()));
    assert!(facets.units.contains(&"聊城市生态环境局".to_owned()));
}

async fn one_event_by_id_and_404_problem_for_unknown_ids() {
    let app = TestApp::seeded().await;
    let event: Event = app.get("/api/v1/events/1").await.json();
    assert_eq!(event.id, 1);
    app.get("/api/v1/events/999999").await.problem(404);
    app.get("/api/v1/events/abc").await.problem(404);
}

async fn unreadable_query_parameters_give_400_problem() {
    let app = TestApp::seeded().await;
    app.get("/api/v1/events?page=abc").await.problem(400);
    app.get("/api/v1/events?from=-x").await.problem(400);
}

crate::on_every_backend!(
    seeded_program_has_502_events_and_2_meetings_ordered_by_start,
    pages_split_the_list_without_overlap,
    district_and_theme_filters_narrow_the_list,
    text_search_filters_events,
    the_time_window_of_a_program_laid_out_around_a_fixed_moment_is_exact,
    current_events_keep_one_address_and_revalidate,
    facets_list_every_district_theme_and_unit,
    one_event_by_id_and_404_problem_for_unknown_ids,
    unreadable_query_parameters_give_400_problem,
);
