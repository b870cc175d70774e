//! Secrets the server is given: the admin token and a database URL's password. They come
//! from the environment or a file, never from the command line (where `ps` shows them to
//! every user of the machine), and are never written out by `Debug` or the logs.

use std::path::Path;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::config::{Cli, OperatorSettings};

/// The environment variable that carries the admin token.
pub const ADMIN_TOKEN_VAR: &str = "OMK_ADMIN_TOKEN";
/// The shortest admin token the server starts with, in bytes.
pub const ADMIN_TOKEN_MIN_BYTES: usize = 32;

/// A secret given where it would be seen, or one that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// A database URL with a password on the command line.
    #[error(
        "--database-url carries a password on the command line, where any user of this machine \
         can read it; set DATABASE_URL in the environment instead"
    )]
    PasswordInArguments,
    /// The admin token file could not be read, or is empty.
    #[error("cannot read the admin token from {path}: {reason}")]
    TokenFile { path: String, reason: String },
    /// The admin token is too short to withstand guessing.
    #[error(
        "the admin token ({source_name}) is {length} bytes long; it must be at least \
         {ADMIN_TOKEN_MIN_BYTES} bytes (for example `openssl rand -hex 32`)"
    )]
    TokenTooShort {
        source_name: &'static str,
        length: usize,
    },
    /// The command line itself is wrong (clap's own message).
    #[error("{0}")]
    Arguments(#[from] clap::Error),
}

/// Parses the process's command line and environment, refusing secrets on the command line,
/// and reads the admin token from `OMK_ADMIN_TOKEN` or `--admin-token-file`.
pub fn cli_from_process() -> Result<Cli, SecretError> {
    let matches = Cli::command().try_get_matches()?;
    let mut cli = cli_from_matches(&matches)?;
    cli.config
        .operators
        .load_admin_token(std::env::var(ADMIN_TOKEN_VAR).ok())?;
    Ok(cli)
}

/// The parsed command line, unless a secret was given on it.
fn cli_from_matches(matches: &ArgMatches) -> Result<Cli, SecretError> {
    let cli = Cli::from_arg_matches(matches)?;
    if matches.value_source("database_url") == Some(ValueSource::CommandLine)
        && has_password(&cli.config.database_url)
    {
        return Err(SecretError::PasswordInArguments);
    }
    Ok(cli)
}

impl OperatorSettings {
    /// Takes the admin token from `--admin-token-file` (its first line), or else from `env`
    /// (the value of `OMK_ADMIN_TOKEN`). An empty token is no token; one shorter than
    /// [`ADMIN_TOKEN_MIN_BYTES`] is refused.
    pub fn load_admin_token(&mut self, env: Option<String>) -> Result<(), SecretError> {
        let (token, source_name) = match &self.admin_token_file {
            Some(path) => (Some(read_token(path)?), "--admin-token-file"),
            None => (env, ADMIN_TOKEN_VAR),
        };
        let token = token.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        if let Some(length) = token.as_ref().map(String::len)
            && length < ADMIN_TOKEN_MIN_BYTES
        {
            return Err(SecretError::TokenTooShort {
                source_name,
                length,
            });
        }
        self.admin_token = token;
        Ok(())
    }
}

fn read_token(path: &Path) -> Result<String, SecretError> {
    let failure = |reason: String| SecretError::TokenFile {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| failure(e.to_string()))?;
    let token = text.lines().next().unwrap_or_default().trim().to_owned();
    if token.is_empty() {
        return Err(failure("the file is empty".into()));
    }
    Ok(token)
}

/// Whether a URL such as `postgres://user:pass@host/db` carries a password.
pub fn has_password(url: &str) -> bool {
    userinfo(url).is_some_and(|info| info.contains(':'))
}

/// The URL with its password, if any, replaced by `***`: safe to print.
pub fn redact_url(url: &str) -> String {
    match (userinfo(url), url.split_once("://")) {
        (Some(info), Some((scheme, rest))) if info.contains(':') => {
            let user = info.split(':').next().unwrap_or_default();
            let after = &rest[info.len()..];
            format!("{scheme}://{user}:***{after}")
        }
        _ => url.to_owned(),
    }
}

