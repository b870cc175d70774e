//! Command-line and environment configuration: the flags of every subcommand.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::opendata::Dataset;
use crate::public_url::PublicUrl;

/// The reference backend of Open Month Kiosk.
#[derive(Debug, Parser)]
#[command(name = "omk-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for `serve`, the default subcommand.
    #[command(flatten)]
    pub config: Config,
}

/// What the binary does.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API, the live stream and the widget (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo data into the database and exit.
    SeedDemo {
        /// Delete every existing row first, so the demo starts afresh.
        #[arg(long)]
        reset: bool,
    },
    /// Import the program from a CSV or JSON file and exit. All or nothing:
    /// any problem is reported by line and field, and nothing is written.
    Import {
        /// The file: `.csv` with a header row, or `.json` with an array of objects.
        file: PathBuf,
        /// Cancel every event already in the program, in the same transaction.
        #[arg(long)]
        replace: bool,
    },
    /// Keep the issue categories visitors choose from, and exit.
    Category {
        #[command(subcommand)]
        action: CategoryAction,
    },
    /// Keep the month's topics ("one month, one question") and their voting, and exit.
    Topic {
        #[command(subcommand)]
        action: TopicAction,
    },
    /// Keep the program (list, edit or cancel events; new ones come with `import`), and exit.
    Event {
        #[command(subcommand)]
        action: EventAction,
    },
    /// Keep the units issues are routed to, and exit.
    Unit {
        #[command(subcommand)]
        action: ListAction,
    },
    /// Keep the districts and counties, and exit.
    District {
        #[command(subcommand)]
        action: ListAction,
    },
    /// Keep the reasons a rating may give, and exit.
    Tag {
        #[command(subcommand)]
        action: ListAction,
    },
    /// Keep the operators' accounts, and exit.
    Operator {
        #[command(subcommand)]
        action: OperatorAction,
    },
    /// Erase one visitor's name and phone from their issue, or a letter writer's from their
    /// letter, on request, and exit.
    Erase {
        /// The tracking number, or the letter's code (`ML-…`).
        tracking_no: String,
    },
    /// Erase the name and phone of every issue settled longer ago than the retention
    /// time (`--contact-retention-days`), and exit. `serve` also does this every hour.
    Purge,
    /// Copy the SQLite database, consistently, into a new file while the server keeps
    /// serving (`VACUUM INTO`), and exit. Restore by stopping the server and putting the
    /// copy in the database's place. (PostgreSQL: use `pg_dump`.)
    Backup {
        /// The file to create; it must not exist yet.
        file: PathBuf,
    },
    /// Write an open dataset as CSV (no personal data, no free text) and exit.
    Export {
        /// Which dataset.
        dataset: Dataset,
        /// The file to write; standard output without it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// What `omk-server category` does.
#[derive(Debug, Subcommand)]
pub enum CategoryAction {
    /// List every category, retired ones included (tab-separated).
    List,
    /// Create a category, or replace its names, position and active flag.
    Set {
        #[command(flatten)]
        entry: EntryArgs,
        /// Retire it: visitors no longer see it; issues filed under it keep it.
        #[arg(long)]
        retired: bool,
        /// The unit (id) its new issues are routed to.
        #[arg(long)]
        unit: Option<String>,
    },
}

/// What `omk-server event` does.
#[derive(Debug, Subcommand)]
pub enum EventAction {
    /// List every event in the program, soonest first (tab-separated).
    List,
    /// Replace an event's details with those in a JSON file (the admin API's body),
    /// keeping its registrations.
    Edit {
        id: i64,
        /// A JSON object with title, unit, district, theme, place, starts_at, ends_at,
        /// capacity, and optionally registration and summary.
        file: PathBuf,
    },
    /// Cancel an event: it leaves the program.
    Cancel { id: i64 },
}

/// What `omk-server unit|district|tag` does.
#[derive(Debug, Subcommand)]
pub enum ListAction {
    /// List every entry, retired ones included (tab-separated).
    List,
    /// Create an entry, or replace its names, position and active flag.
    Set {
        #[command(flatten)]
        entry: EntryArgs,
        /// Retire it: it is no longer offered; what refers to it keeps it.
        #[arg(long)]
        retired: bool,
    },
}

/// What `omk-server operator` does.
#[derive(Debug, Subcommand)]
pub enum OperatorAction {
    /// List every account (tab-separated; never a password).
    List,
    /// Create an account, or give it a new password, reading the password from standard
    /// input (its first line). Its sessions end.
    Add {
        /// 2–40 lower-case letters, digits, `.`, `-` or `_`, starting with a letter.
        login: String,
        /// `admin` (everything) or `unit` (only the issues routed to `--unit`).
        #[arg(long, value_parser = ["admin", "unit"])]
        role: String,
        /// The unit (id) a unit operator works for.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Change an account's role, unit or active flag, keeping its password.
    Set {
        login: String,
        #[arg(long, value_parser = ["admin", "unit"])]
        role: String,
        #[arg(long)]
        unit: Option<String>,
        /// Disable it: it cannot sign in, and its sessions end.
        #[arg(long)]
        disabled: bool,
    },
}

/// One entry of reference data as the command line takes it: its id, its names in both
/// languages and its place in the list.
#[derive(Debug, Args)]
pub struct EntryArgs {
    /// A slug: lower-case letters, digits, `-` and `_`, starting with a letter.
    pub id: String,
    /// The Chinese name.
    #[arg(long)]
    pub zh: String,
    /// The English name.
    #[arg(long)]
    pub en: String,
    /// Where it sits in the list, smallest first.
    #[arg(long, default_value_t = 0)]
    pub position: i64,
}

/// What `omk-server topic` does.
#[derive(Debug, Subcommand)]
pub enum TopicAction {
    /// List every topic with its tally and whether it takes votes (tab-separated).
    List,
    /// Create a topic, or replace its titles and position and open or close its voting.
    Set {
        #[command(flatten)]
        entry: EntryArgs,
        /// Close its voting (open again by setting it without this flag).
        #[arg(long)]
        closed: bool,
    },
}

/// Everything the server needs to start. Every flag can also come from the environment;
/// secrets come only from there or from a file (see [`crate::secrets`]).
#[derive(Clone, Args)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    #[arg(
        long,
        env = "OMK_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,
    /// `sqlite://path/to/file.db` or `postgres://user:pass@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/omk.db",
        global = true
    )]
    pub database_url: String,
    /// Folder of the built widget, served at `/`.
    #[arg(long, env = "OMK_DIST", default_value = "dist", global = true)]
    pub dist: PathBuf,
    /// Seed the demo data (a month's program, issues and ratings shaped like
    /// Liaocheng's report) into an empty database at start. Without it, a
    /// start never writes demo rows: a city's figures are its own.
    #[arg(long, env = "OMK_DEMO", global = true)]
    pub demo: bool,
    /// Origins allowed to call the API from a browser (CORS); repeat the flag
    /// or separate with commas. `*` allows any origin. None: same origin only.
    #[arg(
        long = "cors-origin",
        env = "OMK_CORS_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub cors_origins: Vec<String>,
    /// Pages allowed to frame the widget (CSP `frame-ancestors`), space-separated.
    #[arg(
        long,
        env = "OMK_FRAME_ANCESTORS",
        default_value = "'self'",
        global = true
    )]
    pub frame_ancestors: String,
    /// A file whose first line is the bearer token of the admin API. The token may
    /// also come from `OMK_ADMIN_TOKEN`, never from the command line.
    #[arg(long, env = "OMK_ADMIN_TOKEN_FILE", global = true)]
    pub admin_token_file: Option<PathBuf>,
    /// The bearer token of the admin API (from `OMK_ADMIN_TOKEN` or the file); without
    /// it the admin API refuses everyone.
    #[arg(skip)]
    pub admin_token: Option<String>,
    /// Writes (POST) a client may make per minute, in bursts of as many; 0 for no limit.
    #[arg(
        long,
        env = "OMK_WRITES_PER_MINUTE",
        default_value_t = 120,
        global = true
    )]
    pub writes_per_minute: u32,
    /// API reads (GET) a client may make per minute, in bursts of as many; 0 for no limit.
    #[arg(
        long,
        env = "OMK_READS_PER_MINUTE",
        default_value_t = 600,
        global = true
    )]
    pub reads_per_minute: u32,
    /// Tracking-number lookups a client may make per minute, in bursts of as many (they
    /// could otherwise be used to guess numbers); 0 for no limit.
    #[arg(
        long,
        env = "OMK_LOOKUPS_PER_MINUTE",
        default_value_t = 20,
        global = true
    )]
    pub lookups_per_minute: u32,
    /// Votes one client (a kiosk, or one visitor's page) may cast per minute, in bursts of
    /// as many: a person's pace, since a kiosk's visitors take turns; 0 for no limit.
    #[arg(long, env = "OMK_VOTES_PER_MINUTE", default_value_t = 6, global = true)]
    pub votes_per_minute: u32,
    /// Ratings one client may give per minute, in bursts of as many; 0 for no limit.
    #[arg(
        long,
        env = "OMK_RATINGS_PER_MINUTE",
        default_value_t = 6,
        global = true
    )]
    pub ratings_per_minute: u32,
    /// Letters to the mayor's mailbox and comments on opinion collections one client may
    /// send per minute, together, in bursts of as many: a person writes slower than this;
    /// 0 for no limit.
    #[arg(
        long,
        env = "OMK_LETTERS_PER_MINUTE",
        default_value_t = 3,
        global = true
    )]
    pub letters_per_minute: u32,
    /// Live streams one client may hold open at once.
    #[arg(
        long,
        env = "OMK_STREAMS_PER_CLIENT",
        default_value_t = 16,
        global = true
    )]
    pub streams_per_client: usize,
    /// Live streams the server holds open at once.
    #[arg(long, env = "OMK_MAX_STREAMS", default_value_t = 10_000, global = true)]
    pub max_streams: usize,
    /// Connections the server holds open at once; more wait to be accepted.
    #[arg(
        long,
        env = "OMK_MAX_CONNECTIONS",
        default_value_t = 16_384,
        global = true
    )]
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers (also the longest idle time of a
    /// kept-alive connection).
    #[arg(
        long,
        env = "OMK_HEADER_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub header_timeout_secs: u64,
    /// Seconds a request (other than a live stream) may take, body included.
    #[arg(
        long,
        env = "OMK_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,
    /// Seconds a shutdown waits for requests in flight before closing their connections.
    #[arg(
        long,
        env = "OMK_SHUTDOWN_GRACE_SECS",
        default_value_t = 10,
        global = true
    )]
    pub shutdown_grace_secs: u64,
    /// Shortest time, in milliseconds, in which a person can fill the issue
    /// form; faster submissions that report their fill time are refused.
    #[arg(long, env = "OMK_MIN_FILL_MS", default_value_t = 2000, global = true)]
    pub min_fill_ms: u64,
    /// The widget's public address as phones reach it, for QR codes and
    /// calendar entries, for example `https://kiosk.example.gov.cn`. Without
    /// it, `http://` and the request's Host header are used.
    #[arg(long, env = "OMK_PUBLIC_URL", value_parser = PublicUrl::parse, global = true)]
    pub public_url: Option<PublicUrl>,
    /// Behind a reverse proxy: limit writes by the client address the proxy
    /// puts last in `X-Forwarded-For`, not by the proxy's own address. Only
    /// set it when every request comes through that proxy, or clients could
    /// choose their own address.
    #[arg(long, env = "OMK_TRUST_FORWARDED_FOR", global = true)]
    pub trust_forwarded_for: bool,
    /// Days a visitor's name and phone are kept after their issue is resolved or closed.
    #[arg(
        long,
        env = "OMK_CONTACT_RETENTION_DAYS",
        default_value_t = crate::privacy::DEFAULT_RETENTION_DAYS,
        global = true
    )]
    pub contact_retention_days: u32,
    /// Working days (Monday to Friday) within which an issue is to be accepted.
    #[arg(
        long,
        env = "OMK_ACCEPT_WITHIN_WORKING_DAYS",
        default_value_t = 1,
        global = true
    )]
    pub accept_within_working_days: u32,
    /// Days within which an issue is to be resolved.
    #[arg(
        long,
        env = "OMK_RESOLVE_WITHIN_DAYS",
        default_value_t = 15,
        global = true
    )]
    pub resolve_within_days: u32,
    /// Hours an operator's session lasts from sign-in.
    #[arg(long, env = "OMK_SESSION_HOURS", default_value_t = 8, global = true)]
    pub session_hours: u32,
    /// Folder of the built operators' console, served at `/console/`.
    #[arg(
        long,
        env = "OMK_CONSOLE_DIST",
        default_value = "console/dist",
        global = true
    )]
    pub console_dist: PathBuf,
}

