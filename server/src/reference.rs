//! `omk-server category|unit|district|tag|topic|operator …`: the reference data and the
//! operators' accounts kept from the command line, with the same rules as the admin API,
//! and written to the audit log as the `cli` actor.

use std::io::BufRead;

use omk_api::reference::valid_slug;
use omk_api::{
    AuditAction, CategoryInput, EntryInput, FieldError, List, OperatorInput, Role, TopicInput,
};

use crate::auth::{CLI_ACTOR, password};
use crate::config::{CategoryAction, Config, ListAction, OperatorAction, TopicAction};
use crate::db::audit::Record;
use crate::db::{self, Db, DbError};
use crate::{ServerError, clock, on_database};

/// Runs one `category` action against the configured database.
pub async fn category(config: &Config, action: CategoryAction) -> Result<(), ServerError> {
    on_database(config, async |db| match action {
        CategoryAction::List => {
            let all = db::categories::list_all(db).await.map_err(DbError::from)?;
            println!("id\tname_zh\tname_en\tposition\tactive\tunit");
            for c in all {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    c.id,
                    c.name_zh,
                    c.name_en,
                    c.position,
                    c.active,
                    c.unit.unwrap_or_default()
                );
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
            let mut validation = input.validate();
            if let Some(unit) = &input.unit
                && !db::lists::is_active(db, List::Units, unit)
                    .await
                    .map_err(DbError::from)?
            {
                let mut errors = validation.err().unwrap_or_default();
                errors.push(FieldError::new("unit", "invalid_value"));
                validation = Err(errors);
            }
            checked(&entry.id, validation)?;
            db::categories::put(db, &entry.id, &input)
                .await
                .map_err(DbError::from)?;
            audit(
                db,
                AuditAction::ReferenceSaved,
                format!("categories/{}", entry.id),
            )
            .await
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
            audit(
                db,
                AuditAction::ReferenceSaved,
                format!("topics/{}", entry.id),
            )
            .await
        }
    })
    .await
}

/// Runs one `unit`, `district` or `tag` action against the configured database.
pub async fn list(config: &Config, list: List, action: ListAction) -> Result<(), ServerError> {
    on_database(config, async |db| match action {
        ListAction::List => {
            let all = db::lists::entries(db, list, true)
                .await
                .map_err(DbError::from)?;
            println!("id\tname_zh\tname_en\tposition\tactive");
            for e in all {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    e.id, e.name_zh, e.name_en, e.position, e.active
                );
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
            checked(&entry.id, input.validate())?;
            db::lists::put(db, list, &entry.id, &input)
                .await
                .map_err(DbError::from)?;
            audit(
                db,
                AuditAction::ReferenceSaved,
                format!("{}/{}", list.segment(), entry.id),
            )
            .await
        }
    })
    .await
}

/// Runs one `operator` action against the configured database.
pub async fn operator(config: &Config, action: OperatorAction) -> Result<(), ServerError> {
    on_database(config, async |db| match action {
        OperatorAction::List => {
            let all = db::operators::list(db).await.map_err(DbError::from)?;
            println!("login\trole\tunit\tactive");
            for o in all {
                println!(
                    "{}\t{}\t{}\t{}",
                    o.login,
                    o.role.as_str(),
                    o.unit.unwrap_or_default(),
                    o.active
                );
            }
            Ok(())
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
                password: Some(password.clone()),
            };
            save_operator(db, &login, &input, Some(password)).await
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
            save_operator(db, &login, &input, None).await
        }
    })
    .await
}

/// Checks and stores an account as the admin API does.
async fn save_operator(
    db: &Db,
    login: &str,
    input: &OperatorInput,
    new_password: Option<String>,
) -> Result<(), ServerError> {
    let operator = crate::routes::operators::check(db, login, input)
        .await
        .map_err(|errors| invalid(&errors))?;
    let hash = match new_password {
        Some(p) => Some(
            password::hash_async(p)
                .await
                .map_err(|e| ServerError::Invalid(e.to_string()))?,
        ),
        None => None,
    };
    if !db::operators::put(db, &operator, hash.as_deref(), clock::now())
        .await
        .map_err(DbError::from)?
    {
        return Err(ServerError::Invalid(format!(
            "there is no account {login:?}: create it with `operator add`"
        )));
    }
    audit(db, AuditAction::OperatorSaved, operator.login.clone()).await?;
    println!("saved {} ({})", operator.login, operator.role.as_str());
    Ok(())
}

/// Records a change made from the command line.
async fn audit(db: &Db, action: AuditAction, detail: String) -> Result<(), ServerError> {
    let record = Record {
        actor: CLI_ACTOR,
        action,
        issue: None,
        detail,
    };
    db::audit::add(db.pool(), &record, clock::now())
        .await
        .map_err(DbError::from)?;
    Ok(())
}

/// Every problem, as one error.
fn invalid(errors: &[FieldError]) -> ServerError {
    let fields: Vec<String> = errors
        .iter()
        .map(|e| format!("{} ({})", e.field, e.code))
        .collect();
    ServerError::Invalid(fields.join(", "))
}

/// The id and the entry's own check, as one error naming every problem.
fn checked(id: &str, validation: Result<(), Vec<FieldError>>) -> Result<(), ServerError> {
    if !valid_slug(id) {
        return Err(ServerError::Invalid(format!(
            "{id:?} is not an id (lower-case letters, digits, - and _, starting with a letter)"
        )));
    }
    validation.map_err(|errors| invalid(&errors))
}