/// The `user:password` part of a URL's authority, if it has one.
fn userinfo(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let (info, _) = authority.rsplit_once('@')?;
    Some(info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn parse(args: &[&str]) -> Result<Cli, SecretError> {
        let matches = Cli::command().try_get_matches_from(args)?;
        cli_from_matches(&matches)
    }

    #[test]
    fn the_admin_token_is_not_taken_from_the_command_line() {
        assert!(parse(&["omk-server", "serve", "--admin-token", "s3cret"]).is_err());
    }

    #[test]
    fn a_database_password_on_the_command_line_is_refused() {
        let refused = parse(&["omk-server", "--database-url", "postgres://omk:pw@db/omk"]);
        assert!(matches!(refused, Err(SecretError::PasswordInArguments)));
        let plain = parse(&["omk-server", "--database-url", "postgres://omk@db/omk"]);
        assert_eq!(
            plain.map(|c| c.config.database_url).ok().as_deref(),
            Some("postgres://omk@db/omk")
        );
        assert!(parse(&["omk-server", "--database-url", "sqlite://data/omk.db"]).is_ok());
    }

    #[test]
    fn the_admin_token_comes_from_a_file_or_the_environment() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("token");
        let from_file = "from-the-file-0123456789abcdef0123";
        let from_env = "from-the-environment-0123456789abcdef";
        std::fs::write(&file, format!("{from_file}\nignored\n")).expect("written");
        let mut operators = OperatorSettings::default();
        operators
            .load_admin_token(Some(from_env.into()))
            .expect("env");
        assert_eq!(operators.admin_token.as_deref(), Some(from_env));
        operators.admin_token_file = Some(file);
        operators
            .load_admin_token(Some(from_env.into()))
            .expect("file");
        assert_eq!(operators.admin_token.as_deref(), Some(from_file));
        operators.admin_token_file = Some(dir.path().join("missing"));
        assert!(operators.load_admin_token(None).is_err());
        operators.admin_token_file = None;
        operators
            .load_admin_token(Some("  ".into()))
            .expect("blank");
        assert_eq!(operators.admin_token, None);
    }

    #[test]
    fn a_token_shorter_than_32_bytes_is_refused_with_a_clear_error() {
        let mut operators = OperatorSettings::default();
        let short = operators.load_admin_token(Some("operator-secret-token".into()));
        let message = short.as_ref().map_err(ToString::to_string).err();
        assert!(
            matches!(short, Err(SecretError::TokenTooShort { length: 21, .. })),
            "{message:?}"
        );
        assert!(
            message.is_some_and(|m| m.contains("OMK_ADMIN_TOKEN") && m.contains("at least 32")),
        );
        assert_eq!(operators.admin_token, None);
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("token");
        std::fs::write(&file, "0123456789abcdef0123456789abcde\n").expect("written");
        operators.admin_token_file = Some(file);
        assert!(matches!(
            operators.load_admin_token(None),
            Err(SecretError::TokenTooShort { length: 31, .. })
        ));
        std::fs::write(
            dir.path().join("token"),
            "0123456789abcdef0123456789abcdef\n",
        )
        .expect("written");
        assert!(operators.load_admin_token(None).is_ok());
    }

    #[test]
    fn passwords_are_found_and_redacted() {
        assert!(has_password("postgres://omk:pw@db:5432/omk"));
        assert!(!has_password("postgres://omk@db/omk"));
        assert!(!has_password("sqlite://data/omk.db"));
        assert!(!has_password("sqlite:///tmp/a@b:c.db"));
        assert_eq!(
            redact_url("postgres://omk:pw@db:5432/omk"),
            "postgres://omk:***@db:5432/omk"
        );
        assert_eq!(redact_url("sqlite://data/omk.db"), "sqlite://data/omk.db");
    }

    #[test]
    fn debug_output_shows_no_secret() {
        let mut config = Config::for_database("postgres://omk:hunter2@db/omk");
        config.operators.admin_token = Some("operator-token-123".into());
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("operator-token-123"), "{shown}");
        assert!(shown.contains("postgres://omk:***@db/omk"), "{shown}");
    }
}
