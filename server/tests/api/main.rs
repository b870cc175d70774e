//! HTTP tests of the reference backend against a real SQLite file and a real
//! PostgreSQL database (`OMK_TEST_POSTGRES_URL`; without it the PostgreSQL
//! variants fail unless `OMK_TEST_SKIP_POSTGRES=1`); one module per topic.

mod abuse;
mod admin;
mod batching;
mod csrf;
mod cycle;
mod cycle_refusals;
mod cycle_selection;
mod durability;
mod events;
mod fanout;
mod handover;
mod idempotency;
mod import;
mod issues;
mod mailbox;
mod mailbox_collections;
mod mailbox_privacy;
mod metrics;
mod openapi;
mod opendata;
mod operators;
mod ops;
mod outcome;
mod privacy;
mod problems;
mod promotion;
mod proposal_privacy;
mod reference;
mod registrations;
mod roles;
mod security;
mod signin;
mod stream;
mod support;
mod wire;
