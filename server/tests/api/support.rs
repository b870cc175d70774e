//! The harness: a server in a temporary folder, driven in-process with
//! `oneshot`, over SQLite and over the PostgreSQL named by
//! `OMK_TEST_POSTGRES_URL`.
//!
//! Each test body is a plain `async fn` listed in [`on_every_backend!`],
//! which makes a `sqlite` and a `postgres` test of it. Every test gets its own
//! database: a SQLite file in a temporary folder, or a PostgreSQL database
//! created for it and dropped when it ends, so tests run in parallel.
//!
//! A `postgres` test without `OMK_TEST_POSTGRES_URL` fails; it is skipped
//! only when `OMK_TEST_SKIP_POSTGRES=1` says so (`cargo xtask test` sets it
//! when it cannot start a PostgreSQL outside CI).

use std::future::Future;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use futures::FutureExt;
use http_body_util::BodyExt;
use omk_server::{AppState, Config, app, open_database};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::Connection;
use tempfile::TempDir;
use tower::ServiceExt;

pub mod session;
pub mod tables;

/// The operators' bearer token of the apps that take one.
pub const ADMIN_TOKEN: &str = "operator-secret-token-0123456789abcdef";

/// The variable naming the PostgreSQL the tests may use; its role needs CREATEDB.
pub const POSTGRES_URL_VAR: &str = "OMK_TEST_POSTGRES_URL";
/// The variable that, set to `1`, skips the PostgreSQL tests instead of failing them
/// when [`POSTGRES_URL_VAR`] is missing.
pub const SKIP_POSTGRES_VAR: &str = "OMK_TEST_SKIP_POSTGRES";

/// Makes, for each listed test body, a module with a `sqlite` and a
/// `postgres` test running it on that backend.
#[macro_export]
macro_rules! on_every_backend {
    ($($test:ident),+ $(,)?) => {
        $(
            mod $test {
                #[tokio::test]
                async fn sqlite() {
                    $crate::support::run_on($crate::support::Backend::Sqlite, super::$test()).await;
                }

                #[tokio::test]
                async fn postgres() {
                    $crate::support::run_on($crate::support::Backend::Postgres, super::$test()).await;
                }
            }
        )+
    };
}

/// The database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What one running test knows: the PostgreSQL it may use and the databases it made there.
#[derive(Debug)]
struct TestContext {
    postgres_admin_url: Option<String>,
    databases: Mutex<Vec<String>>,
}

tokio::task_local! {
    static CONTEXT: Arc<TestContext>;
}

/// Runs a test body on `backend`, then drops the PostgreSQL databases it made,
/// even when it fails.
///
/// Without `OMK_TEST_POSTGRES_URL` a PostgreSQL test fails, unless
/// `OMK_TEST_SKIP_POSTGRES=1`: then it says it did not run and passes.
pub async fn run_on(backend: Backend, body: impl Future<Output = ()>) {
    let postgres_admin_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => match std::env::var(POSTGRES_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => Some(url.trim().to_owned()),
            _ if std::env::var(SKIP_POSTGRES_VAR).is_ok_and(|v| v.trim() == "1") => {
                announce_postgres_skipped();
                return;
            }
            _ => panic!(
                "{POSTGRES_URL_VAR} is not set, so this PostgreSQL test cannot run: set it to a \
                 PostgreSQL whose role may CREATEDB (`cargo xtask test` does), or set \
                 {SKIP_POSTGRES_VAR}=1 to skip the PostgreSQL tests on purpose"
            ),
        },
    };
    let context = Arc::new(TestContext {
        postgres_admin_url,
        databases: Mutex::new(Vec::new()),
    });
    let outcome = CONTEXT
        .scope(context.clone(), AssertUnwindSafe(body).catch_unwind())
        .await;
    if let Some(admin_url) = &context.postgres_admin_url {
        let names =
            std::mem::take(&mut *context.databases.lock().unwrap_or_else(|e| e.into_inner()));
        for name in names {
            drop_postgres_database(admin_url, &name).await;
        }
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// Says, once per test process and past the output capture, that the
/// PostgreSQL variants did not run; each skipped test also prints a line.
fn announce_postgres_skipped() {
    static ONCE: Once = Once::new();
    println!("SKIPPED on PostgreSQL: {SKIP_POSTGRES_VAR}=1 and {POSTGRES_URL_VAR} is not set");
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "note: {SKIP_POSTGRES_VAR}=1: the `::postgres` tests pass without running \
             (set {POSTGRES_URL_VAR} to test PostgreSQL too)"
        );
    });
}