impl Config {
    /// The deadlines issues are held to.
    pub fn deadlines(&self) -> crate::deadlines::Deadlines {
        crate::deadlines::Deadlines {
            accept_working_days: self.accept_within_working_days,
            resolve_days: self.resolve_within_days,
        }
    }

    /// A configuration for the given database with every other setting at its
    /// default: listening on a free loopback port, no demo data.
    pub fn for_database(database_url: impl Into<String>) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into(),
            dist: PathBuf::from("dist"),
            demo: false,
            cors_origins: Vec::new(),
            frame_ancestors: "'self'".into(),
            admin_token_file: None,
            admin_token: None,
            writes_per_minute: 120,
            reads_per_minute: 600,
            lookups_per_minute: 20,
            votes_per_minute: 6,
            ratings_per_minute: 6,
            letters_per_minute: 3,
            streams_per_client: 16,
            max_streams: 10_000,
            max_connections: 16_384,
            header_timeout_secs: 10,
            request_timeout_secs: 30,
            shutdown_grace_secs: 10,
            min_fill_ms: 2000,
            public_url: None,
            trust_forwarded_for: false,
            contact_retention_days: crate::privacy::DEFAULT_RETENTION_DAYS,
            accept_within_working_days: 1,
            resolve_within_days: 15,
            session_hours: 8,
            console_dist: PathBuf::from("console/dist"),
        }
    }
}

