//! `omk-server import` and `omk-server event list|edit|cancel`: the program kept from the
//! command line, through the same operations as the admin API.

use std::path::Path;

use omk_api::EventQuery;
use omk_api::events::EventInput;

use super::{actor, on_database, refused, row, terminal_lang};
use crate::config::{Config, EventAction};
use crate::db::{self, DbError};
use crate::ops::program;
use crate::{ServerError, clock, import};

/// `omk-server import`: checks the whole file before opening the database, then writes it
/// in one transaction.
pub async fn import(config: &Config, file: &Path, replace: bool) -> Result<(), ServerError> {
    let path = file.display().to_string();
    let bytes = tokio::fs::read(file)
        .await
        .map_err(|source| ServerError::File {
            path: path.clone(),
            source,
        })?;
    let lang = terminal_lang();
    let rejected = |r: import::Rejected| ServerError::Rejected {
        path: path.clone(),
        report: r.report(lang),
    };
    let text = import::decode(&bytes).map_err(rejected)?;
    let rows = import::parse(import::Format::of_file(file, text), text).map_err(rejected)?;
    let report = on_database(config, async |ops| {
        program::import(ops, &actor(), &rows, replace)
            .await
            .map_err(|e| refused(e, String::new))
    })
    .await?;
    println!(
        "{path}: imported {} events, cancelled {}",
        report.imported, report.cancelled
    );
    Ok(())
}

/// Runs one `event` action against the configured database.
pub async fn event(config: &Config, action: EventAction) -> Result<(), ServerError> {
    match action {
        EventAction::List => on_database(config, async |ops| list(ops.db).await).await,
        EventAction::Edit { id, file } => {
            let input = read_input(&file).await?;
            on_database(config, async |ops| {
                program::edit(ops, &actor(), id, &input)
                    .await
                    .map_err(|e| refused(e, || format!("no event has the id {id}")))
            })
            .await?;
            println!("event_updated {id}");
            Ok(())
        }
        EventAction::Cancel { id } => {
            on_database(config, async |ops| {
                program::cancel(ops, &actor(), id)
                    .await
                    .map_err(|e| refused(e, || format!("no event has the id {id}")))
            })
            .await?;
            println!("event_cancelled {id}");
            Ok(())
        }
    }
}

/// Every event of the program, a page at a time (tab-separated).
async fn list(db: &db::Db) -> Result<(), ServerError> {
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
            let starts_at = clock::rfc3339_utc(e.starts_at);
            let seats = format!("{}/{}", e.registered, e.capacity);
            row(&[&e.id, &starts_at, &e.unit, &e.title, &seats]);
        }
    }
    Ok(())
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
