//! Handing an event, an issue, a letter or a registration over to a phone: QR codes and calendar entries.
//! A QR code is checked the way a phone reads it: the SVG is drawn to pixels
//! by an SVG renderer and the pixels are scanned by a QR decoder.

use axum::body::Body;
use axum::http::{Method, Request};
use omk_api::{Event, EventPage, IssueReceipt, LetterReceipt, RegistrationReceipt};
use omk_server::public_url::PublicUrl;
use resvg::{tiny_skia, usvg};
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

/// The text of the one QR code an SVG document draws: the SVG is rendered on
/// a transparent canvas (so the code's own white background and quiet zone
/// must be drawn), then scanned.
fn scan_qr_svg(svg: &str) -> String {
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default())
        .unwrap_or_else(|e| panic!("not a readable SVG ({e}): {svg}"));
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).expect("a drawable size");
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // Premultiplied red: white is 255; black and anything left transparent are 0.
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(
        size.width() as usize,
        size.height() as usize,
        |x, y| {
            pixmap
                .pixel(x as u32, y as u32)
                .map_or(0, |pixel| pixel.red())
        },
    );
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the drawn SVG: {svg}");
    let (_, text) = grids[0]
        .decode()
        .unwrap_or_else(|e| panic!("the QR code does not decode ({e:?}): {svg}"));
    text
}

/// The QR code at `path` as a page on `host` gets it: an SVG, answered 200; the text a phone
/// reads from it.
async fn qr_link(app: &TestApp, path: &str, host: &str) -> String {
    let reply = get_with_host(app, path, host).await;
    assert_eq!(reply.status.as_u16(), 200, "{path}: {}", reply.text());
    assert_eq!(reply.content_type(), "image/svg+xml");
    scan_qr_svg(&reply.text())
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
    assert_eq!(
        scan_qr_svg(&reply.text()),
        format!("http://kiosk.example:8080/?view=events&event={id}")
    );
    let csp = reply.headers["content-security-policy"]
        .to_str()
        .unwrap_or("");
    assert!(csp.contains("img-src 'self'"), "{csp}");
}

async fn a_configured_public_url_wins_over_the_host_header() {
    let public = PublicUrl::parse("https://kiosk.liaocheng.example/open-month").expect("url");
    let app = TestApp::configured(|c| c.web.public_url = Some(public)).await;
    let id = first_event_id(&app).await;
    let svg = get_with_host(
        &app,
        &format!("/api/v1/events/{id}/qr.svg"),
        "internal:9000",
    )
    .await
    .text();
    assert_eq!(
        scan_qr_svg(&svg),
        format!("https://kiosk.liaocheng.example/open-month/?view=events&event={id}")
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
    let app = TestApp::empty_with_categories(&[]).await;
    let created = app
        .admin(
            Method::POST,
            "/api/v1/admin/events",
            Some(&json!({
            "title": "听证会：水价调整, 第二场; 欢迎旁听",
            "unit": "聊城市发展和改革委员会",
            "district": "东昌府区",
            "theme": "听证会",
            "place": "市政务服务中心 3 楼, 第一会议室",
            // 2026-09-01 09:30 to 11:00 Beijing time.
            "starts_at": 1_788_226_200_i64,
            "ends_at": 1_788_231_600_i64,
            "capacity": 0,
            "registration": false,
            "summary": "议程：介绍方案, 听取意见。\n请带身份证; 目录 A\\B。",
            })),
        )
        .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.text());
    let event: Event = created.json();
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
    assert!(text.ends_with("\r\n"), "{text:?}");
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "bare LF in {text:?}"
    );
    assert!(
        text.split("\r\n").all(|line| line.len() <= 75),
        "a line longer than 75 octets: {text:?}"
    );
    assert!(
        text.split("\r\n").any(|line| line.starts_with(' ')),
        "the long lines are folded: {text:?}"
    );
    let unfolded = text.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.trim_end_matches("\r\n").split("\r\n").collect();
    let (stamps, lines): (Vec<&str>, Vec<&str>) =
        lines.into_iter().partition(|l| l.starts_with("DTSTAMP:"));
    let id = event.id;
    assert_eq!(
        lines,
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Open Month Kiosk//omk-server//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            &format!("UID:event-{id}@kiosk.example"),
            "DTSTART:20260901T013000Z",
            "DTEND:20260901T030000Z",
            r"SUMMARY:听证会：水价调整\, 第二场\; 欢迎旁听",
            r"LOCATION:东昌府区 市政务服务中心 3 楼\, 第一会议室",
            r"DESCRIPTION:聊城市发展和改革委员会\n议程：介绍方案\, 听取意见。\n请带身份证\; 目录 A\\B。",
            &format!("URL:http://kiosk.example/?view=events&event={id}"),
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    );
    assert_eq!(stamps.len(), 1, "one DTSTAMP: {stamps:?}");
    assert!(is_utc_stamp(&stamps[0]["DTSTAMP:".len()..]), "{stamps:?}");
}

