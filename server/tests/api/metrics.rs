//! The figures, computed from stored rows.

use axum::http::Method;
use omk_api::metrics::percent;
use omk_api::{Event, IssueReceipt, Metrics, RatingReceipt, VoteReceipt};
use serde_json::json;

use crate::support::TestApp;

/// What a city sees on the first day, before it has loaded anything: nothing made up.
async fn a_production_database_has_no_program_and_no_figures_yet() {
    let app = TestApp::configured(|c| c.demo = false).await;
    let m: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(
        (
            m.satisfaction_rate,
            m.bad_review_rate,
            m.response_rate,
            m.resolution_rate
        ),
        (None, None, None, None)
    );
    assert_eq!(
        (
            m.issues_collected,
            m.issues_solved,
            m.ratings_total,
            m.ratings_today
        ),
        (0, 0, 0, 0)
    );
    assert!(m.ranking.is_empty());
    assert!(m.trend.iter().all(|d| d.ratings == 0), "{:?}", m.trend);
    let events: serde_json::Value = app.get("/api/v1/events").await.json();
    assert_eq!(events["total"], 0);
    assert_eq!(events["items"], json!([]));
    let topics: serde_json::Value = app.get("/api/v1/topics").await.json();
    assert_eq!(topics, json!([]));
}

async fn seeded_figures_match_the_report() {
    let app = TestApp::seeded().await;
    let m: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(m.issues_collected, 4139);
    assert_eq!(m.issues_solved, 3645);
    let resolution = m.resolution_rate.expect("rate");
    assert_eq!(omk_api::metrics::percent(resolution), "88.1");
    assert!(m.response_rate.expect("rate") > resolution);
    assert!(m.ratings_total >= 1000);
    assert!(m.satisfaction_rate.expect("rate") > 0.7);
    assert!(m.bad_review_rate.expect("rate") < 0.2);
}

async fn ranking_is_best_first_and_trend_covers_30_days() {
    let app = TestApp::seeded().await;
    let m: Metrics = app.get("/api/v1/metrics").await.json();
    assert!(!m.ranking.is_empty());
    assert!(
        m.ranking
            .windows(2)
            .all(|w| w[0].satisfaction_rate >= w[1].satisfaction_rate)
    );
    assert_eq!(m.trend.len(), 30);
    assert!(m.trend.windows(2).all(|w| w[0].day < w[1].day));
    let today = omk_server::clock::format_day(omk_server::clock::local_day(m.as_of));
    assert_eq!(m.trend[29].day, today);
    assert_eq!(m.trend[29].ratings, m.ratings_today);
}

