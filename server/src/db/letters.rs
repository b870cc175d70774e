//! SQL for the `letters` table: storing a letter, its public view by code, the published
//! list, the rows the monthly figures are computed from, the operators' list and each move
//! (review, reply, publication, rating), the audited contact read, and erasure.

use omk_api::{
    DeclineReason, LetterItem, LetterKind, LetterState, LetterView, NewLetter, PublishedLetter,
    Satisfaction,
};
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use super::{Bind, Db, Filter, bind_all};

/// A letter as stored, before it gets an id.
#[derive(Clone)]
pub struct LetterRow {
    pub code: String,
    pub letter: NewLetter,
    pub state: LetterState,
    pub unit: Option<String>,
    pub decline_reason: Option<DeclineReason>,
    pub reply: Option<String>,
    pub public: Option<(String, String)>,
    pub rating: Option<(Satisfaction, Option<String>)>,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub published_at: Option<i64>,
    pub rated_at: Option<i64>,
}

/// Contact details never show in `Debug` output.
impl std::fmt::Debug for LetterRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LetterRow")
            .field("code", &self.code)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl LetterRow {
    /// A fresh letter, already validated and normalised, awaiting review.
    pub fn received(letter: NewLetter, code: String, now: i64) -> LetterRow {
        LetterRow {
            code,
            letter,
            state: LetterState::AwaitingReview,
            unit: None,
            decline_reason: None,
            reply: None,
            public: None,
            rating: None,
            created_at: now,
            reviewed_at: None,
            replied_at: None,
            published_at: None,
            rated_at: None,
        }
    }

    /// When it was settled (declined or replied), if it was.
    fn settled_at(&self) -> Option<i64> {
        match self.state {
            LetterState::Declined => self.reviewed_at,
            LetterState::Replied | LetterState::Published => self.replied_at,
            _ => None,
        }
    }
}

const INSERT: &str = "INSERT INTO letters (code, kind, title, body, name, phone, may_publish, \
     state, unit, decline_reason, reply, public_title, public_text, rating, rating_reason, \
     created_at, reviewed_at, replied_at, published_at, rated_at, settled_at) VALUES ($1, $2, \
     $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) \
     ON CONFLICT (code) DO NOTHING RETURNING id";

/// Stores one letter inside `tx`; `false` when the code is taken.
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    row: &LetterRow,
) -> Result<bool, sqlx::Error> {
    let (public_title, public_text) = row.public.clone().unzip();
    let (rating, rating_reason) = row.rating.clone().unzip();
    let inserted = sqlx::query(INSERT)
        .bind(row.code.clone())
        .bind(row.letter.kind.as_str())
        .bind(row.letter.title.clone())
        .bind(row.letter.text.clone())
        .bind(row.letter.name.clone())
        .bind(row.letter.phone.clone())
        .bind(i64::from(row.letter.may_publish))
        .bind(row.state.as_str())
        .bind(row.unit.clone())
        .bind(row.decline_reason.map(DeclineReason::as_str))
        .bind(row.reply.clone())
        .bind(public_title)
        .bind(public_text)
        .bind(rating.map(Satisfaction::as_str))
        .bind(rating_reason.flatten())
        .bind(row.created_at)
        .bind(row.reviewed_at)
        .bind(row.replied_at)
        .bind(row.published_at)
        .bind(row.rated_at)
        .bind(row.settled_at())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(inserted.is_some())
}

fn decode<T>(
    value: Option<String>,
    parse: fn(&str) -> Option<T>,
    what: &str,
) -> Result<Option<T>, sqlx::Error> {
    value
        .map(|v| {
            parse(&v).ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} {v:?}").into()))
        })
        .transpose()
}

fn required<T>(value: String, parse: fn(&str) -> Option<T>, what: &str) -> Result<T, sqlx::Error> {
    decode(Some(value), parse, what)?.ok_or_else(|| sqlx::Error::Decode(what.to_owned().into()))
}