/// Every setting, with the secrets left out: what `{:?}` may print, in a log or a panic.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field(
                "database_url",
                &crate::secrets::redact_url(&self.database_url),
            )
            .field("dist", &self.dist)
            .field("demo", &self.demo)
            .field("cors_origins", &self.cors_origins)
            .field("frame_ancestors", &self.frame_ancestors)
            .field("admin_token_file", &self.admin_token_file)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "***"))
            .field("writes_per_minute", &self.writes_per_minute)
            .field("reads_per_minute", &self.reads_per_minute)
            .field("lookups_per_minute", &self.lookups_per_minute)
            .field("votes_per_minute", &self.votes_per_minute)
            .field("ratings_per_minute", &self.ratings_per_minute)
            .field("letters_per_minute", &self.letters_per_minute)
            .field("streams_per_client", &self.streams_per_client)
            .field("max_streams", &self.max_streams)
            .field("max_connections", &self.max_connections)
            .field("header_timeout_secs", &self.header_timeout_secs)
            .field("request_timeout_secs", &self.request_timeout_secs)
            .field("shutdown_grace_secs", &self.shutdown_grace_secs)
            .field("min_fill_ms", &self.min_fill_ms)
            .field("public_url", &self.public_url)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("contact_retention_days", &self.contact_retention_days)
            .field(
                "accept_within_working_days",
                &self.accept_within_working_days,
            )
            .field("resolve_within_days", &self.resolve_within_days)
            .field("session_hours", &self.session_hours)
            .field("console_dist", &self.console_dist)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[test]
    fn a_plain_start_is_a_production_start_and_the_demo_is_asked_for() {
        let plain = Cli::try_parse_from(["omk-server", "serve"]).map(|c| c.config.demo);
        assert_eq!(plain.ok(), Some(false));
        let demo = Cli::try_parse_from(["omk-server", "serve", "--demo"]).map(|c| c.config.demo);
        assert_eq!(demo.ok(), Some(true));
        assert!(!Config::for_database("sqlite://x.db").demo);
    }
}
