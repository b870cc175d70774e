//! Handing an event or an issue over to a phone: QR codes and calendar entries.

use axum::body::Body;
use axum::http::Request;
use omk_api::{EventPage, IssueReceipt};
use omk_server::public_url::PublicUrl;
use serde_json::json;

use crate::support::{Reply, TestApp};

async fn get_with_host(app: &TestApp, uri: &str, host: &str) -> Reply {
    app.send(
        Request::get(uri)
            .header("host", host)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

async fn first_event_id(app: &TestApp) -> i64 {
    let page: EventPage = app.get("/api/v1/events?per_page=1").await.json();
    page.items[0].id
}

fn expected_svg(url: &str) -> String {
    omk_server::qr::svg(url).expect("encodable")
}

async fn event_qr_code_is_an_svg_of_the_event_page_on_the_request_host() {
    let app = TestApp::seeded().await;
    let id = first_event_id(&app).await;
    let reply = get_with_host(
        &app,
        &format!("/api/v1/events/{id}/qr.svg"),
        "kiosk.example:8080",
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    assert_eq!(reply.content_type(), "image/svg+xml");
    let svg = reply.text();
    assert!(
        svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
        "{svg}"
    );
    assert_eq!(
        svg,
        expected_svg(&format!(
            "http://kiosk.example:8080/?view=events&event={id}"
        ))
    );
    let csp = reply.headers["content-security-policy"]
        .to_str()
        .unwrap_or("");
    assert!(csp.contains("img-src 'self'"), "{csp}");
}

async fn a_configured_public_url_wins_over_the_host_header() {
    let public = PublicUrl::parse("https://kiosk.liaocheng.example/open-month").expect("url");
    let app = TestApp::configured(|c| c.public_url = Some(public)).await;
    let id = first_event_id(&app).await;
    let svg = get_with_host(
        &app,
        &format!("/api/v1/events/{id}/qr.svg"),
        "internal:9000",
    )
    .await
    .text();
    assert_eq!(
        svg,
        expected_svg(&format!(
            "https://kiosk.liaocheng.example/open-month/?view=events&event={id}"
        ))
    );
}

async fn a_host_header_that_is_not_a_plain_host_is_refused() {
    let app = TestApp::seeded().await;
    let id = first_event_id(&app).await;
    for host in [
        "evil.example/phish?x=",
        "a b",
        "x.example:80:80",
        "user@x.example",
    ] {
        get_with_host(&app, &format!("/api/v1/events/{id}/qr.svg"), host)
            .await
            .problem(400);
    }
}

async fn calendar_entry_is_crlf_icalendar_with_the_title_and_place() {
    let app = TestApp::seeded().await;
    let page: EventPage = app.get("/api/v1/events?per_page=1").await.json();
    let event = &page.items[0];
    let reply = get_with_host(
        &app,
        &format!("/api/v1/events/{}/calendar.ics", event.id),
        "kiosk.example",
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    assert_eq!(reply.content_type(), "text/calendar; charset=utf-8");
    assert_eq!(
        reply.headers["content-disposition"],
        format!("attachment; filename=\"event-{}.ics\"", event.id).as_str()
    );
    let text = reply.text();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "bare LF in {text}"
    );
    assert!(text.split("\r\n").all(|line| line.len() <= 75));
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains(&format!(
        "\r\nSUMMARY:{}\r\n",
        omk_server::ics::escape_text(&event.title)
    )));
    assert!(unfolded.contains(&format!(
        "\r\nDTSTART:{}\r\n",
        omk_server::ics::utc_stamp(event.starts_at)
    )));
    assert!(unfolded.contains(&format!("\r\nUID:event-{}@kiosk.example\r\n", event.id)));
    assert!(unfolded.contains(&format!(
        "\r\nLOCATION:{}\r\n",
        omk_server::ics::escape_text(&format!("{} {}", event.district, event.place))
    )));
    assert!(unfolded.contains("\r\nBEGIN:VEVENT\r\n"));
}

async fn unknown_events_have_no_qr_code_or_calendar_entry() {
    let app = TestApp::seeded().await;
    for uri in [
        "/api/v1/events/999999/qr.svg",
        "/api/v1/events/999999/calendar.ics",
        "/api/v1/events/abc/qr.svg",
        "/api/v1/events/-1/calendar.ics",
    ] {
        get_with_host(&app, uri, "kiosk.example").await.problem(404);
    }
}

async fn issue_qr_code_links_the_lookup_and_carries_nothing_personal() {
    let app = TestApp::seeded().await;
    let receipt: IssueReceipt = app
        .post_json(
            "/api/v1/issues",
            &json!({"category": "parking", "description": "小区门口违章停车严重", "place": "柳园街道",
                    "name": "王秀兰", "phone": "13800138000", "consent": true}),
        )
        .await
        .json();
    let lower = receipt.tracking_no.to_lowercase();
    let reply = get_with_host(
        &app,
        &format!("/api/v1/issues/{lower}/qr.svg"),
        "kiosk.example",
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    assert_eq!(reply.content_type(), "image/svg+xml");
    assert_eq!(
        reply.text(),
        expected_svg(&format!(
            "http://kiosk.example/?view=lookup&number={}",
            receipt.tracking_no
        ))
    );
    get_with_host(&app, "/api/v1/issues/OM-0000-0000/qr.svg", "kiosk.example")
        .await
        .problem(404);
    get_with_host(&app, "/api/v1/issues/nonsense/qr.svg", "kiosk.example")
        .await
        .problem(404);
}

crate::on_every_backend!(
    event_qr_code_is_an_svg_of_the_event_page_on_the_request_host,
    a_configured_public_url_wins_over_the_host_header,
    a_host_header_that_is_not_a_plain_host_is_refused,
    calendar_entry_is_crlf_icalendar_with_the_title_and_place,
    unknown_events_have_no_qr_code_or_calendar_entry,
    issue_qr_code_links_the_lookup_and_carries_nothing_personal,
);
