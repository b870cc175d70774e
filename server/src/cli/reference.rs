//! `omk-server category|unit|district|tag|topic|operator …`: the reference data and the
//! operators' accounts kept from the command line, through the same operations as the admin
//! API.

use std::io::BufRead;

use omk_api::{CategoryInput, EntryInput, List, OperatorInput, Role, TopicInput};

use super::{actor, on_database, refused, row};
use crate::ServerError;
use crate::config::{CategoryAction, Config, ListAction, OperatorAction, TopicAction};
use crate::db::{self, DbError};
use crate::ops::{OpError, operators, reference};

/// Runs one `category` action against the configured database.
pub async fn category(config: &Config, action: CategoryAction) -> Result<(), ServerError> {
    on_database(config, async |ops| match action {
        CategoryAction::List => {
            let all = db::categories::list_all(ops.db)
                .await
                .map_err(DbError::from)?;
            println!("id\tname_zh\tname_en\tposition\tactive\tunit");
            for c in all {
                let unit = c.unit.unwrap_or_default();
                row(&[&c.id, &c.name_zh, &c.name_en, &c.position, &c.active, &unit]);
            }
            Ok(())
        }
        CategoryAction::Set {
            entry,
            retired,
            unit,
        } => {
            let input = CategoryInput {
                name_zh: entry.zh,
                name_en: entry.en,
                position: entry.position,
                active: !retired,
                unit,
            };
            saved(reference::set_category(ops, &actor(), &entry.id, input).await)
        }
    })
    .await
}

/// Runs one `topic` action against the configured database.
pub async fn topic(config: &Config, action: TopicAction) -> Result<(), ServerError> {
    on_database(config, async |ops| match action {
        TopicAction::List => {
            let all = db::topics::list(ops.db).await.map_err(DbError::from)?;
            println!("id\ttitle_zh\ttitle_en\tvotes\topen");
            for t in all {
                row(&[&t.id, &t.title_zh, &t.title_en, &t.votes, &t.open]);
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
            saved(reference::set_topic(ops, &actor(), &entry.id, &input).await)
        }
    })
    .await
}

/// Runs one `unit`, `district` or `tag` action against the configured database.
pub async fn list(config: &Config, list: List, action: ListAction) -> Result<(), ServerError> {
    on_database(config, async |ops| match action {
        ListAction::List => {
            let all = db::lists::entries(ops.db, list, true)
                .await
                .map_err(DbError::from)?;
            println!("id\tname_zh\tname_en\tposition\tactive");
            for e in all {
                row(&[&e.id, &e.name_zh, &e.name_en, &e.position, &e.active]);
            }
            Ok(())
        }
        ListAction::Set { entry, retired } => {
            let input = EntryInput {
                name_zh: entry.zh,
                name_en: entry.en,
                position: entry.position,
                active: !retired,
            };
            saved(reference::set_entry(ops, &actor(), list, &entry.id, &input).await)
        }
    })
    .await
}

/// Runs one `operator` action against the configured database.
pub async fn operator(config: &Config, action: OperatorAction) -> Result<(), ServerError> {
    let (login, input) = match action {
        OperatorAction::List => {
            return on_database(config, async |ops| {
                let all = db::operators::list(ops.db).await.map_err(DbError::from)?;
                println!("login\trole\tunit\tactive");
                for o in all {
                    let unit = o.unit.unwrap_or_default();
                    row(&[&o.login, &o.role.as_str(), &unit, &o.active]);
                }
                Ok(())
            })
            .await;
        }
        OperatorAction::Add { login, role, unit } => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| ServerError::Invalid(format!("cannot read the password: {e}")))?;
            let password = line.trim_end_matches(['\r', '\n']).to_owned();
            let input = OperatorInput {
                role: Role::parse(&role).unwrap_or(Role::Unit),
                unit,
                active: true,
                password: Some(password),
            };
            (login, input)
        }
        OperatorAction::Set {
            login,
            role,
            unit,
            disabled,
        } => {
            let input = OperatorInput {
                role: Role::parse(&role).unwrap_or(Role::Unit),
                unit,
                active: !disabled,
                password: None,
            };
            (login, input)
        }
    };
    let new = input.password.is_some();
    let operator = on_database(config, async |ops| {
        operators::save(ops, &actor(), &login, input)
            .await
            .map_err(|err| match err {
                // Only a new account needs a password, and `set` gives none.
                OpError::Invalid(errors)
                    if !new && errors.iter().any(|e| e.field == "password") =>
                {
                    ServerError::Invalid(format!(
                        "there is no account {login:?}: create it with `operator add`"
                    ))
                }
                other => invalid(other),
            })
    })
    .await?;
    println!("saved {} ({})", operator.login, operator.role.as_str());
    Ok(())
}

/// An operation's refusal, for operations on something named that is created if missing.
fn invalid(err: OpError) -> ServerError {
    refused(err, String::new)
}

/// What a command that saves something says: nothing, or why it did not.
fn saved<T>(result: Result<T, OpError>) -> Result<(), ServerError> {
    result.map(drop).map_err(invalid)
}
