//! Settings of the operators' access: the admin API's bearer token and how long a
//! signed-in session lasts.

use std::path::PathBuf;

use clap::Args;

use super::defaults;

/// How operators and the admin API are let in. `{:?}` never prints the token.
#[derive(Clone, PartialEq, Args)]
pub struct OperatorSettings {
    /// A file whose first line is the bearer token of the admin API. The token may
    /// also come from `OMK_ADMIN_TOKEN`, never from the command line.
    #[arg(long, env = "OMK_ADMIN_TOKEN_FILE", global = true)]
    pub admin_token_file: Option<PathBuf>,
    /// The bearer token of the admin API (from `OMK_ADMIN_TOKEN` or the file); without
    /// it the admin API refuses everyone.
    #[arg(skip)]
    pub admin_token: Option<String>,
    /// Hours an operator's session lasts from sign-in.
    #[arg(
        long,
        env = "OMK_SESSION_HOURS",
        default_value_t = defaults::SESSION_HOURS,
        global = true
    )]
    pub session_hours: u32,
}

impl Default for OperatorSettings {
    fn default() -> OperatorSettings {
        OperatorSettings {
            admin_token_file: None,
            admin_token: None,
            session_hours: defaults::SESSION_HOURS,
        }
    }
}

/// Every setting with the token masked: what a log or a panic may print.
impl std::fmt::Debug for OperatorSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorSettings")
            .field("admin_token_file", &self.admin_token_file)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "***"))
            .field("session_hours", &self.session_hours)
            .finish()
    }
}