fn state_of(row: &AnyRow) -> Result<LetterState, sqlx::Error> {
    required(row.try_get("state")?, LetterState::parse, "letter state")
}

const ITEM_COLUMNS: &str = "code, kind, title, body, state, unit, decline_reason, reply, \
     may_publish, public_title, public_text, rating, rating_reason, created_at, reviewed_at, \
     replied_at, published_at, rated_at, (name IS NOT NULL OR phone IS NOT NULL) AS has_contact, \
     proposal";

/// A boolean expression's value: SQLite gives an integer, PostgreSQL a boolean.
fn flag(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    row.try_get::<bool, _>(column)
        .or_else(|_| row.try_get::<i64, _>(column).map(|v| v != 0))
}

fn item(row: &AnyRow) -> Result<LetterItem, sqlx::Error> {
    Ok(LetterItem {
        code: row.try_get("code")?,
        kind: required(row.try_get("kind")?, LetterKind::parse, "letter kind")?,
        title: row.try_get("title")?,
        text: row.try_get("body")?,
        state: state_of(row)?,
        unit: row.try_get("unit")?,
        decline_reason: decode(
            row.try_get("decline_reason")?,
            DeclineReason::parse,
            "reason",
        )?,
        reply: row.try_get("reply")?,
        may_publish: row.try_get::<i64, _>("may_publish")? != 0,
        public_title: row.try_get("public_title")?,
        public_text: row.try_get("public_text")?,
        rating: decode(row.try_get("rating")?, Satisfaction::parse, "rating")?,
        rating_reason: row.try_get("rating_reason")?,
        has_contact: flag(row, "has_contact")?,
        created_at: row.try_get("created_at")?,
        reviewed_at: row.try_get("reviewed_at")?,
        replied_at: row.try_get("replied_at")?,
        published_at: row.try_get("published_at")?,
        rated_at: row.try_get("rated_at")?,
        proposal: row.try_get("proposal")?,
    })
}

/// What whoever has the code sees: never the contact.
pub async fn view(db: &Db, code: &str) -> Result<Option<LetterView>, sqlx::Error> {
    Ok(one(db, code).await?.map(|l| LetterView {
        code: l.code,
        kind: l.kind,
        title: l.title,
        text: l.text,
        state: l.state,
        decline_reason: l.decline_reason,
        reply: l.reply,
        may_publish: l.may_publish,
        created_at: l.created_at,
        reviewed_at: l.reviewed_at,
        replied_at: l.replied_at,
        published_at: l.published_at,
        rating: l.rating,
        rated_at: l.rated_at,
        proposal: l.proposal,
    }))
}

/// One letter for operators.
pub async fn one(db: &Db, code: &str) -> Result<Option<LetterItem>, sqlx::Error> {
    let sql = format!("SELECT {ITEM_COLUMNS} FROM letters WHERE code = $1");
    sqlx::query(AssertSqlSafe(sql))
        .bind(code.to_owned())
        .fetch_optional(db.pool())
        .await?
        .as_ref()
        .map(item)
        .transpose()
}

/// The letter, read inside the transaction that acts on it and held for it (a write of the
/// row to itself: PostgreSQL locks the row, SQLite the database, until the transaction ends).
pub async fn claim(
    tx: &mut Transaction<'static, Any>,
    code: &str,
) -> Result<Option<LetterItem>, sqlx::Error> {
    let sql = format!("UPDATE letters SET code = code WHERE code = $1 RETURNING {ITEM_COLUMNS}");
    sqlx::query(AssertSqlSafe(sql))
        .bind(code.to_owned())
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(item)
        .transpose()
}

