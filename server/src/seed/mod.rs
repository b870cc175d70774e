//! Demo data shaped like the 2022 Liaocheng report: 502 events laid out around
//! the seeding day, 4,139 issues of which 3,645 are resolved, a month of
//! ratings and the monthly vote. Deterministic, and written in one transaction.

mod cycles;
mod data;
mod mailbox;
mod outcome;
mod prng;

use omk_api::{Category, IssueStatus, List, Operator};

use crate::clock::{self, DAY};
use crate::db::events::NewEventRow;
use crate::db::issues::IssueRow;
use crate::db::ratings::RatingRow;
use crate::db::topics::TopicRow;
use crate::db::{self, Db};
use crate::tracking;
pub use prng::Prng;

/// How many events the demo program has.
pub const EVENTS: usize = 502;
/// How many issues the demo has collected.
pub const ISSUES: usize = 4139;
/// How many of them are resolved.
pub const RESOLVED: usize = 3645;
/// How many events are placed over the seeding moment, so some are on now.
const EVENTS_ON_NOW: usize = 6;

/// The fixed seed of the demo data.
const SEED: u64 = 0x4C49_4143_4845_4E47;

/// Seeds the demo data if the database holds no events and no issues.
/// Returns whether it seeded.
pub async fn seed_if_empty(db: &Db) -> Result<bool, sqlx::Error> {
    if db::events::count(db).await? > 0 || db::issues::count(db).await? > 0 {
        return Ok(false);
    }
    seed(db, clock::now()).await?;
    Ok(true)
}

/// Deletes every stored row and seeds the demo data afresh.
pub async fn reseed(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    db::clear_all(&mut tx).await?;
    tx.commit().await?;
    seed(db, clock::now()).await
}

/// Writes the demo data laid out around `now`, in one transaction.
pub async fn seed(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    let mut rng = Prng::new(SEED);
    let categories: Vec<Category> = data::CATEGORIES
        .iter()
        .map(|(id, zh, en)| Category {
            id: (*id).into(),
            name_zh: (*zh).into(),
            name_en: (*en).into(),
        })
        .collect();
    let topics: Vec<TopicRow> = data::TOPICS
        .iter()
        .map(|(id, zh, en)| TopicRow {
            id: (*id).into(),
            title_zh: (*zh).into(),
            title_en: (*en).into(),
        })
        .collect();
    let events = events(&mut rng, now);
    let issues = issues(&mut rng, now);
    let ratings = ratings(&mut rng, now);
    let votes = votes(&mut rng, now);

    let entries = |rows: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(id, zh, en)| ((*id).into(), (*zh).into(), (*en).into()))
            .collect()
    };
    let mut tx = db.pool().begin().await?;
    db::lists::insert_many(&mut tx, List::Units, &entries(data::UNIT_ENTRIES)).await?;
    db::lists::insert_many(&mut tx, List::Districts, &entries(data::DISTRICT_ENTRIES)).await?;
    db::lists::insert_many(&mut tx, List::RatingTags, &entries(data::RATING_TAGS)).await?;
    db::categories::insert_many(&mut tx, &categories).await?;
    for (category, unit) in data::CATEGORY_UNITS {
        db::categories::set_unit(&mut tx, category, unit).await?;
    }
    db::topics::insert_topics(&mut tx, &topics).await?;
    db::events::insert_many(&mut tx, &events).await?;
    db::issues::insert_many(&mut tx, &issues).await?;
    db::ratings::insert_many(&mut tx, &ratings).await?;
    db::topics::insert_votes(&mut tx, &votes).await?;
    cycles::seed(&mut tx, &mut rng, now).await?;
    outcome::seed(&mut tx, &mut rng, now).await?;
    mailbox::store(&mut tx, now).await?;
    tx.commit().await
}

