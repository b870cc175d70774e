//! Settings of what one client, and everyone together, may ask of the server: the
//! per-minute rate limits and the live streams held open.

use clap::Args;

use super::defaults;

/// How much one client may ask for, and how the server tells clients apart.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct LimitSettings {
    /// Writes (POST) a client may make per minute, in bursts of as many; 0 for no limit.
    #[arg(
        long,
        env = "OMK_WRITES_PER_MINUTE",
        default_value_t = defaults::WRITES_PER_MINUTE,
        global = true
    )]
    pub writes_per_minute: u32,
    /// API reads (GET) a client may make per minute, in bursts of as many; 0 for no limit.
    #[arg(
        long,
        env = "OMK_READS_PER_MINUTE",
        default_value_t = defaults::READS_PER_MINUTE,
        global = true
    )]
    pub reads_per_minute: u32,
    /// Tracking-number lookups a client may make per minute, in bursts of as many (they
    /// could otherwise be used to guess numbers); 0 for no limit.
    #[arg(
        long,
        env = "OMK_LOOKUPS_PER_MINUTE",
        default_value_t = defaults::LOOKUPS_PER_MINUTE,
        global = true
    )]
    pub lookups_per_minute: u32,
    /// Votes one client (a kiosk, or one visitor's page) may cast per minute, in bursts of
    /// as many: a person's pace, since a kiosk's visitors take turns; 0 for no limit.
    #[arg(
        long,
        env = "OMK_VOTES_PER_MINUTE",
        default_value_t = defaults::VOTES_PER_MINUTE,
        global = true
    )]
    pub votes_per_minute: u32,
    /// Ratings one client may give per minute, in bursts of as many; 0 for no limit.
    #[arg(
        long,
        env = "OMK_RATINGS_PER_MINUTE",
        default_value_t = defaults::RATINGS_PER_MINUTE,
        global = true
    )]
    pub ratings_per_minute: u32,
    /// Letters to the mayor's mailbox and comments on opinion collections one client may
    /// send per minute, together, in bursts of as many: a person writes slower than this;
    /// 0 for no limit.
    #[arg(
        long,
        env = "OMK_LETTERS_PER_MINUTE",
        default_value_t = defaults::LETTERS_PER_MINUTE,
        global = true
    )]
    pub letters_per_minute: u32,
    /// Live streams one client may hold open at once.
    #[arg(
        long,
        env = "OMK_STREAMS_PER_CLIENT",
        default_value_t = defaults::STREAMS_PER_CLIENT,
        global = true
    )]
    pub streams_per_client: usize,
    /// Live streams the server holds open at once.
    #[arg(
        long,
        env = "OMK_MAX_STREAMS",
        default_value_t = defaults::MAX_STREAMS,
        global = true
    )]
    pub max_streams: usize,
    /// Behind a reverse proxy: limit writes by the client address the proxy
    /// puts last in `X-Forwarded-For`, not by the proxy's own address. Only
    /// set it when every request comes through that proxy, or clients could
    /// choose their own address.
    #[arg(long, env = "OMK_TRUST_FORWARDED_FOR", global = true)]
    pub trust_forwarded_for: bool,
}

impl Default for LimitSettings {
    fn default() -> LimitSettings {
        LimitSettings {
            writes_per_minute: defaults::WRITES_PER_MINUTE,
            reads_per_minute: defaults::READS_PER_MINUTE,
            lookups_per_minute: defaults::LOOKUPS_PER_MINUTE,
            votes_per_minute: defaults::VOTES_PER_MINUTE,
            ratings_per_minute: defaults::RATINGS_PER_MINUTE,
            letters_per_minute: defaults::LETTERS_PER_MINUTE,
            streams_per_client: defaults::STREAMS_PER_CLIENT,
            max_streams: defaults::MAX_STREAMS,
            trust_forwarded_for: false,
        }
    }
}
