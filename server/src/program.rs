//! `omk-server event list|edit|cancel`: the program kept from the command line, with the
//! same rules as the admin API (new events come in with `omk-server import`). Each
//! change is written to the audit log as the `cli` actor.

use std::path::Path;

use omk_api::events::EventInput;
use omk_api::{AuditAction, EventQuery};

use crate::auth::CLI_ACTOR;
use crate::config::{Config, EventAction};
use crate::db::audit::Record;
use crate::db::events::Updated;
use crate::db::{self, Db, DbError};
use crate::routes::admin::event_row;
use crate::{ServerError, clock, on_database};

/// Runs one `event` action against the configured database.
pub async fn event(config: &Config, action: EventAction) -> Result<(), ServerError> {
    on_database(config, async |db| match action {
        EventAction::List => {
            println!("id\tstarts_at\tunit\ttitle\tregistered/capacity");
            for page in 1.. {
                let query = EventQuery {
                    page: Some(page),
                    per_page: Some(EventQuery::MAX_PER_PAGE),
                    ..EventQuery::default()
                };
                let (events, _) = db::events::list(db, &query).await.map_err(DbError::from)?;
                if events.is_empty() {
                    break;
                }
                for e in events {
                    println!(
                        "{}\t{}\t{}\t{}\t{}/{}",
                        e.id,
                        clock::rfc3339_utc(e.starts_at),
                        e.unit,
                        e.title,
                        e.registered,
                        e.capacity
                    );
                }
            }
            Ok(())
        }
        EventAction::Edit { id, file } => {
            let input = read_input(&file).await?;
            let row = event_row(&input).map_err(|errors| {
                let fields: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{} ({})", e.field, e.code))
                    .collect();
                ServerError::Invalid(fields.join(", "))
            })?;
            match db::events::update(db, id, &row)
                .await
                .map_err(DbError::from)?
            {
                Updated::Done(_) => audit(db, AuditAction::EventUpdated, id).await,
                Updated::NotFound => Err(ServerError::Invalid(format!("no event has the id {id}"))),
                Updated::BelowRegistered => Err(ServerError::Invalid(
                    "capacity (below the seats already taken)".into(),
                )),
            }
        }
        EventAction::Cancel { id } => {
            if !db::events::cancel(db, id).await.map_err(DbError::from)? {
                return Err(ServerError::Invalid(format!("no event has the id {id}")));
            }
            audit(db, AuditAction::EventCancelled, id).await
        }
    })
    .await
}

/// An event as a JSON file holds it (the admin API's body).
async fn read_input(file: &Path) -> Result<EventInput, ServerError> {
    let text = tokio::fs::read_to_string(file)
        .await
        .map_err(|source| ServerError::File {
            path: file.display().to_string(),
            source,
        })?;
    serde_json::from_str(&text)
        .map_err(|e| ServerError::Invalid(format!("{}: {e}", file.display())))
}

async fn audit(db: &Db, action: AuditAction, id: i64) -> Result<(), ServerError> {
    let record = Record {
        actor: CLI_ACTOR,
        action,
        issue: None,
        detail: id.to_string(),
    };
    db::audit::add(db.pool(), &record, clock::now())
        .await
        .map_err(DbError::from)?;
    println!("{} {id}", action.as_str());
    Ok(())
}