/// The program: spread over 20 days either side of `now`, 09:00–17:30 local,
/// with a few events running at `now` itself.
fn events(rng: &mut Prng, now: i64) -> Vec<NewEventRow> {
    let today = clock::local_day(now);
    let theme_weights: u32 = data::THEMES.iter().map(|(_, w)| w).sum();
    (0..EVENTS)
        .map(|i| {
            let unit = rng.pick(data::UNITS);
            let district = unit.district.unwrap_or_else(|| {
                if rng.chance(0.65) {
                    "东昌府区"
                } else {
                    rng.pick(data::DISTRICTS).0
                }
            });
            let mut roll = u32::try_from(rng.below(u64::from(theme_weights))).unwrap_or(0);
            let theme = data::THEMES
                .iter()
                .find(|(_, w)| {
                    if roll < *w {
                        true
                    } else {
                        roll -= w;
                        false
                    }
                })
                .map_or("政府开放日", |(t, _)| t);
            let sight = *rng.pick(unit.sights);
            let subject = *rng.pick(unit.subjects);
            let street = streets_of(district).map_or("", |s| *rng.pick(s));
            let (title, place) =
                title_and_place(rng, theme, unit, sight, subject, district, street);
            let (starts_at, ends_at) = if i < EVENTS_ON_NOW {
                let start = now - now.rem_euclid(1800) - 1800 * rng.range(1, 3);
                (start, start + 1800 * rng.range(5, 8))
            } else {
                let day = today + rng.range(-20, 20);
                let start = clock::local_day_start(day) + 9 * 3600 + 1800 * rng.range(0, 13);
                let length = 1800 * rng.range(2, 6);
                let end = (start + length).min(clock::local_day_start(day) + 17 * 3600 + 1800);
                (start, end)
            };
            let capacity = 10 * rng.range(2, 20);
            let registration = theme != "听证会" && rng.chance(0.85);
            let registered = if !registration {
                0
            } else if rng.chance(0.12) {
                capacity - rng.range(0, 3)
            } else if ends_at < now {
                capacity * rng.range(55, 100) / 100
            } else {
                capacity * rng.range(0, 90) / 100
            };
            let summary = summary(rng, unit.name, sight, subject, registration);
            NewEventRow {
                title,
                unit: unit.name.into(),
                district: district.into(),
                theme: theme.into(),
                place,
                starts_at,
                ends_at,
                capacity,
                registered,
                registration,
                summary,
            }
        })
        .collect()
}

fn streets_of(district: &str) -> Option<&'static [&'static str]> {
    data::DISTRICTS
        .iter()
        .find(|(d, _)| *d == district)
        .map(|(_, s)| *s)
}

fn title_and_place(
    rng: &mut Prng,
    theme: &str,
    unit: &data::Unit,
    sight: &str,
    subject: &str,
    district: &str,
    street: &str,
) -> (String, String) {
    let hall = format!("{}会议室", unit.name);
    match theme {
        "政府开放日" => (
            format!("{}开放日：走进{sight}", unit.short),
            format!("{district}{sight}"),
        ),
        "走进机关" => (
            format!("走进{}·{sight}", unit.short),
            format!("{district}{sight}"),
        ),
        "听证会" => (format!("{subject}听证会"), hall),
        "民生实事座谈" => (
            format!("民生实事座谈：{subject}"),
            format!("{district}{street}党群服务中心"),
        ),
        "12345热线开放日" => (
            format!("12345热线开放日：{}负责人在线接听", unit.short),
            "聊城市12345政务服务便民热线受理中心".into(),
        ),
        "一月一题协商" => {
            let topic = rng.pick(data::TOPICS).1;
            (format!("一月一题协商：{topic}"), hall)
        }
        _ => (
            format!("居民公共议事日：{street}{subject}"),
            format!("{district}{street}社区议事厅"),
        ),
    }
}

fn summary(rng: &mut Prng, unit: &str, sight: &str, subject: &str, registration: bool) -> String {
    let opening = match rng.below(3) {
        0 => format!("{unit}邀请市民走进{sight}，现场了解工作流程和办事环节。"),
        1 => format!("{unit}围绕“{subject}”介绍工作进展，听取市民意见建议。"),
        _ => format!("{unit}向公众开放{sight}，工作人员现场讲解并答疑。"),
    };
    let closing = if registration {
        "名额有限，请提前报名，凭报名信息入场。"
    } else {
        "无需报名，欢迎市民到场参加。"
    };
    format!("{opening}{closing}")
}