/// Whether `text` has the shape `YYYYMMDDTHHMMSSZ`.
fn is_utc_stamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 16
        && bytes[8] == b'T'
        && bytes[15] == b'Z'
        && bytes[..8]
            .iter()
            .chain(&bytes[9..15])
            .all(u8::is_ascii_digit)
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
            &json!({"fill_ms": 5000, "category": "parking", "description": "小区门口违章停车严重", "place": "柳园街道",
                    "name": "王秀兰", "phone": "13800138000", "consent": true}),
        )
        .await
        .json();
    let lower = receipt.tracking_no.to_lowercase();
    assert_eq!(
        qr_link(
            &app,
            &format!("/api/v1/issues/{lower}/qr.svg"),
            "kiosk.example"
        )
        .await,
        format!(
            "http://kiosk.example/?view=lookup&number={}",
            receipt.tracking_no
        )
    );
    get_with_host(&app, "/api/v1/issues/OM-0000-0000/qr.svg", "kiosk.example")
        .await
        .problem(404);
    get_with_host(&app, "/api/v1/issues/nonsense/qr.svg", "kiosk.example")
        .await
        .problem(404);
}

async fn letter_qr_code_links_the_letter_and_carries_nothing_personal() {
    let app = TestApp::seeded().await;
    let receipt: LetterReceipt = app
        .post_json(
            "/api/v1/letters",
            &json!({"kind": "suggestion", "title": "建议增设公交夜班线路", "text": "东昌府区晚上九点后没有公交车。",
                    "name": "王秀兰", "phone": "13800138000", "may_publish": false}),
        )
        .await
        .json();
    let lower = receipt.code.to_lowercase();
    assert_eq!(
        qr_link(
            &app,
            &format!("/api/v1/letters/{lower}/qr.svg"),
            "kiosk.example"
        )
        .await,
        format!("http://kiosk.example/?view=mailbox&letter={}", receipt.code)
    );
    get_with_host(&app, "/api/v1/letters/nonsense/qr.svg", "kiosk.example")
        .await
        .problem(404);
}

async fn registration_qr_code_links_the_registration_and_carries_nothing_personal() {
    let app = crate::cycle::city().await;
    let id = crate::outcome::meeting_event(&app, 5).await;
    let receipt: RegistrationReceipt = app
        .post_json(
            &format!("/api/v1/events/{id}/registrations"),
            &json!({"seats": 1}),
        )
        .await
        .json();
    let lower = receipt.code.to_lowercase();
    let path = format!("/api/v1/registrations/{lower}/qr.svg");
    assert_eq!(
        qr_link(&app, &path, "kiosk.example").await,
        format!(
            "http://kiosk.example/?view=events&registration={}",
            receipt.code
        )
    );
    for unknown in ["RG-0000-0000", "nonsense"] {
        get_with_host(
            &app,
            &format!("/api/v1/registrations/{unknown}/qr.svg"),
            "kiosk.example",
        )
        .await
        .problem(404);
    }
}

/// A hall display nobody touches offers the figures and the rating page on a phone.
async fn the_figures_and_rating_pages_have_qr_codes_for_a_hall_display() {
    let app = TestApp::seeded().await;
    for (path, page) in [
        ("/api/v1/metrics/qr.svg", "figures"),
        ("/api/v1/ratings/qr.svg", "rate"),
        ("/api/v1/letters/qr.svg", "mailbox&section=replies"),
        ("/api/v1/cycle/qr.svg", "vote"),
    ] {
        assert_eq!(
            qr_link(&app, path, "hall.example:8080").await,
            format!("http://hall.example:8080/?view={page}")
        );
        get_with_host(&app, path, "evil.example/phish?x=")
            .await
            .problem(400);
    }
}

/// "How is this computed?" hands the open data to a phone: its QR code is the package's
/// descriptor, which answers.
async fn the_open_data_has_a_qr_code_of_its_descriptor() {
    let app = TestApp::seeded().await;
    let link = qr_link(&app, "/api/v1/opendata/qr.svg", "hall.example:8080").await;
    assert_eq!(
        link,
        "http://hall.example:8080/api/v1/opendata/datapackage.json"
    );
    let path = link.trim_start_matches("http://hall.example:8080");
    let reply = app.get(path).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    get_with_host(&app, "/api/v1/opendata/qr.svg", "evil.example/phish?x=")
        .await
        .problem(400);
}

crate::on_every_backend!(
    the_open_data_has_a_qr_code_of_its_descriptor,
    the_figures_and_rating_pages_have_qr_codes_for_a_hall_display,
    event_qr_code_is_an_svg_of_the_event_page_on_the_request_host,
    a_configured_public_url_wins_over_the_host_header,
    a_host_header_that_is_not_a_plain_host_is_refused,
    calendar_entry_is_crlf_icalendar_with_the_title_and_place,
    unknown_events_have_no_qr_code_or_calendar_entry,
    issue_qr_code_links_the_lookup_and_carries_nothing_personal,
    letter_qr_code_links_the_letter_and_carries_nothing_personal,
    registration_qr_code_links_the_registration_and_carries_nothing_personal,
);
