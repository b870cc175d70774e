//! Registrations: seats are never overbooked, even under a rush.

use omk_api::{Event, EventPage, RegistrationReceipt};
use serde_json::json;
use tower::ServiceExt;

use crate::support::{TestApp, fresh_key, post_request};

/// An upcoming event taking registrations with at least `seats` seats free.
async fn open_event(app: &TestApp, seats: i32) -> Event {
    let now = omk_server::clock::now();
    let page: EventPage = app
        .get(&format!(
            "/api/v1/events?per_page=100&from={}",
            now + 86_400
        ))
        .await
        .json();
    page.items
        .into_iter()
        .find(|e| e.registration && e.starts_at > now && e.seats_left() >= seats)
        .expect("an open event")
}

async fn a_registration_takes_seats_and_returns_a_door_code() {
    let app = TestApp::seeded().await;
    let event = open_event(&app, 2).await;
    let uri = format!("/api/v1/events/{}/registrations", event.id);
    let reply = app.post_json(&uri, &json!({"seats": 2})).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let receipt: RegistrationReceipt = reply.json();
    assert!(receipt.code.starts_with("RG-"));
    assert_eq!(receipt.seats_left, event.seats_left() - 2);
    let after: Event = app
        .get(&format!("/api/v1/events/{}", event.id))
        .await
        .json();
    assert_eq!(after.registered, event.registered + 2);
}

async fn two_hundred_concurrent_requests_for_the_last_ten_seats_get_exactly_ten() {
    let app = TestApp::seeded().await;
    let event = open_event(&app, 10).await;
    let uri = format!("/api/v1/events/{}/registrations", event.id);
    let mut left = event.seats_left();
    while left > 10 {
        let seats = (left - 10).min(5);
        let receipt: RegistrationReceipt =
            app.post_json(&uri, &json!({"seats": seats})).await.json();
        left = receipt.seats_left;
    }
    assert_eq!(left, 10);

    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let router = app.router.clone();
            let request = post_request(&uri, "application/json", Some(&fresh_key()), "{}");
            tokio::spawn(async move { router.oneshot(request).await.map(|r| r.status().as_u16()) })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        match task.await.expect("task").expect("response") {
            201 => created += 1,
            409 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(created, 10);
    let after: Event = app
        .get(&format!("/api/v1/events/{}", event.id))
        .await
        .json();
    assert_eq!(after.registered, after.capacity);
    let full = app.post_json(&uri, &json!({})).await.problem(409);
    assert_eq!(full["type"], "/problems/event-full");
}

async fn events_without_registration_or_unknown_events_refuse_seats() {
    let app = TestApp::seeded().await;
    let page: EventPage = app.get("/api/v1/events?per_page=100").await.json();
    let no_registration = page
        .items
        .iter()
        .find(|e| !e.registration)
        .expect("an event without registration");
    let closed = app
        .post_json(
            &format!("/api/v1/events/{}/registrations", no_registration.id),
            &json!({}),
        )
        .await
        .problem(409);
    assert_eq!(closed["type"], "/problems/registration-closed");
    app.post_json("/api/v1/events/999999/registrations", &json!({}))
        .await
        .problem(404);
    app.post_json(
        &format!("/api/v1/events/{}/registrations", no_registration.id),
        &json!({"seats": 50}),
    )
    .await
    .problem(422);
}

crate::on_every_backend!(
    a_registration_takes_seats_and_returns_a_door_code,
    two_hundred_concurrent_requests_for_the_last_ten_seats_get_exactly_ten,
    events_without_registration_or_unknown_events_refuse_seats,
);
