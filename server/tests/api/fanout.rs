//! Several instances on one PostgreSQL database: a change made through one
//! reaches the live stream clients of the others (LISTEN/NOTIFY).

use std::time::{Duration, Instant};

use omk_server::Config;
use sqlx::Connection;

use crate::support::{Backend, fresh_database_url, run_on};
use crate::wire::{WireSse, post_json};

fn config(database_url: &str) -> Config {
    let mut config = Config::for_database(database_url);
    config.limits.writes_per_minute = 0;
    config
}

async fn a_rating_posted_to_one_instance_reaches_a_stream_of_another_even_after_the_listener_drops()
{
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;
    let a = omk_server::spawn(config(&url))
        .await
        .expect("instance A starts");
    let b = omk_server::spawn(config(&url))
        .await
        .expect("instance B starts");

    let mut stream = WireSse::open(b.addr).await.expect("stream on B");
    let first = stream
        .next_metrics(Duration::from_secs(5))
        .await
        .expect("B's first snapshot");
    // No wait for B's listener: a change made before it listens is caught up
    // when it connects.
    let sent = Instant::now();
    let reply = post_json(a.addr, "/api/v1/ratings", r#"{"level":"very_satisfied"}"#)
        .await
        .expect("rating to A");
    assert_eq!(reply.status, 201, "{}", reply.body);
    let mut seen = first.ratings_total;
    while seen < first.ratings_total + 1 {
        let next = stream
            .next_metrics(Duration::from_secs(5))
            .await
            .expect("B streams the rating made on A");
        seen = next.ratings_total;
    }
    println!("rating on A seen on B's stream after {:?}", sent.elapsed());
    assert_eq!(seen, first.ratings_total + 1);

    // Cut every listener connection; each instance reconnects and catches up.
    let mut admin = sqlx::PgConnection::connect(&url).await.expect("connect");
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query ILIKE 'LISTEN%'",
    )
    .fetch_all(&mut admin)
    .await
    .expect("terminate the listeners");
    assert!(cut.len() >= 2, "both listeners found: {cut:?}");
    let _ = admin.close().await;
    let reply = post_json(a.addr, "/api/v1/ratings", r#"{"level":"satisfied"}"#)
        .await
        .expect("rating to A");
    assert_eq!(reply.status, 201, "{}", reply.body);
    while seen < first.ratings_total + 2 {
        let next = stream
            .next_metrics(Duration::from_secs(10))
            .await
            .expect("B streams the rating made on A after its listener was cut");
        seen = next.ratings_total;
    }
    assert_eq!(seen, first.ratings_total + 2);

    drop(stream);
    a.shutdown().await;
    b.shutdown().await;
}

mod a_rating_posted_to_one_instance_reaches_a_stream_of_another_even_after_the_listener_drops {
    /// Only PostgreSQL fans out across instances; SQLite serves one instance.
    #[tokio::test]
    async fn postgres() {
        super::run_on(
            super::Backend::Postgres,
            super::a_rating_posted_to_one_instance_reaches_a_stream_of_another_even_after_the_listener_drops(),
        )
        .await;
    }
}