/// A URL of a fresh, empty database for the running test's backend: a file in
/// `dir`, or a new PostgreSQL database dropped when the test ends.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    let admin_url = CONTEXT
        .try_with(|c| c.postgres_admin_url.clone())
        .ok()
        .flatten();
    let Some(admin_url) = admin_url else {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        return format!("sqlite://{}/omk-{n}.db", dir.display());
    };
    sweep_abandoned_databases(&admin_url).await;
    let mut suffix = [0u8; 6];
    getrandom::fill(&mut suffix).expect("randomness");
    let name = format!("omk_t_{}_{}", std::process::id(), hex::encode(suffix));
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_URL_VAR}: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    let _ = admin.close().await;
    CONTEXT.with(|c| {
        c.databases
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(name.clone())
    });
    with_database_name(&admin_url, &name)
}

/// `admin_url` with its database name replaced by `name`.
pub fn with_database_name(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').unwrap_or((admin_url, ""));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{}/{name}{query}", &base[..path_start])
}

async fn drop_postgres_database(admin_url: &str, name: &str) {
    match sqlx::PgConnection::connect(admin_url).await {
        Ok(mut admin) => {
            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut admin)
                .await
            {
                println!("cannot drop the test database {name}: {e}");
            }
            let _ = admin.close().await;
        }
        Err(e) => println!("cannot drop the test database {name}: {e}"),
    }
}

/// Drops, once per process, test databases left by test processes that no
/// longer run (killed before they could clean up). Only for a local server,
/// where the process ids in the names mean something.
async fn sweep_abandoned_databases(admin_url: &str) {
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    let local = admin_url.contains("@127.0.0.1") || admin_url.contains("@localhost");
    if !local {
        return;
    }
    SWEPT
        .get_or_init(|| async {
            let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await else {
                return;
            };
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT datname FROM pg_database WHERE datname LIKE 'omk\\_t\\_%'",
            )
            .fetch_all(&mut admin)
            .await
            .unwrap_or_default();
            let _ = admin.close().await;
            for name in names {
                let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
                if pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists()) {
                    drop_postgres_database(admin_url, &name).await;
                }
            }
        })
        .await;
}

/// A seeded application over its own database.
pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    /// The database it runs on, for other processes to open.
    pub database_url: String,
    _dir: TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.state.live.close();
    }
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// A whole response, its body read to the end.
    pub async fn read(response: axum::response::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not the expected JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem+json answer with this status, and returns the body.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text());
        assert_eq!(self.content_type(), "application/problem+json");
        let body: Value = self.json();
        assert_eq!(body["status"], status);
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
        body
    }
}

impl TestApp {
    /// A fresh database with the demo data.
    pub async fn seeded() -> TestApp {
        TestApp::configured(|_| {}).await
    }

    /// A fresh, empty database (no demo data) whose operators' API takes
    /// [`ADMIN_TOKEN`], with the issue categories `categories`, as an
    /// operator's setup would store them.
    pub async fn empty_with_categories(categories: &[&str]) -> TestApp {
        let app = TestApp::configured(|c| {
            c.demo = false;
            c.operators.admin_token = Some(ADMIN_TOKEN.into());
        })
        .await;
        store_categories(&app.state.db, categories).await;
        store_rating_tags(&app.state.db, &["fast", "friendly", "slow"]).await;
        app
    }

    /// A fresh database, with the configuration changed by `adjust`: seeded with the demo
    /// data unless `adjust` turns `demo` off.
    pub async fn configured(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = fresh_database_url(dir.path()).await;
        let mut config = Config::for_database(database_url.clone());
        config.web.dist = dir.path().join("dist");
        config.issues.min_fill_ms = 2000;
        config.limits.writes_per_minute = 0;
        config.limits.reads_per_minute = 0;
        config.limits.lookups_per_minute = 0;
        config.limits.votes_per_minute = 0;
        config.limits.ratings_per_minute = 0;
        config.limits.letters_per_minute = 0;
        config.demo = true;
        adjust(&mut config);
        let db = open_database(&config).await.expect("database opens");
        let (state, _worker) = AppState::new(db, config).await.expect("state");
        TestApp {
            router: app(state.clone()),
            state,
            database_url,
            _dir: dir,
        }
    }

