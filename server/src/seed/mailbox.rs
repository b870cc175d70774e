//! Demo letters to the mayor's mailbox and opinion collections, shaped like the report (the
//! mailbox's reply rate and satisfaction rank first): about forty letters a month over the
//! current month and the two before it, nearly all replied within days and mostly rated
//! satisfied, some published with their writers' consent, a few "not satisfied" with a
//! reason on the supervision list; one collection closed with its adopted note and one open
//! now. Every figure the API shows of them is computed from these rows. Its own random
//! sequence, so the rest of the demo stays as it was.

use omk_api::{CommentState, DeclineReason, LetterKind, LetterState, NewLetter, Satisfaction};
use sqlx::{Any, Transaction};

use super::Prng;
use crate::clock::{self, DAY};
use crate::db;
use crate::db::consultations::CollectionFields;
use crate::db::letters::LetterRow;

/// The fixed seed of the demo's mailbox.
const SEED: u64 = 0x4D41_494C_424F_5821;

/// Letters written a day, on average.
const LETTERS_PER_DAY: f64 = 1.3;

/// What the demo's letters say: kind, title, text, reply, and the public version.
const LETTERS: &[(LetterKind, &str, &str, &str, &str, &str)] = &[
    (
        LetterKind::Suggestion,
        "建议增设夜班公交线路",
        "我在东昌府区上夜班，晚上九点以后没有公交车，打车很贵，建议开通夜班公交。",
        "市交通运输局已会同公交公司论证，拟于下月试开通两条夜班线路，欢迎继续提出意见。",
        "建议增设夜班公交线路",
        "有市民反映晚上九点后没有公交车，建议开通夜班公交。",
    ),
    (
        LetterKind::Complaint,
        "小区门口占道经营严重影响通行",
        "柳园街道某小区门口每天傍晚有流动摊贩占道经营，车辆和行人都无法通行。",
        "城管部门已安排专人早晚巡查，并在附近设置便民疏导点，占道问题已明显改善。",
        "小区门口占道经营影响通行",
        "有市民反映小区门口傍晚占道经营，影响车辆和行人通行。",
    ),
    (
        LetterKind::Consultation,
        "咨询公租房申请的条件和流程",
        "我是外地来聊城工作的职工，想了解申请公租房需要哪些条件、到哪里办理。",
        "外来务工人员在本市稳定就业满一年即可申请，可携带身份证和劳动合同到住建局政务窗口办理。",
        "咨询公租房申请的条件和流程",
        "有外来务工人员咨询公租房的申请条件和办理地点。",
    ),
    (
        LetterKind::Help,
        "求助：独居老人家中水管漏水",
        "我家楼下独居老人家中水管漏水多日，老人行动不便，无法自行维修，请帮忙。",
        "社区已联系物业上门维修，并将老人纳入网格员定期走访名单。",
        "求助：独居老人家中水管漏水",
        "有市民反映楼下独居老人家中水管漏水，老人无法自行维修。",
    ),
    (
        LetterKind::Complaint,
        "预付卡健身房闭店无法退费",
        "我在一家健身房办了预付卡，现在门店突然关闭，联系不上老板，余额无法退还。",
        "市场监管部门已立案调查，并组织登记预付卡余额，依法督促经营者退费。",
        "预付卡健身房闭店无法退费",
        "有市民反映健身房突然闭店，预付卡余额无法退还。",
    ),
    (
        LetterKind::Suggestion,
        "建议在公园增设儿童游乐设施",
        "湖南路附近的公园很受欢迎，但没有儿童游乐设施，建议增设一些安全的游乐设施。",
        "园林部门已将增设儿童游乐设施列入今年公园提升计划，预计年底前完工。",
        "建议在公园增设儿童游乐设施",
        "有市民建议在公园增设安全的儿童游乐设施。",
    ),
    (
        LetterKind::Consultation,
        "咨询灵活就业人员社保缴费",
        "我是灵活就业人员，想了解养老保险怎么缴费，缴费基数可以怎么选。",
        "灵活就业人员可通过“爱山东”APP或社保经办窗口登记缴费，缴费基数可在规定档次内自选。",
        "咨询灵活就业人员社保缴费",
        "有灵活就业人员咨询养老保险缴费方式和缴费基数。",
    ),
    (
        LetterKind::Help,
        "求助：农民工工资被拖欠",
        "我们在某工地干了三个月活，包工头一直拖欠工资不发，请帮忙协调解决。",
        "人社部门已约谈施工单位，拖欠工资已于本周全部发放到位。",
        "求助：农民工工资被拖欠",
        "有农民工反映在工地干活三个月，工资被拖欠。",
    ),
];

/// Why a demo writer was not satisfied.
const NOT_SATISFIED: &[&str] = &[
    "问题只解决了一半，希望继续跟进。",
    "答复时间太长，希望能更快一些。",
];

/// The units letters are routed to.
const UNITS: &[&str] = &[
    "housing",
    "urban_management",
    "market_regulation",
    "human_resources",
    "government_office",
];

/// Demo writers (made up): a name and a phone number each.
const WRITERS: &[(&str, &str)] = &[
    ("张先生", "13800000001"),
    ("李女士", "13800000002"),
    ("王先生", "13800000003"),
    ("刘女士", "13800000004"),
    ("陈先生", "13800000005"),
];