/// 4,139 issues over the last 60 days; 3,645 resolved, the rest mostly answered.
fn issues(rng: &mut Prng, now: i64) -> Vec<IssueRow> {
    let unresolved = [
        (IssueStatus::Received, 60),
        (IssueStatus::Accepted, 110),
        (IssueStatus::Answered, 234),
        (IssueStatus::Closed, 90),
    ];
    let mut statuses: Vec<IssueStatus> = std::iter::repeat_n(IssueStatus::Resolved, RESOLVED)
        .chain(
            unresolved
                .iter()
                .flat_map(|(s, n)| std::iter::repeat_n(*s, *n)),
        )
        .collect();
    statuses.truncate(ISSUES);
    rng.shuffle(&mut statuses);
    let mut seen = std::collections::HashSet::new();
    statuses
        .into_iter()
        .map(|status| {
            let tracking_no = loop {
                let candidate = tracking::from_bits(rng.next_u64());
                if seen.insert(candidate.clone()) {
                    break candidate;
                }
            };
            let (category, texts) = *rng.pick(data::ISSUE_TEXTS);
            let district = rng.pick(data::DISTRICTS);
            let street = *rng.pick(district.1);
            // Unhandled issues are the recent ones; resolved ones are older.
            let age = match status {
                IssueStatus::Received => rng.range(0, 3 * DAY),
                IssueStatus::Accepted => rng.range(DAY, 10 * DAY),
                _ => rng.range(3 * DAY, 60 * DAY),
            };
            let created_at = now - age;
            let updated_at = if status == IssueStatus::Received {
                created_at
            } else {
                (created_at + rng.range(3600, 5 * DAY)).min(now)
            };
            let answer = matches!(
                status,
                IssueStatus::Answered | IssueStatus::Resolved | IssueStatus::Closed
            )
            .then(|| (*rng.pick(data::ANSWERS)).to_owned());
            IssueRow {
                tracking_no,
                category: category.into(),
                description: (*rng.pick(texts)).into(),
                place: format!("{}{street}", district.0),
                name: None,
                phone: None,
                status,
                answer,
                created_at,
                updated_at,
                unit: unit_of(category).map(str::to_owned),
            }
        })
        .collect()
}

/// The unit a demo category is routed to.
fn unit_of(category: &str) -> Option<&'static str> {
    data::CATEGORY_UNITS
        .iter()
        .find(|(c, _)| *c == category)
        .map(|(_, u)| *u)
}

/// A demo operator's sign-in, shown once when the demo is seeded.
#[derive(Clone)]
pub struct DemoSignIn {
    pub operator: Operator,
    pub password: String,
}

impl DemoSignIn {
    /// The start-up line that hands it over: login, password and who that is.
    pub fn line(&self) -> String {
        let who = match &self.operator.unit {
            Some(unit) => format!("unit operator of {unit}"),
            None => self.operator.role.as_str().to_owned(),
        };
        format!("  {} / {}  ({who})", self.operator.login, self.password)
    }
}

/// Creates the demo's operators (one of each role) with fresh random
/// passwords, and returns their sign-ins. Only ever called with the demo data.
pub async fn demo_operators(db: &Db) -> Result<Vec<DemoSignIn>, crate::error::AppError> {
    let mut sign_ins = Vec::new();
    for (login, role, unit) in data::DEMO_OPERATORS {
        let mut bytes = [0u8; 9];
        getrandom::fill(&mut bytes)
            .map_err(|e| crate::error::AppError::Internal(format!("no randomness: {e}")))?;
        let password =
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes);
        let operator = Operator {
            login: (*login).into(),
            role: *role,
            unit: unit.map(str::to_owned),
            active: true,
        };
        let hash = crate::auth::password::hash_async(password.clone()).await?;
        db::operators::put(db, &operator, Some(&hash), clock::now()).await?;
        sign_ins.push(DemoSignIn { operator, password });
    }
    Ok(sign_ins)
}

