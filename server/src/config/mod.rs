//! Command-line and environment configuration: the flags of every subcommand, and the
//! settings of the server, grouped by what they govern (one file per group).

mod commands;
mod connections;
pub mod defaults;
mod issues;
mod limits;
mod operators;
mod web;

use std::net::SocketAddr;

use clap::{Args, Parser};

pub use commands::{
    CategoryAction, Command, EntryArgs, EventAction, ListAction, OperatorAction, TopicAction,
};
pub use connections::ConnectionSettings;
pub use issues::IssueSettings;
pub use limits::LimitSettings;
pub use operators::OperatorSettings;
pub use web::WebSettings;

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

/// Everything the server needs to start. Every flag can also come from the environment;
/// secrets come only from there or from a file (see [`crate::secrets`]).
#[derive(Clone, PartialEq, Args)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "OMK_LISTEN", default_value = defaults::LISTEN, global = true)]
    pub listen: SocketAddr,
    /// `sqlite://path/to/file.db` or `postgres://user:pass@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = defaults::DATABASE_URL,
        global = true
    )]
    pub database_url: String,
    /// Seed the demo data (a month's program, issues and ratings shaped like
    /// Liaocheng's report) into an empty database at start. Without it, a
    /// start never writes demo rows: a city's figures are its own.
    #[arg(long, env = "OMK_DEMO", global = true)]
    pub demo: bool,
    /// The built files and who may call or frame them.
    #[command(flatten)]
    pub web: WebSettings,
    /// The admin token and operators' sessions.
    #[command(flatten)]
    pub operators: OperatorSettings,
    /// Per-client rate limits and live streams.
    #[command(flatten)]
    pub limits: LimitSettings,
    /// Connections, timeouts and the shutdown grace.
    #[command(flatten)]
    pub connections: ConnectionSettings,
    /// How issues are received, their deadlines and their contact details' retention.
    #[command(flatten)]
    pub issues: IssueSettings,
}

impl Config {
    /// A configuration for the given database with every other setting at its
    /// default, except that it listens on a free loopback port.
    pub fn for_database(database_url: impl Into<String>) -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into(),
            demo: false,
            web: WebSettings::default(),
            operators: OperatorSettings::default(),
            limits: LimitSettings::default(),
            connections: ConnectionSettings::default(),
            issues: IssueSettings::default(),
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
            .field("demo", &self.demo)
            .field("web", &self.web)
            .field("operators", &self.operators)
            .field("limits", &self.limits)
            .field("connections", &self.connections)
            .field("issues", &self.issues)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches, Parser};

    use super::*;

    /// What the command line `args` sets, with the process's environment ignored.
    fn parsed_without_env(args: &[&str]) -> Config {
        let matches = Cli::command()
            .mut_args(|arg| arg.env(None::<&str>))
            .try_get_matches_from(args)
            .expect("the arguments parse");
        Cli::from_arg_matches(&matches).expect("a Cli").config
    }

    #[test]
    fn the_test_configuration_is_the_default_one_on_a_free_port() {
        let mut parsed = parsed_without_env(&["omk-server"]);
        assert_eq!(parsed.listen, defaults::LISTEN.parse().expect("an address"));
        parsed.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        assert_eq!(parsed, Config::for_database(defaults::DATABASE_URL));
    }

    #[test]
    fn a_flag_lands_in_its_group() {
        let parsed = parsed_without_env(&[
            "omk-server",
            "--writes-per-minute=7",
            "--session-hours=3",
            "--resolve-within-days=9",
            "--max-connections=5",
            "--cors-origin=https://a.example,https://b.example",
        ]);
        assert_eq!(parsed.limits.writes_per_minute, 7);
        assert_eq!(parsed.operators.session_hours, 3);
        assert_eq!(parsed.issues.resolve_within_days, 9);
        assert_eq!(parsed.connections.max_connections, 5);
        assert_eq!(
            parsed.web.cors_origins,
            ["https://a.example", "https://b.example"]
        );
    }

    #[test]
    fn a_plain_start_is_a_production_start_and_the_demo_is_asked_for() {
        let plain = Cli::try_parse_from(["omk-server", "serve"]).map(|c| c.config.demo);
        assert_eq!(plain.ok(), Some(false));
        let demo = Cli::try_parse_from(["omk-server", "serve", "--demo"]).map(|c| c.config.demo);
        assert_eq!(demo.ok(), Some(true));
        assert!(!Config::for_database("sqlite://x.db").demo);
    }
}
