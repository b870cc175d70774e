//! The `omk-server` commands other than `serve`: each opens the configured database, does
//! its work and closes it. Changes go through the same operations as the admin API
//! (`ops`), as the `cli` actor, so they are checked, audited and, over PostgreSQL, heard by
//! the running servers alike.

mod program;
mod reference;

use std::path::Path;

use omk_api::Role;

use crate::auth::{self, Actor};
use crate::clock::{self, Clock};
use crate::config::{Command, Config};
use crate::db::{Db, DbError};
use crate::live::Change;
use crate::ops::{self, OpError, Ops};
use crate::{ServerError, privacy, seed};

/// Runs one command that is not `serve`.
pub async fn run(config: Config, command: Command) -> Result<(), ServerError> {
    match command {
        Command::Serve => Err(ServerError::Invalid(
            "`serve` is not a command of the CLI".into(),
        )),
        Command::Migrate => on_database(&config, async |_| Ok(())).await,
        Command::SeedDemo { reset } => {
            on_database(&config, async |ops| {
                if reset {
                    seed::reseed(ops.db).await.map_err(ServerError::Seed)?;
                    tracing::info!("demo data seeded afresh");
                } else if seed::seed_if_empty(ops.db)
                    .await
                    .map_err(ServerError::Seed)?
                {
                    tracing::info!("demo data seeded");
                } else {
                    tracing::warn!("the database already has data; use --reset to replace it");
                    return Ok(());
                }
                // Every figure and the tally may have changed.
                ops.changed(Change::Topics).await;
                Ok(())
            })
            .await
        }
        Command::Import { file, replace } => program::import(&config, &file, replace).await,
        Command::Event { action } => program::event(&config, action).await,
        Command::Category { action } => reference::category(&config, action).await,
        Command::Topic { action } => reference::topic(&config, action).await,
        Command::Unit { action } => reference::list(&config, omk_api::List::Units, action).await,
        Command::District { action } => {
            reference::list(&config, omk_api::List::Districts, action).await
        }
        Command::Tag { action } => {
            reference::list(&config, omk_api::List::RatingTags, action).await
        }
        Command::Operator { action } => reference::operator(&config, action).await,
        Command::Backup { file } => backup(&config, &file).await,
        Command::Erase { tracking_no } => erase(&config, &tracking_no).await,
        Command::Purge => {
            on_database(&config, async |ops| {
                for holder in privacy::Holder::ALL {
                    let erased = privacy::purge(
                        ops.db,
                        holder,
                        clock::now(),
                        config.issues.contact_retention_days,
                        auth::CLI_ACTOR,
                    )
                    .await
                    .map_err(DbError::from)?;
                    if erased > 0 || holder == privacy::Holder::Issue {
                        let noun = holder.noun();
                        println!("erased the contact details of {erased} settled {noun}(s)");
                    }
                }
                Ok(())
            })
            .await
        }
        Command::Export { dataset, out } => {
            let text = on_database(&config, async |ops| {
                dataset
                    .csv(ops.db)
                    .await
                    .map_err(|e| DbError::from(e).into())
            })
            .await?;
            write_out(out.as_deref(), &text).await
        }
    }
}

/// Opens and migrates the configured database, runs `work` on it with the operations of a
/// command (which tell the running servers of their changes), and closes it.
async fn on_database<T>(
    config: &Config,
    work: impl AsyncFnOnce(Ops<'_>) -> Result<T, ServerError>,
) -> Result<T, ServerError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let clock = Clock::default();
    let ops = Ops {
        db: &db,
        clock: &clock,
        notify: ops::Notify::Instances,
    };
    let result = work(ops).await;
    db.close().await;
    result
}

/// Who a command acts as: the `cli` actor, with an admin's reach.
fn actor() -> Actor {
    Actor {
        login: auth::CLI_ACTOR.into(),
        role: Role::Admin,
        unit: None,
    }
}

/// An operation's refusal as the command's error; `missing` says what was not found.
fn refused(err: OpError, missing: impl FnOnce() -> String) -> ServerError {
    match err {
        OpError::Invalid(errors) => ServerError::Invalid(ops::fields(&errors)),
        OpError::NotFound => ServerError::Invalid(missing()),
        OpError::Db(err) => ServerError::Db(DbError::from(err)),
        other => ServerError::Invalid(other.to_string()),
    }
}

async fn backup(config: &Config, file: &Path) -> Result<(), ServerError> {
    if file.exists() {
        return Err(ServerError::Invalid(format!(
            "{} exists already: a backup goes to a new file",
            file.display()
        )));
    }
    on_database(config, async |ops| {
        ops.db.backup_to(file).await?;
        println!("backed up to {}", file.display());
        Ok(())
    })
    .await
}

async fn erase(config: &Config, typed: &str) -> Result<(), ServerError> {
    let (holder, code) = privacy::Holder::of_code(typed).ok_or_else(|| {
        ServerError::Invalid(format!(
            "{typed:?} is not a tracking number, a letter's code or a proposal's code"
        ))
    })?;
    on_database(config, async |ops| {
        if !privacy::erase_held(ops.db, holder, &code, auth::CLI_ACTOR, clock::now())
            .await
            .map_err(DbError::from)?
        {
            let noun = holder.noun();
            let named = if holder == privacy::Holder::Issue {
                "number"
            } else {
                "code"
            };
            return Err(ServerError::Invalid(format!(
                "no {noun} has the {named} {code}"
            )));
        }
        println!("erased the contact details of {code}");
        Ok(())
    })
    .await
}

/// Writes `text` to the file `out`, or to standard output without one.
async fn write_out(out: Option<&Path>, text: &str) -> Result<(), ServerError> {
    match out {
        Some(path) => tokio::fs::write(path, text)
            .await
            .map_err(|source| ServerError::File {
                path: path.display().to_string(),
                source,
            }),
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A reader that stopped early (`| head`) wanted no more.
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                result => result.map_err(|source| ServerError::File {
                    path: "standard output".to_owned(),
                    source,
                }),
            }
        }
    }
}

/// One line of a listing: the cells, tab-separated.
fn row(cells: &[&dyn std::fmt::Display]) {
    let cells: Vec<String> = cells.iter().map(ToString::to_string).collect();
    println!("{}", cells.join("\t"));
}

/// The language of the terminal, from `LC_ALL`, `LC_MESSAGES` or `LANG`:
/// Chinese for a `zh…` locale, English otherwise.
fn terminal_lang() -> omk_api::Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if locale.to_ascii_lowercase().starts_with("zh") {
        omk_api::Lang::ZhCn
    } else {
        omk_api::Lang::En
    }
}
