//! Settings of how visitors' issues are taken in and held: the form's spam guard, the
//! deadlines, and how long contact details are kept.

use clap::Args;

use super::defaults;
use crate::deadlines::Deadlines;

/// How issues are received, the deadlines they are held to, and the privacy of their
/// contact details.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct IssueSettings {
    /// Shortest time, in milliseconds, in which a person can fill the issue
    /// form; faster submissions that report their fill time are refused.
    #[arg(
        long,
        env = "OMK_MIN_FILL_MS",
        default_value_t = defaults::MIN_FILL_MS,
        global = true
    )]
    pub min_fill_ms: u64,
    /// Days a visitor's name and phone are kept after their issue is resolved or closed.
    #[arg(
        long,
        env = "OMK_CONTACT_RETENTION_DAYS",
        default_value_t = defaults::CONTACT_RETENTION_DAYS,
        global = true
    )]
    pub contact_retention_days: u32,
    /// Working days (Monday to Friday) within which an issue is to be accepted.
    #[arg(
        long,
        env = "OMK_ACCEPT_WITHIN_WORKING_DAYS",
        default_value_t = defaults::ACCEPT_WITHIN_WORKING_DAYS,
        global = true
    )]
    pub accept_within_working_days: u32,
    /// Days within which an issue is to be resolved.
    #[arg(
        long,
        env = "OMK_RESOLVE_WITHIN_DAYS",
        default_value_t = defaults::RESOLVE_WITHIN_DAYS,
        global = true
    )]
    pub resolve_within_days: u32,
}

impl IssueSettings {
    /// The deadlines issues are held to.
    pub fn deadlines(&self) -> Deadlines {
        Deadlines {
            accept_working_days: self.accept_within_working_days,
            resolve_days: self.resolve_within_days,
        }
    }
}

impl Default for IssueSettings {
    fn default() -> IssueSettings {
        IssueSettings {
            min_fill_ms: defaults::MIN_FILL_MS,
            contact_retention_days: defaults::CONTACT_RETENTION_DAYS,
            accept_within_working_days: defaults::ACCEPT_WITHIN_WORKING_DAYS,
            resolve_within_days: defaults::RESOLVE_WITHIN_DAYS,
        }
    }
}
