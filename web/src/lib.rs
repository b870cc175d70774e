//! What the widget and the operators' console share in the browser: requests to the API
//! with one error type ([`ApiError`], problem+json read into `ProblemKind`) and the live
//! stream's link ([`stream`]). Each app uses it only through its own client module
//! (`src/client/` in the widget, `console/src/client.rs` in the console), which stays the
//! only place in that app that speaks HTTP.

pub mod error;
pub mod http;
pub mod stream;

pub use error::ApiError;
