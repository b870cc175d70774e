//! HTTP tests of the reference backend against a real SQLite file and, when
//! `OMK_TEST_POSTGRES_URL` is set, a real PostgreSQL database; one module per topic.

mod admin;
mod durability;
mod events;
mod fanout;
mod handover;
mod idempotency;
mod import;
mod issues;
mod metrics;
mod openapi;
mod problems;
mod registrations;
mod security;
mod stream;
mod support;
mod wire;
