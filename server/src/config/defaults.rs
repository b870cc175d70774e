//! The default of every setting, in one place: the flags' defaults and
//! [`Config::for_database`](super::Config::for_database) both read them.

/// The address `serve` listens on.
pub const LISTEN: &str = "127.0.0.1:8080";
/// The database.
pub const DATABASE_URL: &str = "sqlite://data/omk.db";

/// The folder of the built widget.
pub const DIST: &str = "dist";
/// The folder of the built operators' console.
pub const CONSOLE_DIST: &str = "console/dist";
/// The pages allowed to frame the widget: its own origin only.
pub const FRAME_ANCESTORS: &str = "'self'";

/// Hours an operator's session lasts.
pub const SESSION_HOURS: u32 = 8;

/// Writes one client may make per minute.
pub const WRITES_PER_MINUTE: u32 = 120;
/// API reads one client may make per minute.
pub const READS_PER_MINUTE: u32 = 600;
/// Tracking-number lookups one client may make per minute.
pub const LOOKUPS_PER_MINUTE: u32 = 20;
/// Votes one client may cast per minute.
pub const VOTES_PER_MINUTE: u32 = 6;
/// Ratings one client may give per minute.
pub const RATINGS_PER_MINUTE: u32 = 6;
/// Letters and opinion comments one client may send per minute, together.
pub const LETTERS_PER_MINUTE: u32 = 3;
/// Live streams one client may hold open at once.
pub const STREAMS_PER_CLIENT: usize = 16;
/// Live streams the server holds open at once.
pub const MAX_STREAMS: usize = 10_000;

/// Connections the server holds open at once.
pub const MAX_CONNECTIONS: usize = 16_384;
/// Seconds a client has to send a request's headers.
pub const HEADER_TIMEOUT_SECS: u64 = 10;
/// Seconds a request may take.
pub const REQUEST_TIMEOUT_SECS: u64 = 30;
/// Seconds a shutdown waits for requests in flight.
pub const SHUTDOWN_GRACE_SECS: u64 = 10;

/// Shortest time, in milliseconds, in which a person can fill the issue form.
pub const MIN_FILL_MS: u64 = 2000;
/// Days a visitor's name and phone are kept after their issue is settled.
pub const CONTACT_RETENTION_DAYS: u32 = 180;
/// Working days within which an issue is to be accepted.
pub const ACCEPT_WITHIN_WORKING_DAYS: u32 = 1;
/// Days within which an issue is to be resolved.
pub const RESOLVE_WITHIN_DAYS: u32 = 15;
