//! Open data: the public package of daily tables at `/api/v1/opendata/` (see
//! [`package`]), and the operators' row-by-row export (see [`export`]).

pub mod export;
pub mod package;
mod schema;

pub use export::{Dataset, csv_cell, csv_lines, csv_text};
pub use package::{Package, Packages};
