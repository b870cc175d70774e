//! The Table Schema of each open-data table: its fields, their types and the values they
//! can take, as the Frictionless descriptor states them.

use omk_api::opendata::Table;
use omk_api::{IssueStatus, LetterKind, LetterState, RegistrationState, Satisfaction};
use serde_json::{Value, json};

/// A field: its name, Table Schema type, description and constraints.
pub struct Field {
    pub name: &'static str,
    kind: &'static str,
    description: &'static str,
    constraints: Value,
}

impl Field {
    fn new(name: &'static str, kind: &'static str, description: &'static str) -> Field {
        Field {
            name,
            kind,
            description,
            constraints: json!({ "required": true }),
        }
    }

    /// A field that may be empty.
    fn optional(mut self) -> Field {
        self.constraints = json!({});
        self
    }

    /// A field whose values are one of `values`.
    fn one_of<'a>(mut self, values: impl IntoIterator<Item = &'a str>) -> Field {
        self.constraints["enum"] = values.into_iter().collect();
        self
    }

    /// A whole number of at least `least`.
    fn at_least(mut self, least: i64) -> Field {
        self.constraints["minimum"] = json!(least);
        self
    }

    /// A whole number between `least` and `most`.
    fn between(self, least: i64, most: i64) -> Field {
        let mut field = self.at_least(least);
        field.constraints["maximum"] = json!(most);
        field
    }

    fn descriptor(&self) -> Value {
        let mut field = json!({
            "name": self.name,
            "type": self.kind,
            "description": self.description,
        });
        if self.kind == "date" {
            field["format"] = json!("%Y-%m-%d");
        }
        if self.constraints.as_object().is_some_and(|c| !c.is_empty()) {
            field["constraints"] = self.constraints.clone();
        }
        field
    }
}

const DAY: &str = "The day in Beijing time (UTC+8).";

/// The fields of `table`, in the order of its columns.
pub fn fields(table: Table) -> Vec<Field> {
    let count = |name, description| Field::new(name, "integer", description).at_least(1);
    match table {
        Table::Issues => vec![
            Field::new("day", "date", "The day the issues were submitted, in Beijing time (UTC+8)."),
            Field::new("unit", "string", "The unit the issues are routed to; empty while none has them.")
                .optional(),
            Field::new("category", "string", "The category the visitor chose."),
            Field::new("status", "string", "Where the issues stand now.")
                .one_of(IssueStatus::ALL.map(IssueStatus::as_str)),
            count("issues", "How many issues."),
        ],
        Table::Ratings => vec![
            Field::new("day", "date", DAY),
            Field::new("unit", "string", "The unit rated; empty for the service hall as a whole.")
                .optional(),
            Field::new("level", "integer", "The level on the national five-level scale: 5 very satisfied … 1 very dissatisfied.")
                .between(1, 5),
            count("ratings", "How many ratings."),
        ],
        Table::Votes => vec![
            Field::new("topic", "string", "The topic or shortlisted candidate voted for."),
            Field::new("channel", "string", "Who voted: the public (kiosks and phones) or representatives (single-use codes).")
                .one_of(["public", "representative"]),
            count("votes", "How many votes."),
        ],
        Table::Registrations => vec![
            Field::new("event", "integer", "The event's id, as in /api/v1/events/{id}.").at_least(1),
            Field::new("state", "string", "Whether the registrations hold seats, wait for them or were cancelled.")
                .one_of(RegistrationState::ALL.map(RegistrationState::as_str)),
            count("registrations", "How many registrations."),
            count("seats", "How many seats they ask for together."),
        ],
        Table::Letters => vec![
            Field::new("day", "date", "The day the letters were written, in Beijing time (UTC+8)."),
            Field::new("kind", "string", "What the letters are.")
                .one_of(LetterKind::ALL.map(LetterKind::as_str)),
            Field::new("state", "string", "Where the letters stand now.")
                .one_of(LetterState::ALL.map(LetterState::as_str)),
            Field::new("rating", "string", "How their writers rated the reply; empty while unrated.")
                .optional()
                .one_of(Satisfaction::ALL.map(Satisfaction::as_str)),
            Field::new("reply_seconds", "integer", "Seconds from writing to the reply; empty while unreplied.")
                .optional()
                .at_least(0),
            count("letters", "How many letters."),
        ],
    }
}

/// What `table` holds, for its resource's description.
pub fn description(table: Table) -> &'static str {
    match table {
        Table::Issues => {
            "Issues (requests and complaints) by the day they were submitted, unit, category and current status."
        }
        Table::Ratings => "Ratings of the service by day, unit and level.",
        Table::Votes => "Votes on the month's question by topic and channel.",
        Table::Registrations => "Registrations for events by event and state.",
        Table::Letters => {
            "Letters to the mayor's mailbox by the day they were written, kind and state."
        }
    }
}

/// The Table Schema of `table`.
pub fn schema(table: Table) -> Value {
    json!({
        "fields": fields(table).iter().map(Field::descriptor).collect::<Vec<_>>(),
        "missingValues": [""],
    })
}
