//! The figures, computed from stored rows.

use omk_api::{Metrics, RatingReceipt, VoteReceipt};
use serde_json::json;

use crate::support::TestApp;

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

crate::on_every_backend!(
    seeded_figures_match_the_report,
    ranking_is_best_first_and_trend_covers_30_days,
    a_rating_moves_the_counts,
    a_vote_adds_one_to_its_topic,
);
