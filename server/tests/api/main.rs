//! HTTP tests of the reference backend against a real SQLite file, one module per topic.

mod admin;
mod events;
mod handover;
mod idempotency;
mod issues;
mod metrics;
mod openapi;
mod problems;
mod registrations;
mod security;
mod stream;
mod support;
