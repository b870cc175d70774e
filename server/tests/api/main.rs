//! HTTP tests of the reference backend against a real SQLite file, one module per topic.

mod events;
mod issues;
mod metrics;
mod problems;
mod stream;
mod support;
