//! The PostgreSQL the tests use: Debian's cluster started, and a role and a database for the
//! tests made idempotently.

use std::env;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::progress::Step;
use crate::tools;

/// The environment variable through which the tests find their database.
pub const URL_VAR: &str = "OMK_TEST_POSTGRES_URL";
/// The environment variable that, set to `1`, lets the tests skip PostgreSQL instead of
/// failing without it; set only outside CI, when no PostgreSQL can be had.
pub const SKIP_VAR: &str = "OMK_TEST_SKIP_POSTGRES";
/// The role the tests log in as (it may create databases, for tests that want a fresh one).
const ROLE: &str = "omk";
/// The role's password.
const PASSWORD: &str = "omk";
/// The database the tests use, owned by [`ROLE`].
const DATABASE: &str = "omk_test";

/// What the tests get.
pub enum Availability {
    /// A database URL the tests can use.
    Ready(String),
    /// Why there is none.
    Unavailable(String),
}

/// One line of `pg_lsclusters`.
#[derive(Debug, PartialEq, Eq)]
struct Cluster {
    version: String,
    name: String,
    port: u16,
    online: bool,
}

/// Makes a test database ready, or says why it cannot.
///
/// A URL already in `OMK_TEST_POSTGRES_URL` is used as it is. Otherwise this needs root and
/// Debian's PostgreSQL: it starts the cluster and creates the role and database when missing.
pub fn prepare(step: &Step) -> Result<Availability> {
    if let Ok(url) = env::var(URL_VAR)
        && !url.is_empty()
    {
        return Ok(Availability::Ready(url));
    }
    if !tools::is_root() {
        return Ok(Availability::Unavailable(format!(
            "not running as root; start a PostgreSQL yourself and set {URL_VAR}"
        )));
    }
    if tools::find_on_path("pg_lsclusters").is_none() {
        return Ok(Availability::Unavailable(
            "the postgresql package is not installed".to_owned(),
        ));
    }

    let cluster = match main_cluster()? {
        Some(cluster) => cluster,
        None => {
            let Some(version) = installed_server_version() else {
                return Ok(Availability::Unavailable(
                    "no PostgreSQL server version is installed under /usr/lib/postgresql"
                        .to_owned(),
                ));
            };
            step.run(
                tools::command("pg_createcluster").args([version.as_str(), "main"]),
                "postgres-createcluster",
            )?;
            match main_cluster()? {
                Some(cluster) => cluster,
                None => {
                    return Ok(Availability::Unavailable(
                        "pg_createcluster made no `main` cluster".to_owned(),
                    ));
                }
            }
        }
    };

    if !cluster.online {
        start(step, &cluster)?;
    }

    let role_sql = format!(
        "DO $$ BEGIN \
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN CREATE ROLE {ROLE}; END IF; \
         END $$; \
         ALTER ROLE {ROLE} WITH LOGIN CREATEDB PASSWORD '{PASSWORD}';"
    );
    step.run(&mut as_postgres(&cluster, &role_sql), "postgres-role")?;

    let exists = as_postgres(
        &cluster,
        &format!("SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"),
    )
    .stderr(Stdio::null())
    .output()
    .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "1");
    if !exists {
        step.run(
            &mut as_postgres(
                &cluster,
                &format!("CREATE DATABASE {DATABASE} OWNER {ROLE}"),
            ),
            "postgres-database",
        )?;
    }

    let url = format!(
        "postgres://{ROLE}:{PASSWORD}@127.0.0.1:{}/{DATABASE}",
        cluster.port
    );
    step.run(
        tools::command("psql")
            .arg(&url)
            .args(["-qAt", "-v", "ON_ERROR_STOP=1", "-c", "SELECT 1"])
            .env("PGCONNECT_TIMEOUT", "10"),
        "postgres-login",
    )?;
    Ok(Availability::Ready(url))
}

/// `pg_ctlcluster VERSION main start`; "already running" counts as started.
fn start(step: &Step, cluster: &Cluster) -> Result<()> {
    let result = step.run(
        tools::command("pg_ctlcluster").args([cluster.version.as_str(), &cluster.name, "start"]),
        "postgres-start",
    );
    match result {
        Err(Error::CommandFailed { log, .. }) if log_says_running(&log) => Ok(()),
        other => other,
    }
}

/// Whether a pg_ctlcluster log says the cluster was running already.
fn log_says_running(log: &Path) -> bool {
    std::fs::read_to_string(log).is_ok_and(|text| text.contains("already running"))
}

/// `psql -c SQL` as the postgres superuser, on the cluster's port.
fn as_postgres(cluster: &Cluster, sql: &str) -> Command {
    let mut cmd = tools::command("runuser");
    cmd.args(["-u", "postgres", "--", "psql"])
        .args(["-p", &cluster.port.to_string()])
        .args(["-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql])
        // The postgres user may not be able to enter the project folder.
        .current_dir("/");
    cmd
}

/// The `main` cluster of the newest version, from `pg_lsclusters`.
fn main_cluster() -> Result<Option<Cluster>> {
    let output = tools::command("pg_lsclusters")
        .arg("--no-header")
        .output()
        .map_err(|source| Error::Spawn {
            program: "pg_lsclusters".to_owned(),
            source,
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(parse_clusters(&text)
        .into_iter()
        .filter(|cluster| cluster.name == "main")
        .max_by_key(|cluster| cluster.version.parse::<u32>().unwrap_or(0)))
}

/// The clusters in `pg_lsclusters --no-header` output
/// (`15  main    5432 online postgres /var/lib/postgresql/15/main …`).
fn parse_clusters(text: &str) -> Vec<Cluster> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let version = fields.next()?.to_owned();
            let name = fields.next()?.to_owned();
            let port = fields.next()?.parse().ok()?;
            let online = fields.next()?.starts_with("online");
            Some(Cluster {
                version,
                name,
                port,
                online,
            })
        })
        .collect()
}

/// The newest server version under `/usr/lib/postgresql`, for creating a cluster.
fn installed_server_version() -> Option<String> {
    std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter(|name| entry_is_server(name))
        .max_by_key(|name| name.parse::<u32>().unwrap_or(0))
}

/// Whether `/usr/lib/postgresql/<name>` holds a server.
fn entry_is_server(name: &str) -> bool {
    Path::new("/usr/lib/postgresql")
        .join(name)
        .join("bin")
        .join("postgres")
        .is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_lines_give_version_port_and_state() {
        let text = "15  main    5432 down   postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log\n\
                    16  main    5433 online postgres /var/lib/postgresql/16/main /var/log/postgresql/postgresql-16-main.log\n";
        let clusters = parse_clusters(text);
        assert_eq!(clusters.len(), 2);
        assert_eq!(
            clusters[0],
            Cluster {
                version: "15".to_owned(),
                name: "main".to_owned(),
                port: 5432,
                online: false
            }
        );
        assert!(clusters[1].online);
        assert_eq!(clusters[1].port, 5433);
    }
}