async fn a_rating_moves_the_counts() {
    let app = TestApp::seeded().await;
    let before: Metrics = app.get("/api/v1/metrics").await.json();
    let reply = app
        .post_json(
            "/api/v1/ratings",
            &json!({"level": "very_dissatisfied", "tags": ["slow"], "unit": "聊城市公安局"}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let _: RatingReceipt = reply.json();
    let after: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(after.ratings_total, before.ratings_total + 1);
    assert_eq!(after.ratings_today, before.ratings_today + 1);
    assert!(after.bad_review_rate > before.bad_review_rate);
}

async fn a_vote_adds_one_to_its_topic() {
    let app = TestApp::seeded().await;
    let before: Vec<omk_api::Topic> = app.get("/api/v1/topics").await.json();
    assert!((4..=6).contains(&before.len()));
    let reply = app
        .post_json("/api/v1/votes", &json!({"topic": "garbage"}))
        .await;
    assert_eq!(reply.status.as_u16(), 201);
    let receipt: VoteReceipt = reply.json();
    let votes = |topics: &[omk_api::Topic]| {
        topics
            .iter()
            .find(|t| t.id == "garbage")
            .map(|t| t.votes)
            .unwrap_or_default()
    };
    assert_eq!(votes(&receipt.topics), votes(&before) + 1);
}

async fn issue_figures_count_exactly_the_stored_issues() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    let empty: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!((empty.issues_collected, empty.issues_solved), (0, 0));
    assert_eq!((empty.resolution_rate, empty.response_rate), (None, None));

    let mut numbers = Vec::new();
    for n in 0..8 {
        let reply = app
            .post_json(
                "/api/v1/issues",
                &json!({"fill_ms": 5000, "category": "parking", "description": format!("小区门口违章停车 {n}"), "place": "柳园街道"}),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        numbers.push(reply.json::<IssueReceipt>().tracking_no);
    }
    // Six resolved, one accepted, one left as received.
    for (number, status) in numbers
        .iter()
        .zip(["resolved"; 6].into_iter().chain(["accepted"]))
    {
        let reply = app
            .admin(
                Method::POST,
                &format!("/api/v1/admin/issues/{number}/status"),
                Some(&json!({"status": status, "answer": "已处理。"})),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    }

    let m: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(m.issues_collected, 8);
    assert_eq!(m.issues_solved, 6);
    assert_eq!(m.resolution_rate, Some(0.75));
    assert_eq!(m.response_rate, Some(0.875));
    assert_eq!(percent(0.75), "75.0");
    assert_eq!(percent(0.875), "87.5");
    assert_eq!((m.ratings_total, m.satisfaction_rate), (0, None));
}

async fn rating_figures_count_exactly_the_stored_ratings() {
    let app = TestApp::empty_with_categories(&[]).await;
    let now = omk_server::clock::now();
    for unit in ["聊城市公安局", "聊城市医疗保障局"] {
        let reply = app
            .admin(
                Method::POST,
                "/api/v1/admin/events",
                Some(&json!({
                    "title": "走进机关", "unit": unit, "district": "东昌府区", "theme": "走进机关",
                    "place": "市政务服务中心", "starts_at": now + 86_400, "ends_at": now + 90_000,
                    "capacity": 10,
                })),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        let _: Event = reply.json();
    }
    let ratings = [
        ("very_satisfied", Some("聊城市公安局")),
        ("very_satisfied", Some("聊城市公安局")),
        ("satisfied", Some("聊城市公安局")),
        ("dissatisfied", Some("聊城市公安局")),
        ("very_satisfied", Some("聊城市医疗保障局")),
        ("basically_satisfied", Some("聊城市医疗保障局")),
        ("satisfied", None),
        ("very_dissatisfied", None),
    ];
    for (level, unit) in ratings {
        let reply = app
            .post_json("/api/v1/ratings", &json!({"level": level, "unit": unit}))
            .await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    }

    let m: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(m.ratings_total, 8);
    assert_eq!(m.ratings_today, 8);
    // Satisfied is "satisfied" or better: 5 of 8; a bad review is "dissatisfied" or worse: 2 of 8.
    assert_eq!(m.satisfaction_rate, Some(0.625));
    assert_eq!(m.bad_review_rate, Some(0.25));
    assert_eq!(percent(0.625), "62.5");
    let ranking: Vec<(&str, i64, f64)> = m
        .ranking
        .iter()
        .map(|u| (u.unit.as_str(), u.ratings, u.satisfaction_rate))
        .collect();
    assert_eq!(
        ranking,
        [("聊城市公安局", 4, 0.75), ("聊城市医疗保障局", 2, 0.5)]
    );
    let today = &m.trend[29];
    assert_eq!((today.ratings, today.satisfaction_rate), (8, Some(0.625)));
    assert!(
        m.trend[..29]
            .iter()
            .all(|d| d.ratings == 0 && d.satisfaction_rate.is_none()),
        "{:?}",
        m.trend
    );
    assert_eq!((m.issues_collected, m.resolution_rate), (0, None));
}

crate::on_every_backend!(
    a_production_database_has_no_program_and_no_figures_yet,
    issue_figures_count_exactly_the_stored_issues,
    rating_figures_count_exactly_the_stored_ratings,
    seeded_figures_match_the_report,
    ranking_is_best_first_and_trend_covers_30_days,
    a_rating_moves_the_counts,
    a_vote_adds_one_to_its_topic,
);
