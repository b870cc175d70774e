//! The subcommands of `omk-server` and their own arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::opendata::Dataset;

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
    /// Erase one visitor's name and phone from their issue, a letter writer's from their
    /// letter, or a proposer's phone from their proposal, on request, and exit.
    Erase {
        /// The tracking number, the letter's code (`ML-…`) or the proposal's code
        /// (`PR-…`).
        tracking_no: String,
    },
    /// Erase the contact details of every issue, letter and proposal settled longer ago
    /// than the retention time (`--contact-retention-days`), and exit. `serve` also does
    /// this every hour.
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
