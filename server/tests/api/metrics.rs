//! The figures, computed from stored rows.

use axum::http::Method;
use omk_api::metrics::percent;
use omk_api::{Event, IssueReceipt, Metrics, RatingReceipt, VoteReceipt};
use serde_json::json;

use crate::support::{DEMO_AT, TestApp, seeded_at_demo_moment};

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
    // The demo data is the same whenever it is seeded: 6,000 ratings of which 5,174 are
    // at level 4 or 5 and 453 at 1 or 2; 4,079 issues answered past received.
    assert_eq!(m.ratings_total, 6000);
    assert_fraction(m.satisfaction_rate, 5174, 6000);
    assert_fraction(m.bad_review_rate, 453, 6000);
    assert_fraction(m.response_rate, 4079, 4139);
    assert_fraction(m.resolution_rate, 3645, 4139);
    assert_eq!(
        m.ranking
            .iter()
            .map(|u| (u.unit.as_str(), u.ratings))
            .collect::<Vec<_>>(),
        DEMO_RANKING
    );
}

/// The demo's ranking: units best first, with their ratings.
const DEMO_RANKING: [(&str, i64); 33] = [
    ("东昌府区人民政府", 165),
    ("聊城市生态环境局", 158),
    ("聊城市公安局", 151),
    ("聊城市教育局", 168),
    ("聊城经济技术开发区管理委员会", 193),
    ("东阿县人民政府", 152),
    ("聊城市医疗保障局", 165),
    ("聊城市人力资源和社会保障局", 164),
    ("聊城市应急管理局", 150),
    ("聊城市市场监督管理局", 175),
    ("聊城市交通运输局", 157),
    ("高唐县人民政府", 181),
    ("聊城市自然资源和规划局", 169),
    ("聊城市发展和改革委员会", 172),
    ("聊城市人民政府办公室", 155),
    ("聊城市文化和旅游局", 145),
    ("茌平区人民政府", 158),
    ("聊城市住房和城乡建设局", 188),
    ("聊城市退役军人事务局", 163),
    ("聊城市住房公积金管理中心", 163),
    ("聊城市行政审批服务局", 188),
    ("聊城市农业农村局", 164),
    ("聊城市城市管理局", 147),
    ("聊城市司法局", 167),
    ("聊城市卫生健康委员会", 155),
    ("江北水城旅游度假区管理委员会", 149),
    ("聊城高新技术产业开发区管理委员会", 153),
    ("聊城市民政局", 194),
    ("阳谷县人民政府", 148),
    ("聊城市水利局", 183),
    ("莘县人民政府", 169),
    ("临清市人民政府", 151),
    ("冠县人民政府", 188),
];

/// Asserts a rate is `part / whole`: equal but for the last bits a JSON round trip may
/// change, far closer than the next possible count (`1 / whole` away).
#[track_caller]
fn assert_fraction(rate: Option<f64>, part: i64, whole: i64) {
    let wanted = part as f64 / whole as f64;
    let rate = rate.expect("a rate");
    assert!(
        (rate - wanted).abs() < 1e-12,
        "{rate}, wanted {part}/{whole} = {wanted}"
    );
}

/// The demo data laid out around a fixed moment, with the figures taken at that moment:
/// the day's ratings and every day of the trend are what the seed puts there.
async fn the_trend_and_todays_ratings_of_the_demo_are_exact_at_a_fixed_moment() {
    let app = seeded_at_demo_moment().await;
    let m = omk_server::db::metrics::snapshot(&app.state.db, app.state.clock.now())
        .await
        .expect("figures");
    assert_eq!(m.as_of, DEMO_AT);
    assert_eq!((m.ratings_total, m.ratings_today), (6000, 92));
    let trend: Vec<(&str, i64)> = m
        .trend
        .iter()
        .map(|d| (d.day.as_str(), d.ratings))
        .collect();
    assert_eq!(
        trend,
        [
            ("2026-08-03", 205),
            ("2026-08-04", 194),
            ("2026-08-05", 209),
            ("2026-08-06", 214),
            ("2026-08-07", 208),
            ("2026-08-08", 213),
            ("2026-08-09", 180),
            ("2026-08-10", 207),
            ("2026-08-11", 203),
            ("2026-08-12", 182),
            ("2026-08-13", 194),
            ("2026-08-14", 212),
            ("2026-08-15", 218),
            ("2026-08-16", 186),
            ("2026-08-17", 195),
            ("2026-08-18", 210),
            ("2026-08-19", 197),
            ("2026-08-20", 212),
            ("2026-08-21", 212),
            ("2026-08-22", 205),
            ("2026-08-23", 194),
            ("2026-08-24", 204),
            ("2026-08-25", 192),
            ("2026-08-26", 192),
            ("2026-08-27", 189),
            ("2026-08-28", 196),
            ("2026-08-29", 196),
            ("2026-08-30", 193),
            ("2026-08-31", 186),
            ("2026-09-01", 92),
        ]
    );
    assert_fraction(m.satisfaction_rate, 5174, 6000);
    assert_eq!(
        m.ranking
            .iter()
            .map(|u| (u.unit.as_str(), u.ratings))
            .collect::<Vec<_>>(),
        DEMO_RANKING
    );
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
    let tally: Vec<(&str, i64)> = before.iter().map(|t| (t.id.as_str(), t.votes)).collect();
    assert_eq!(
        tally,
        [
            ("parking", 1320),
            ("prepaid", 973),
            ("garbage", 777),
            ("elderly_meals", 633),
            ("school_traffic", 491),
        ]
    );
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
        app.move_issue(number, &json!({"status": status, "answer": "已处理。"}))
            .await;
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
    the_trend_and_todays_ratings_of_the_demo_are_exact_at_a_fixed_moment,
    ranking_is_best_first_and_trend_covers_30_days,
    a_rating_moves_the_counts,
    a_vote_adds_one_to_its_topic,
);
