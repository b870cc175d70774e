//! Helpers for the end-to-end tests: a real server on a free port with a
//! temporary database, and one headless Chromium session driving the widget.

pub mod browser;
pub mod harness;
pub mod http;
pub mod phone;
pub mod proxy;
pub mod qr;
pub mod server;

pub use browser::Browser;
pub use harness::Suite;
pub use server::{StaticHost, TestServer};

/// Any failure in an end-to-end scenario, with what was being done.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The result of a scenario step.
pub type Result<T, E = Error> = std::result::Result<T, E>;
