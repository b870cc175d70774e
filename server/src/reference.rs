//! `omk-server category …`: the reference data kept from the command line, with the same
//! rules as the admin API.

use omk_api::CategoryInput;
use omk_api::reference::valid_category_id;

use crate::ServerError;
use crate::config::{CategoryAction, Config};
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
    if !valid_category_id(id) {
        return Err(ServerError::Invalid(format!(
            "{id:?} is not a category id (lower-case letters, digits, - and _, starting with a letter)"
        )));
    }
    if let Err(errors) = input.validate() {
        let fields: Vec<String> = errors
            .iter()
            .map(|e| format!("{} ({})", e.field, e.code))
            .collect();
        return Err(ServerError::Invalid(fields.join(", ")));
    }
    db::categories::put(db, id, input)
        .await
        .map_err(DbError::from)?;
    Ok(())
}
