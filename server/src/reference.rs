//! `omk-server category …` and `omk-server topic …`: the reference data kept from the
//! command line, with the same rules as the admin API.

use omk_api::reference::valid_slug;
use omk_api::{CategoryInput, FieldError, TopicInput};

use crate::config::{CategoryAction, Config, TopicAction};
use crate::db::{self, DbError};
use crate::{ServerError, on_database};

/// Runs one `category` action against the configured database.
pub async fn category(config: &Config, action: CategoryAction) -> Result<(), ServerError> {
    on_database(config, async |db| match action {
        CategoryAction::List => {
            let all = db::categories::list_all(db).await.map_err(DbError::from)?;
            println!("id\tname_zh\tname_en\tposition\tactive");
            for c in all {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    c.id, c.name_zh, c.name_en, c.position, c.active
                );
            }
            Ok(())
        }
        CategoryAction::Set { entry, retired } => {
            let input = CategoryInput {
                name_zh: entry.zh,
                name_en: entry.en,
                position: entry.position,
                active: !retired,
            };
            checked(&entry.id, input.validate())?;
            db::categories::put(db, &entry.id, &input)
                .await
                .map_err(DbError::from)?;
            Ok(())
        }
    })
    .await
}

/// Runs one `topic` action against the configured database.
pub async fn topic(config: &Config, action: TopicAction) -> Result<(), ServerError> {
    on_database(config, async |db| match action {
        TopicAction::List => {
            let all = db::topics::list(db).await.map_err(DbError::from)?;
            println!("id\ttitle_zh\ttitle_en\tvotes\topen");
            for t in all {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id, t.title_zh, t.title_en, t.votes, t.open
                );
            }
            Ok(())
        }
        TopicAction::Set { entry, closed } => {
            let input = TopicInput {
                title_zh: entry.zh,
                title_en: entry.en,
                position: entry.position,
                open: !closed,
            };
            checked(&entry.id, input.validate())?;
            db::topics::put(db, &entry.id, &input)
                .await
                .map_err(DbError::from)?;
            Ok(())
        }
    })
    .await
}

/// The id and the entry's own check, as one error naming every problem.
fn checked(id: &str, validation: Result<(), Vec<FieldError>>) -> Result<(), ServerError> {
    if !valid_slug(id) {
        return Err(ServerError::Invalid(format!(
            "{id:?} is not an id (lower-case letters, digits, - and _, starting with a letter)"
        )));
    }
    validation.map_err(|errors| {
        let fields: Vec<String> = errors
            .iter()
            .map(|e| format!("{} ({})", e.field, e.code))
            .collect();
        ServerError::Invalid(fields.join(", "))
    })
}