/// The demo's letters, written from the first day of the month two months before `now`'s
/// up to `now`.
fn letters(rng: &mut Prng, now: i64) -> Vec<LetterRow> {
    let local = omk_api::civil::CivilTime::local(now);
    let (year, month) = if local.month > 2 {
        (local.year, local.month - 2)
    } else {
        (local.year - 1, local.month + 10)
    };
    let first = clock::local_day_start(clock::days_from_civil(year, month, 1).unwrap_or(0));
    let days = (now - first) / DAY;
    let count = (days as f64 * LETTERS_PER_DAY) as u64;
    (0..count)
        .map(|_| {
            let created_at = first
                + i64::try_from(rng.below(u64::try_from(now - first).unwrap_or(1))).unwrap_or(0);
            letter(rng, created_at, now)
        })
        .collect()
}

/// One letter written at `created_at`, as far along as `now` allows.
fn letter(rng: &mut Prng, created_at: i64, now: i64) -> LetterRow {
    let (kind, title, text, reply, public_title, public_text) = *rng.pick(LETTERS);
    let (name, phone) = *rng.pick(WRITERS);
    let may_publish = rng.chance(0.6);
    let code = omk_api::tracking::from_bits(omk_api::mailbox::CODE_PREFIX, rng.next_u64());
    let mut row = LetterRow::received(
        NewLetter {
            kind,
            title: title.into(),
            text: text.into(),
            name: name.into(),
            phone: phone.into(),
            may_publish,
        },
        code,
        created_at,
    );
    let reviewed_at = created_at + rng.range(2, 20) * 3600;
    if reviewed_at > now {
        return row;
    }
    row.reviewed_at = Some(reviewed_at);
    if rng.chance(0.04) {
        row.state = LetterState::Declined;
        row.decline_reason = Some(*rng.pick(&DeclineReason::ALL));
        return row;
    }
    row.state = LetterState::Accepted;
    row.unit = Some((*rng.pick(UNITS)).into());
    let replied_at = reviewed_at + rng.range(1, 8) * DAY + rng.range(0, 8) * 3600;
    if replied_at > now {
        return row;
    }
    row.state = LetterState::Replied;
    row.reply = Some(reply.into());
    row.replied_at = Some(replied_at);
    let published_at = replied_at + rng.range(1, 3) * DAY;
    if may_publish && rng.chance(0.8) && published_at <= now {
        row.state = LetterState::Published;
        row.public = Some((public_title.into(), public_text.into()));
        row.published_at = Some(published_at);
    }
    let rated_at = replied_at + rng.range(1, 48) * 3600;
    if rng.chance(0.7) && rated_at <= now {
        row.rated_at = Some(rated_at);
        row.rating = Some(if rng.chance(0.94) {
            (Satisfaction::Satisfied, None)
        } else {
            let reason = rng
                .chance(0.7)
                .then(|| (*rng.pick(NOT_SATISFIED)).to_owned());
            (Satisfaction::NotSatisfied, reason)
        });
    }
    row
}

/// A collection's comments: text, and whether a moderator published it.
const COMMENTS: &[(&str, bool)] = &[
    ("建议加装电梯，方便老人上下楼。", true),
    ("希望改造时同步更换老化的水管和电线。", true),
    ("小区停车位太少，建议利用边角空地增加车位。", true),
    ("施工时请注意控制噪音，避开休息时间。", true),
    ("希望增加一些健身器材和休息座椅。", false),
];

/// Stores the demo's letters and collections inside the seeding transaction.
pub async fn store(tx: &mut Transaction<'static, Any>, now: i64) -> Result<(), sqlx::Error> {
    let mut rng = Prng::new(SEED);
    for row in letters(&mut rng, now) {
        db::letters::insert(tx, &row).await?;
    }
    let today = clock::local_day(now);
    let closed = CollectionFields {
        title: "老旧小区改造方案意见征集",
        text: "柳园街道老旧小区改造方案已形成初稿，现向社会公开征集意见。",
        opens_at: clock::local_day_start(today - 40),
        closes_at: clock::local_day_start(today - 10),
    };
    let open = CollectionFields {
        title: "城区公交线网优化意见征集",
        text: "为方便市民出行，市交通运输局拟优化城区公交线网，欢迎提出意见和建议。",
        opens_at: clock::local_day_start(today - 5),
        closes_at: clock::local_day_start(today + 10),
    };
    for (fields, noted) in [(closed, true), (open, false)] {
        let id = db::consultations::insert(tx, &fields, fields.opens_at - DAY).await?;
        db::consultations::publish(tx, id, fields.opens_at - DAY).await?;
        for (n, (text, published)) in COMMENTS.iter().enumerate() {
            let at = fields.opens_at + i64::try_from(n).unwrap_or(0) * DAY / 2 + 3600;
            if at >= now {
                continue;
            }
            let comment =
                db::consultations::add_comment(tx, id, text, CommentState::Pending, at).await?;
            if *published || noted {
                let state = if *published {
                    CommentState::Published
                } else {
                    CommentState::Rejected
                };
                db::consultations::moderate(tx, id, comment, state, at + 3600).await?;
            }
        }
        if noted {
            let note = "采纳加装电梯、更换老化管线和增加停车位的建议，已写入改造方案。";
            db::consultations::note(tx, id, note, fields.closes_at + 2 * DAY).await?;
        }
    }
    Ok(())
}
