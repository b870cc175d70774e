//! `omk-server category …` and `omk-server topic …`: the reference data kept from the
//! command line, with the same rules as the admin API.

use omk_api::reference::valid_slug;
use omk_api::{CategoryInput, FieldError, TopicInput};

use crate::ServerError;
use crate::config::{CategoryAction, Config, TopicAction};
use crate::db::{self, Db, DbError};

/// Runs one `category` action against the configured database.
pub async fn category(config: &Config, action: CategoryAction) -> Result<(), ServerError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let result = match action {
        CategoryAction::List => list(&db).await,
        CategoryAction::Set {
            id,
            zh,
            en,
            position,
            retired,
        } => {
            let input = CategoryInput {
                name_zh: zh,
                name_en: en,
                position,
                active: !retired,
            };
            set(&db, &id, &input).await
        }
    };
    db.close().await;
    result
}

async fn list(db: &Db) -> Result<(), ServerError> {
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

async fn set(db: &Db, id: &str, input: &CategoryInput) -> Result<(), ServerError> {
    checked(id, input.validate())?;
    db::categories::put(db, id, input)
        .await
        .map_err(DbError::from)?;
    Ok(())
}

/// Runs one `topic` action against the configured database.
pub async fn topic(config: &Config, action: TopicAction) -> Result<(), ServerError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let result = match action {
        TopicAction::List => list_topics(&db).await,
        TopicAction::Set {
            id,
            zh,
            en,
            position,
            closed,
        } => {
            let input = TopicInput {
                title_zh: zh,
                title_en: en,
                position,
                open: !closed,
            };
            set_topic(&db, &id, &input).await
        }
    };
    db.close().await;
    result
}

async fn list_topics(db: &Db) -> Result<(), ServerError> {
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

async fn set_topic(db: &Db, id: &str, input: &TopicInput) -> Result<(), ServerError> {
    checked(id, input.validate())?;
    db::topics::put(db, id, input)
        .await
        .map_err(DbError::from)?;
    Ok(())
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