    /// An app over state built elsewhere (a database a command has written).
    pub fn over(state: AppState) -> TestApp {
        TestApp {
            router: app(state.clone()),
            database_url: state.config.database_url.clone(),
            state,
            _dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        Reply::read(response).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post_json(&self, uri: &str, body: &Value) -> Reply {
        self.post_raw(uri, "application/json", body.to_string())
            .await
    }

    pub async fn post_raw(&self, uri: &str, content_type: &str, body: impl Into<Body>) -> Reply {
        self.send(post_request(uri, content_type, Some(&fresh_key()), body))
            .await
    }

    /// A JSON POST with this idempotency key (or none).
    pub async fn post_with_key(&self, uri: &str, key: Option<&str>, body: &Value) -> Reply {
        self.send(post_request(uri, "application/json", key, body.to_string()))
            .await
    }

    /// An operator's request with the bearer [`ADMIN_TOKEN`] and an optional JSON body.
    pub async fn admin(&self, method: Method, uri: &str, body: Option<&Value>) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        self.send(request.body(body).expect("request")).await
    }

    /// Moves an issue on with the service token (`body` as for `POST
    /// /api/v1/admin/issues/{tracking_no}/status`), which must succeed; the answer.
    pub async fn move_issue(&self, tracking_no: &str, body: &Value) -> Reply {
        let uri = format!("/api/v1/admin/issues/{tracking_no}/status");
        let reply = self.admin(Method::POST, &uri, Some(body)).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        reply
    }

    /// How many issues are stored, by the metrics endpoint.
    pub async fn issue_count(&self) -> i64 {
        let metrics: Value = self.get("/api/v1/metrics").await.json();
        metrics["issues_collected"].as_i64().expect("count")
    }
}

/// Stores the rating reason tags `ids` in `db`, as an operator's setup would.
pub async fn store_rating_tags(db: &omk_server::Db, ids: &[&str]) {
    for (position, id) in ids.iter().enumerate() {
        let input = omk_api::EntryInput {
            name_zh: format!("标签{id}"),
            name_en: format!("Tag {id}"),
            position: i64::try_from(position).unwrap_or(0),
            active: true,
        };
        omk_server::db::lists::put(db, omk_api::List::RatingTags, id, &input)
            .await
            .expect("tag stored");
    }
}

/// Stores the issue categories `ids` in `db`, as an operator's setup would.
pub async fn store_categories(db: &omk_server::Db, ids: &[&str]) {
    let categories: Vec<omk_api::Category> = ids
        .iter()
        .map(|id| omk_api::Category {
            id: (*id).into(),
            name_zh: format!("{id}（中文）"),
            name_en: (*id).into(),
        })
        .collect();
    let mut tx = db.pool().begin().await.expect("transaction");
    omk_server::db::categories::insert_many(&mut tx, &categories)
        .await
        .expect("categories stored");
    tx.commit().await.expect("committed");
}

/// The rows of a CSV text of plain cells (no quoting), header row first,
/// byte-order mark dropped; each line must end in CRLF.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = text
        .strip_suffix("\r\n")
        .unwrap_or_else(|| panic!("CSV text ends in CRLF: {text:?}"));
    body.split("\r\n")
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect()
}

/// The Unix time now, read from the system clock.
pub fn unix_now() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(since.as_secs()).expect("in range")
}

/// A fresh idempotency key (a UUID, unique within the test run).
pub fn fresh_key() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let pid = u64::from(std::process::id());
    format!("{:08x}-0000-4000-8000-{n:012x}", pid & 0xffff_ffff)
}

/// The `omk-server` binary, set to work on `database_url`: the URL comes from the
/// environment (a PostgreSQL one carries a password, which argv may not), messages are in
/// English and logs only warnings.
pub fn binary(database_url: &str) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_omk-server"));
    command
        .env("DATABASE_URL", database_url)
        .env("LANG", "en_GB.UTF-8")
        .env("RUST_LOG", "warn");
    command
}

/// Runs the binary with `args` on `database_url` and waits for it without blocking the
/// test's runtime: a blocked runtime would freeze the app's own tasks mid-read, and a
/// reader frozen inside a snapshot keeps SQLite from emptying its write-ahead log.
pub async fn run_binary(database_url: &str, args: &[&str]) -> std::process::Output {
    tokio::process::Command::from(binary(database_url))
        .args(args)
        .output()
        .await
        .expect("the binary runs")
}

/// A POST request with an optional idempotency key.
pub fn post_request(
    uri: &str,
    content_type: &str,
    key: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.body(body.into()).expect("request")
}

/// The moment the pinned demo data is laid out around: 2026-09-01 10:00 local time.
pub const DEMO_AT: i64 = 1_788_228_000;

/// A fresh database with the demo data laid out around [`DEMO_AT`], whose clock is
/// stopped there, and whose operators' API takes [`ADMIN_TOKEN`].
pub async fn seeded_at_demo_moment() -> TestApp {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.operators.admin_token = Some(ADMIN_TOKEN.into());
    })
    .await;
    omk_server::seed::seed(&app.state.db, DEMO_AT)
        .await
        .expect("demo data seeded");
    app.state.clock.stop();
    app.state.clock.advance(DEMO_AT - app.state.clock.now());
    app
}
