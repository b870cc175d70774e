//! The open data: the daily tables anyone can download from `/api/v1/opendata/`, each as
//! CSV and as a JSON copy, described by a Frictionless `datapackage.json`.

use serde::{Deserialize, Serialize};

/// The file that describes the package: its tables, their schemas, sizes and hashes.
pub const DESCRIPTOR: &str = "datapackage.json";

/// One table of the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// Issues by the day they were submitted, unit, category and current status.
    Issues,
    /// Ratings by day, unit and level (1–5).
    Ratings,
    /// Public and representatives' votes by topic.
    Votes,
    /// Registrations by event and state, with their seats.
    Registrations,
    /// Letters to the mailbox by the day they were written, kind, state, rating and the
    /// seconds to their reply.
    Letters,
}

impl Table {
    pub const ALL: [Table; 5] = [
        Table::Issues,
        Table::Ratings,
        Table::Votes,
        Table::Registrations,
        Table::Letters,
    ];

    /// The resource name, for example `ratings`.
    pub fn name(self) -> &'static str {
        match self {
            Table::Issues => "issues",
            Table::Ratings => "ratings",
            Table::Votes => "votes",
            Table::Registrations => "registrations",
            Table::Letters => "letters",
        }
    }
}

/// How a table is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Csv, Format::Json];

    /// The file name's extension, without its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The media type a download of it is sent with.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Json => "application/json",
        }
    }
}

/// A file of the package: a table in a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct File {
    pub table: Table,
    pub format: Format,
}

impl File {
    /// Every file of the package, CSV before its JSON copy, in table order.
    pub fn all() -> impl Iterator<Item = File> {
        Table::ALL.into_iter().flat_map(|table| {
            Format::ALL
                .into_iter()
                .map(move |format| File { table, format })
        })
    }

    /// Its name in the package, for example `ratings.csv`.
    pub fn name(self) -> String {
        format!("{}.{}", self.table.name(), self.format.extension())
    }

    /// The file called `name`, if the package has one.
    pub fn named(name: &str) -> Option<File> {
        File::all().find(|file| file.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_found_by_its_own_name_and_nothing_else_is() {
        for file in File::all() {
            assert_eq!(File::named(&file.name()), Some(file));
        }
        assert_eq!(File::all().count(), 10);
        for name in [
            "",
            "issues",
            "issues.xml",
            "../issues.csv",
            "ISSUES.CSV",
            DESCRIPTOR,
        ] {
            assert_eq!(File::named(name), None, "{name}");
        }
    }
}
