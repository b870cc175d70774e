//! What the widget and the operators' console share in the browser: requests to the API
//! with one error type ([`ApiError`], problem+json read into `ProblemKind`) and the live
//! stream's link ([`stream`]), which each app uses only through its own client module
//! (`src/client/` in the widget, `console/src/client.rs` in the console), the only place in
//! that app that speaks HTTP; and the one view both draw the same way, a group of buttons
//! that picks one choice ([`choices`]).

pub mod choices;
pub mod error;
pub mod http;
pub mod stream;

pub use error::ApiError;
