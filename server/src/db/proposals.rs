//! SQL for the `proposals` table: visitors' proposals for a month's topic, their
//! moderation, and the links to each other (merges) and to candidates. The phone is read
//! only by [`contact`].

use omk_api::{ProposalState, PublicProposal};
use sqlx::{AnyConnection, Row};

/// A proposal as stored, without its phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRow {
    pub code: String,
    pub month: String,
    pub title: String,
    pub text: String,
    pub district: String,
    pub state: ProposalState,
    pub reason: Option<String>,
    pub merged_into: Option<String>,
    pub topic: Option<String>,
    pub has_contact: bool,
    pub created_at: i64,
    /// The letter it was promoted from, if any (for operators only).
    pub origin_letter: Option<String>,
    /// The collection and comment it was promoted from, if any.
    pub origin_comment: Option<(i64, i64)>,
}

/// A new proposal.
#[derive(Debug, Clone)]
pub struct NewProposalRow<'a> {
    pub code: &'a str,
    pub month: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub district: &'a str,
    pub phone: Option<&'a str>,
    pub created_at: i64,
}

const COLUMNS: &str = "code, month, title, body, district, state, reason, merged_into, topic, \
                       contact IS NOT NULL AS has_contact, created_at, origin_letter, \
                       origin_collection, origin_comment";

fn row(r: &sqlx::any::AnyRow) -> Result<ProposalRow, sqlx::Error> {
    let state: String = r.try_get("state")?;
    let has_contact: bool = match r.try_get::<bool, _>("has_contact") {
        Ok(flag) => flag,
        Err(_) => r.try_get::<i64, _>("has_contact")? != 0,
    };
    Ok(ProposalRow {
        code: r.try_get("code")?,
        month: r.try_get("month")?,
        title: r.try_get("title")?,
        text: r.try_get("body")?,
        district: r.try_get("district")?,
        state: ProposalState::parse(&state)
            .ok_or_else(|| sqlx::Error::Decode(format!("state {state:?}").into()))?,
        reason: r.try_get("reason")?,
        merged_into: r.try_get("merged_into")?,
        topic: r.try_get("topic")?,
        has_contact,
        created_at: r.try_get("created_at")?,
        origin_letter: r.try_get("origin_letter")?,
        origin_comment: match (
            r.try_get::<Option<i64>, _>("origin_collection")?,
            r.try_get::<Option<i64>, _>("origin_comment")?,
        ) {
            (Some(collection), Some(comment)) => Some((collection, comment)),
            _ => None,
        },
    })
}