/// Published letters, most recently published first, and how many there are.
pub async fn published(
    db: &Db,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PublishedLetter>, i64), sqlx::Error> {
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM letters WHERE state = 'published'")
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let rows = sqlx::query(
        "SELECT id, kind, public_title, public_text, reply, created_at, replied_at, published_at \
         FROM letters WHERE state = 'published' ORDER BY published_at DESC, id DESC \
         LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(PublishedLetter {
                id: r.try_get("id")?,
                kind: required(r.try_get("kind")?, LetterKind::parse, "letter kind")?,
                title: r
                    .try_get::<Option<String>, _>("public_title")?
                    .unwrap_or_default(),
                text: r
                    .try_get::<Option<String>, _>("public_text")?
                    .unwrap_or_default(),
                reply: r.try_get::<Option<String>, _>("reply")?.unwrap_or_default(),
                created_at: r.try_get("created_at")?,
                replied_at: r
                    .try_get::<Option<i64>, _>("replied_at")?
                    .unwrap_or_default(),
                published_at: r
                    .try_get::<Option<i64>, _>("published_at")?
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((items, total))
}

/// What the monthly figures need of one letter.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRow {
    pub state: LetterState,
    pub created_at: i64,
    pub replied_at: Option<i64>,
    pub rating: Option<Satisfaction>,
}

/// The letters written in `[start, end)`.
pub async fn written_between(db: &Db, start: i64, end: i64) -> Result<Vec<FigureRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT state, created_at, replied_at, rating FROM letters \
         WHERE created_at >= $1 AND created_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FigureRow {
                state: state_of(r)?,
                created_at: r.try_get("created_at")?,
                replied_at: r.try_get("replied_at")?,
                rating: decode(r.try_get("rating")?, Satisfaction::parse, "rating")?,
            })
        })
        .collect()
}

/// Which letters operators list.
#[derive(Debug, Clone, Default)]
pub struct LetterFilter {
    pub state: Option<LetterState>,
    /// Only those routed to this unit.
    pub unit: Option<String>,
    /// Only those rated "not satisfied" with a reason: the supervision list.
    pub supervision: bool,
}

/// A page of letters for operators, newest first, and how many match.
pub async fn list(
    db: &Db,
    filter: &LetterFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<LetterItem>, i64), sqlx::Error> {
    let mut f = Filter::default();
    if let Some(state) = filter.state {
        f.push("state = ?", vec![Bind::Text(state.as_str().into())]);
    }
    if let Some(unit) = &filter.unit {
        f.push("unit = ?", vec![Bind::Text(unit.clone())]);
    }
    if filter.supervision {
        f.push(
            "rating = 'not_satisfied' AND rating_reason IS NOT NULL",
            vec![],
        );
    }
    let count_sql = format!("SELECT COUNT(*) AS n FROM letters{}", f.where_sql());
    let total: i64 = bind_all(sqlx::query(AssertSqlSafe(count_sql)), f.binds())
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let n = f.next_placeholder();
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM letters{} ORDER BY created_at DESC, id DESC LIMIT ${n} OFFSET ${}",
        f.where_sql(),
        n + 1
    );
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), f.binds())
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    let items = rows.iter().map(item).collect::<Result<_, _>>()?;
    Ok((items, total))
}

/// The writer's name and phone, read inside the transaction that records the view.
pub async fn contact(
    tx: &mut Transaction<'static, Any>,
    code: &str,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    let row = sqlx::query("SELECT name, phone FROM letters WHERE code = $1")
        .bind(code.to_owned())
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| Ok((r.try_get("name")?, r.try_get("phone")?)))
        .transpose()
}

/// Accepts a letter awaiting review and routes it to `unit`; `false` when it no longer awaits.
pub async fn accept(
    tx: &mut Transaction<'static, Any>,
    code: &str,
    unit: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE letters SET state = 'accepted', unit = $1, reviewed_at = $2 \
         WHERE code = $3 AND state = 'awaiting_review'",
    )
    .bind(unit.to_owned())
    .bind(now)
    .bind(code.to_owned())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Declines a letter awaiting review; it is settled now.
