//! Settings of the connections the server accepts: how many at once, how long a
//! request may take, and how long a shutdown waits.

use clap::Args;

use super::defaults;

/// How many connections the server holds, and for how long.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct ConnectionSettings {
    /// Connections the server holds open at once; more wait to be accepted.
    #[arg(
        long,
        env = "OMK_MAX_CONNECTIONS",
        default_value_t = defaults::MAX_CONNECTIONS,
        global = true
    )]
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers (also the longest idle time of a
    /// kept-alive connection).
    #[arg(
        long,
        env = "OMK_HEADER_TIMEOUT_SECS",
        default_value_t = defaults::HEADER_TIMEOUT_SECS,
        global = true
    )]
    pub header_timeout_secs: u64,
    /// Seconds a request (other than a live stream) may take, body included.
    #[arg(
        long,
        env = "OMK_REQUEST_TIMEOUT_SECS",
        default_value_t = defaults::REQUEST_TIMEOUT_SECS,
        global = true
    )]
    pub request_timeout_secs: u64,
    /// Seconds a shutdown waits for requests in flight before closing their connections.
    #[arg(
        long,
        env = "OMK_SHUTDOWN_GRACE_SECS",
        default_value_t = defaults::SHUTDOWN_GRACE_SECS,
        global = true
    )]
    pub shutdown_grace_secs: u64,
}

impl Default for ConnectionSettings {
    fn default() -> ConnectionSettings {
        ConnectionSettings {
            max_connections: defaults::MAX_CONNECTIONS,
            header_timeout_secs: defaults::HEADER_TIMEOUT_SECS,
            request_timeout_secs: defaults::REQUEST_TIMEOUT_SECS,
            shutdown_grace_secs: defaults::SHUTDOWN_GRACE_SECS,
        }
    }
}