/// Stores a new proposal as received; `false` when its code is taken.
pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewProposalRow<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO proposals (code, month, title, body, district, contact, state, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO NOTHING",
    )
    .bind(new.code.to_owned())
    .bind(new.month.to_owned())
    .bind(new.title.to_owned())
    .bind(new.text.to_owned())
    .bind(new.district.to_owned())
    .bind(new.phone.map(str::to_owned))
    .bind(ProposalState::Received.as_str())
    .bind(new.created_at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The proposal with `code`.
pub async fn find(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<ProposalRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM proposals WHERE code = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(code.to_owned())
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(row)
        .transpose()
}

/// Every proposal of `month`, oldest first; only those shown publicly when `public`.
pub async fn of_month(
    conn: &mut AnyConnection,
    month: &str,
    public: bool,
) -> Result<Vec<ProposalRow>, sqlx::Error> {
    let filter = if public {
        " AND state IN ('published', 'merged')"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM proposals WHERE month = $1{filter} ORDER BY created_at, code"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(month.to_owned())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(row).collect()
}

/// Sets a proposal's state, reason and merge target if it is still in `from`; `false` when
/// someone moderated it meanwhile.
pub async fn moderate(
    conn: &mut AnyConnection,
    code: &str,
    from: ProposalState,
    to: ProposalState,
    reason: Option<&str>,
    merged_into: Option<&str>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE proposals SET state = $1, reason = $2, merged_into = $3, moderated_at = $4 \
         WHERE code = $5 AND state = $6",
    )
    .bind(to.as_str())
    .bind(reason.map(str::to_owned))
    .bind(merged_into.map(str::to_owned))
    .bind(at)
    .bind(code.to_owned())
    .bind(from.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves what was merged into `from` over to `to` (a merged proposal's followers follow it).
pub async fn remerge(conn: &mut AnyConnection, from: &str, to: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE proposals SET merged_into = $1 WHERE merged_into = $2")
        .bind(to.to_owned())
        .bind(from.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A proposal's phone, if it has one.
pub async fn contact(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let row = sqlx::query("SELECT contact FROM proposals WHERE code = $1")
        .bind(code.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| r.try_get::<Option<String>, _>("contact"))
        .transpose()
}

/// Links the proposals `codes` of `month` to the candidate `topic` and unlinks the rest of
/// its proposals.
pub async fn link(
    conn: &mut AnyConnection,
    month: &str,
    topic: &str,
    codes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE proposals SET topic = NULL WHERE month = $1 AND topic = $2")
        .bind(month.to_owned())
        .bind(topic.to_owned())
        .execute(&mut *conn)
        .await?;
    for code in codes {
        sqlx::query("UPDATE proposals SET topic = $1 WHERE month = $2 AND code = $3")
            .bind(topic.to_owned())
            .bind(month.to_owned())
            .bind(code.clone())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Each candidate's proposal count in `month`: its linked proposals and those merged into
/// them, each counted once. `(topic, count)`.
pub async fn counts_by_topic(
    conn: &mut AnyConnection,
    month: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.topic AS topic, COUNT(DISTINCT p.code) AS n FROM proposals l \
         JOIN proposals p ON p.code = l.code OR p.merged_into = l.code \
         WHERE l.month = $1 AND l.topic IS NOT NULL GROUP BY l.topic",
    )
    .bind(month.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("topic")?, r.try_get("n")?)))
        .collect()
}

/// How many proposals of `month` are shown publicly.
pub async fn public_count(conn: &mut AnyConnection, month: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM proposals WHERE month = $1 AND state IN ('published', 'merged')",
    )
    .bind(month.to_owned())
    .fetch_one(&mut *conn)
    .await?;
    row.try_get("n")
}

impl ProposalRow {
    /// As everyone sees it, with the proposals merged into it (from `all`, the month's).
    /// Where it came from, as everyone may see it.
    pub fn origin(&self) -> Option<omk_api::ProposalOrigin> {
        match (&self.origin_letter, self.origin_comment) {
            (Some(_), _) => Some(omk_api::ProposalOrigin::Letter),
            (None, Some((collection, comment))) => Some(omk_api::ProposalOrigin::Comment {
                collection,
                comment,
            }),
            (None, None) => None,
        }
    }

    pub fn public(&self, all: &[ProposalRow]) -> PublicProposal {
        PublicProposal {
            code: self.code.clone(),
            title: self.title.clone(),
            text: self.text.clone(),
            district: self.district.clone(),
            state: self.state,
            merged_into: self.merged_into.clone(),
            merged: all
                .iter()
                .filter(|p| p.merged_into.as_deref() == Some(self.code.as_str()))
                .map(|p| omk_api::MergedProposal {
                    code: p.code.clone(),
                    title: p.title.clone(),
                })
                .collect(),
            candidate: self.topic.clone(),
            created_at: self.created_at,
            origin: self.origin(),
        }
    }
}

/// Erases one proposal's phone; `false` when there is no such proposal.
pub async fn erase_contact(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE proposals SET contact = NULL WHERE code = $1")
        .bind(code.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Erases the phone of every proposal settled before `before`: rejected or merged then, or
/// of a month whose cycle closed then; returns the codes of those that had one.
pub async fn erase_contacts_settled_before(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    before: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "UPDATE proposals SET contact = NULL WHERE contact IS NOT NULL AND (\
         (state IN ('rejected', 'merged') AND moderated_at < $1) \
         OR month IN (SELECT month FROM cycle_stages WHERE stage = 'closed' \
         AND entered_at IS NOT NULL AND entered_at < $1)) RETURNING code",
    )
    .bind(before)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get("code")).collect()
}

/// Drops the contact part of every idempotency claim whose proposal no longer has a phone
/// (see `db::idempotency::forget_erased_contacts`), inside the erasure's transaction.
pub async fn forget_erased_claims(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE idempotency_keys SET request_hash = substr(request_hash, 1, 64) || ':erased' \
         WHERE length(request_hash) > 64 AND request_hash NOT LIKE '%:erased' \
         AND EXISTS (SELECT 1 FROM proposals WHERE proposals.code = idempotency_keys.issue \
         AND proposals.contact IS NULL)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Where a promoted proposal came from.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    Letter(&'a str),
    Comment { collection: i64, comment: i64 },
}

/// Stores a proposal a moderator promoted from `origin`, published at once; `false` when
/// its code is taken.
pub async fn insert_promoted(
    conn: &mut AnyConnection,
    new: &NewProposalRow<'_>,
    origin: Origin<'_>,
) -> Result<bool, sqlx::Error> {
    let (letter, collection, comment) = match origin {
        Origin::Letter(code) => (Some(code.to_owned()), None, None),
        Origin::Comment {
            collection,
            comment,
        } => (None, Some(collection), Some(comment)),
    };
    let done = sqlx::query(
        "INSERT INTO proposals (code, month, title, body, district, state, created_at, \
         moderated_at, origin_letter, origin_collection, origin_comment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (code) DO NOTHING",
    )
    .bind(new.code.to_owned())
    .bind(new.month.to_owned())
    .bind(new.title.to_owned())
    .bind(new.text.to_owned())
    .bind(new.district.to_owned())
    .bind(ProposalState::Published.as_str())
    .bind(new.created_at)
    .bind(new.created_at)
    .bind(letter)
    .bind(collection)
    .bind(comment)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