pub async fn decline(
    tx: &mut Transaction<'static, Any>,
    code: &str,
    reason: DeclineReason,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE letters SET state = 'declined', decline_reason = $1, reviewed_at = $2, \
         settled_at = $2 WHERE code = $3 AND state = 'awaiting_review'",
    )
    .bind(reason.as_str())
    .bind(now)
    .bind(code.to_owned())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replies to an accepted letter; it is settled now.
pub async fn reply(
    tx: &mut Transaction<'static, Any>,
    code: &str,
    reply: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE letters SET state = 'replied', reply = $1, replied_at = $2, settled_at = $2 \
         WHERE code = $3 AND state = 'accepted'",
    )
    .bind(reply.to_owned())
    .bind(now)
    .bind(code.to_owned())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes a replied letter whose writer consented, with its approved public version.
pub async fn publish(
    tx: &mut Transaction<'static, Any>,
    code: &str,
    title: &str,
    text: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE letters SET state = 'published', public_title = $1, public_text = $2, \
         published_at = $3 WHERE code = $4 AND state = 'replied' AND may_publish = 1",
    )
    .bind(title.to_owned())
    .bind(text.to_owned())
    .bind(now)
    .bind(code.to_owned())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the writer's rating of a replied letter, once; `false` when it is not replied or
/// already rated.
pub async fn rate(
    tx: &mut Transaction<'static, Any>,
    code: &str,
    satisfaction: Satisfaction,
    reason: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE letters SET rating = $1, rating_reason = $2, rated_at = $3 \
         WHERE code = $4 AND rating IS NULL AND state IN ('replied', 'published')",
    )
    .bind(satisfaction.as_str())
    .bind(reason.map(str::to_owned))
    .bind(now)
    .bind(code.to_owned())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Erases the writer's name and phone; `false` when there is no such letter.
pub async fn erase_contact(
    tx: &mut Transaction<'static, Any>,
    code: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE letters SET name = NULL, phone = NULL WHERE code = $1")
        .bind(code.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Erases the name and phone of every letter settled before `before`; returns the codes of
/// those that had any.
pub async fn erase_contacts_settled_before(
    tx: &mut Transaction<'static, Any>,
    before: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "UPDATE letters SET name = NULL, phone = NULL WHERE settled_at IS NOT NULL \
         AND settled_at < $1 AND (name IS NOT NULL OR phone IS NOT NULL) RETURNING code",
    )
    .bind(before)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get("code")).collect()
}

/// Drops the contact part of every idempotency claim whose letter no longer has contact
/// details (see `db::idempotency::forget_erased_contacts`), inside the erasure's transaction.
pub async fn forget_erased_claims(tx: &mut Transaction<'static, Any>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE idempotency_keys SET request_hash = substr(request_hash, 1, 64) || ':erased' \
         WHERE length(request_hash) > 64 AND request_hash NOT LIKE '%:erased' \
         AND EXISTS (SELECT 1 FROM letters WHERE letters.code = idempotency_keys.issue \
         AND letters.name IS NULL AND letters.phone IS NULL)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// How many letters there are.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM letters")
        .fetch_one(db.pool())
        .await?
        .try_get("n")
}

/// Links the letter `code` to the proposal it was promoted to: `None` when there is no such
/// letter, `Some(false)` when it was promoted already.
pub async fn promote(
    tx: &mut Transaction<'static, Any>,
    code: &str,
    proposal: &str,
) -> Result<Option<bool>, sqlx::Error> {
    let done = sqlx::query("UPDATE letters SET proposal = $1 WHERE code = $2 AND proposal IS NULL")
        .bind(proposal.to_owned())
        .bind(code.to_owned())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 1 {
        return Ok(Some(true));
    }
    let exists = sqlx::query("SELECT 1 AS one FROM letters WHERE code = $1")
        .bind(code.to_owned())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(exists.map(|_| false))
}
