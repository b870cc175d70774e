//! "One month, one question" walked as people walk it, on a city's fresh database: the
//! call for topics answered at the kiosk and on a phone opened from the kiosk's QR code, a
//! moderator's publishing, merging and rejecting in the console, the 12345 counts imported
//! from a CSV file, the shortlist, public and representatives' votes (a reused code refused,
//! a late change of weights refused), the score checked against this test's own arithmetic,
//! the choice with and without a public reason, a full meeting whose waitlist moves up when
//! someone cancels, the check-in and the attendee's private opinion, the decision with
//! measures of two units (the other unit refused), a measure made overdue by moving the
//! server's clock, "Was it solved?" from the kiosk and the phone, closing refused until a
//! follow-up measure exists, and the archive. On every stage's kiosk and phone screens,
//! axe finds nothing in either language or any display mode.

use omk_api::cycle::Month;
use omk_e2e::http::{request, sign_in};
use omk_e2e::phone::{hold_phone, put_phone_away};
use omk_e2e::{Browser, Error, Result, Suite, TestServer, message, qr};
use serde_json::{Value, json};

mod outcome;
mod selection;
mod steps;

use outcome::*;
use selection::*;
use steps::*;

use crate::World;
use crate::a11y::AxeLog;
use crate::city::{
    PASSWORD, as_admin, console_sign_in, console_sign_out, day_one, operator, put_all,
};
use crate::journeys::explained;

/// A proposer's phone, left for a call-back: in no public answer, ever.
const PHONE: &str = "13912345678";
/// An attendee's opinion: only the organisers read it.
const OPINION: &str = "希望加装电梯后公布维保电话和责任人";
/// The 12345 hotline's counts for the month, as the city's hotline exports them.
const HOTLINE_CSV: &str = "category,district,count\nparking,dongchangfu,80\nparking,linqing,40\nbuilding,dongchangfu,60\n";
/// The weights, fixed when voting opens.
const WEIGHTS: [(&str, i64); 4] = [
    ("representatives", 40),
    ("public", 30),
    ("hotline", 20),
    ("proposals", 10),
];

pub async fn run(suite: &mut Suite, w: &World) {
    let mut city = match fresh_city().await {
        Ok(city) => city,
        Err(e) => {
            suite
                .run("a_fresh_city_for_the_months_question", async { Err(e) })
                .await;
            return;
        }
    };
    suite
        .run(
            "one_months_question_from_the_call_for_topics_to_the_archive",
            explained(&w.browser, whole_cycle(&w.browser, &city)),
        )
        .await;
    put_phone_away(&w.browser).await.ok();
    city.stop().await;
}

/// A city on day one: no demo data; two units, two districts, two categories, and its
/// operators (an admin, a moderator, a supervisor, one operator for each unit).
async fn fresh_city() -> Result<TestServer> {
    let city = day_one().await?;
    let item = |path: &str, body: Value| (path.to_owned(), body);
    put_all(
        &city,
        &[
            item(
                "/api/v1/admin/units/housing",
                json!({"name_zh": "聊城市住房和城乡建设局", "name_en": "Housing Bureau"}),
            ),
            item(
                "/api/v1/admin/units/urban",
                json!({"name_zh": "聊城市城市管理局", "name_en": "Urban Management Bureau"}),
            ),
            item(
                "/api/v1/admin/districts/dongchangfu",
                json!({"name_zh": "东昌府区", "name_en": "Dongchangfu"}),
            ),
            item(
                "/api/v1/admin/districts/linqing",
                json!({"name_zh": "临清市", "name_en": "Linqing"}),
            ),
            item(
                "/api/v1/admin/categories/building",
                json!({"name_zh": "楼宇设施", "name_en": "Buildings", "unit": "housing"}),
            ),
            item(
                "/api/v1/admin/categories/parking",
                json!({"name_zh": "停车难", "name_en": "Parking", "unit": "urban"}),
            ),
            operator("chief", "admin", None),
            operator("mei.moderator", "moderator", None),
            operator("zhao.supervisor", "supervisor", None),
            operator("li.housing", "unit", Some("housing")),
            operator("wang.urban", "unit", Some("urban")),
        ],
    )
    .await?;
    Ok(city)
}

/// What the walk has learnt so far.
struct Walk<'a> {
    b: &'a Browser,
    city: &'a TestServer,
    month: Month,
    /// The proposals' codes: lifts (kiosk, with a phone), parking (phone), the same again
    /// (phone, to be merged), an advert (another kiosk, to be rejected).
    lifts: String,
    parking: String,
    parking_again: String,
    advert: String,
    /// What axe found on the screens so far.
    axe: AxeLog,
}

async fn whole_cycle(b: &Browser, city: &TestServer) -> Result<()> {
    b.expect_console_error("/api/v1/session - Failed to load resource: *");
    b.expect_console_error("/api/v1/admin/* - Failed to load resource: *");
    b.expect_console_error("/api/v1/cycles/* - Failed to load resource: *");
    b.expect_console_error("/api/v1/cycle - Failed to load resource: *");
    let clock = city.clock().ok_or("the city's server is not running")?;
    let month = Month::of_moment(clock.now());
    let mut walk = Walk {
        b,
        city,
        month,
        lifts: String::new(),
        parking: String::new(),
        parking_again: String::new(),
        advert: String::new(),
        axe: AxeLog::new()?,
    };
    open_cycle(&walk).await?;
    call_for_topics(&mut walk).await?;
    moderation(&walk).await?;
    screening(&walk).await?;
    voting(&walk).await?;
    meeting(&walk).await?;
    let (housing, urban) = decision(&walk).await?;
    implementation(&walk, housing, urban).await?;
    review_and_close(&walk).await?;
    archive(&walk).await?;
    put_phone_away(b).await?;
    walk.axe.verdict()
}