/// A month of ratings: about 200 a day, each unit with its own quality, mostly satisfied.
fn ratings(rng: &mut Prng, now: i64) -> Vec<RatingRow> {
    let quality: Vec<f64> = data::UNITS
        .iter()
        .map(|_| 0.72 + 0.25 * rng.unit())
        .collect();
    let count = 6000;
    (0..count)
        .map(|_| {
            let created_at = now - rng.range(0, 30 * DAY - 1);
            let unit_index = usize::try_from(rng.below(data::UNITS.len() as u64)).unwrap_or(0);
            let unit = (!rng.chance(0.1)).then(|| data::UNITS[unit_index].name.to_owned());
            let good = rng.chance(quality[unit_index]);
            let score = if good {
                if rng.chance(0.6) { 5 } else { 4 }
            } else {
                *rng.pick(&[3, 3, 3, 2, 2, 1])
            };
            let pool: &[&str] = if score >= 4 {
                &["fast", "friendly", "clear"]
            } else {
                &["slow", "unclear", "runaround"]
            };
            let mut tags: Vec<&str> = (0..rng.below(3)).map(|_| *rng.pick(pool)).collect();
            tags.sort_unstable();
            tags.dedup();
            RatingRow {
                score,
                tags: tags.join(","),
                unit,
                created_at,
            }
        })
        .collect()
}

/// Votes on the monthly topics over the last 20 days.
fn votes(rng: &mut Prng, now: i64) -> Vec<(String, i64)> {
    let weights = [1.0, 0.7, 0.55, 0.45, 0.35];
    data::TOPICS
        .iter()
        .zip(weights)
        .flat_map(|((id, _, _), w)| {
            let n = (1200.0 * w) as i64 + rng.range(0, 150);
            (0..n)
                .map(|_| ((*id).to_owned(), now - rng.range(0, 20 * DAY)))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_demo_sign_in_names_its_own_role() {
        let lines: Vec<String> = data::DEMO_OPERATORS
            .iter()
            .map(|(login, role, unit)| {
                DemoSignIn {
                    operator: Operator {
                        login: (*login).into(),
                        role: *role,
                        unit: unit.map(str::to_owned),
                        active: true,
                    },
                    password: "pw".into(),
                }
                .line()
            })
            .collect();
        assert_eq!(
            lines,
            [
                "  demo.admin / pw  (admin)",
                "  demo.unit / pw  (unit operator of urban_management)",
                "  demo.moderator / pw  (moderator)",
                "  demo.supervisor / pw  (supervisor)",
            ]
        );
    }

    #[test]
    fn demo_issues_match_the_report() {
        let issues = issues(&mut Prng::new(SEED), 1_700_000_000);
        assert_eq!(issues.len(), ISSUES);
        let resolved = issues
            .iter()
            .filter(|i| i.status == IssueStatus::Resolved)
            .count();
        assert_eq!(resolved, RESOLVED);
        assert!(issues.iter().all(|i| i.name.is_none() && i.phone.is_none()));
        let count = |status| issues.iter().filter(|i| i.status == status).count();
        assert_eq!(
            [
                IssueStatus::Received,
                IssueStatus::Accepted,
                IssueStatus::Answered,
                IssueStatus::Closed
            ]
            .map(count),
            [60, 110, 234, 90]
        );
        let answered = issues.iter().filter(|i| i.answer.is_some()).count();
        assert_eq!(answered, RESOLVED + 234 + 90);
        let routed = issues.iter().filter(|i| i.unit.is_some()).count();
        assert_eq!(routed, ISSUES, "every demo category is routed");
    }

    #[test]
    fn demo_program_has_its_past_current_and_upcoming_events() {
        let now = 1_700_000_000;
        let events = events(&mut Prng::new(SEED), now);
        assert_eq!(events.len(), EVENTS);
        let past = events.iter().filter(|e| e.ends_at <= now).count();
        let on = events
            .iter()
            .filter(|e| e.starts_at <= now && now < e.ends_at)
            .count();
        let upcoming = events.iter().filter(|e| e.starts_at > now).count();
        assert_eq!((past, on, upcoming), (225, 6, 271));
        assert!(events.iter().all(|e| e.starts_at < e.ends_at));
        assert!(events.iter().all(|e| (20..=200).contains(&e.capacity)));
        assert!(events.iter().all(|e| e.registered <= e.capacity));
        let seats: i64 = events.iter().map(|e| e.capacity).sum();
        let taken: i64 = events.iter().map(|e| e.registered).sum();
        assert_eq!((seats, taken), (53_800, 26_798));
    }
}
