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

/// The admin opens the month's cycle in the console with its planned days, and sets the
/// score's weights.
async fn open_cycle(walk: &Walk<'_>) -> Result<()> {
    let (b, city, month) = (walk.b, walk.city, walk.month);
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    set_value(b, "#cycle-new-month", &month.to_string()).await?;
    let stages = [
        "soliciting",
        "screening",
        "voting",
        "meeting",
        "decided",
        "implementing",
        "reviewing",
        "closed",
    ];
    let days = ["01", "08", "12", "20", "22", "25", "27", "28"];
    for (stage, day) in stages.iter().zip(days) {
        set_value(b, &format!("#cycle-day-{stage}"), &format!("{month}-{day}")).await?;
    }
    b.click("cycle-create").await?;
    console_stage(b, "soliciting").await?;
    for (name, weight) in WEIGHTS {
        set_value(b, &format!("#weight-{name}"), &weight.to_string()).await?;
    }
    b.click("cycle-weights-save").await?;
    walk.until(&format!("/api/v1/cycles/{month}"), |c| {
        c["weights"]["proposals"] == 10
    })
    .await?;
    let formula = b.wait_text("cycle-formula", |t| t.contains("40")).await?;
    let cycle = walk.api(&format!("/api/v1/cycles/{month}")).await?;
    if cycle["weights"]
        != json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10})
        || cycle["stage"] != "soliciting"
    {
        return Err(format!("the opened cycle is {cycle}").into());
    }
    println!("  {month}: opened in the console; formula {formula:?}");
    Ok(())
}

/// Proposals from the kiosk (with a phone for a call-back) and from a phone opened at the
/// kiosk's QR code; another kiosk's advert.
async fn call_for_topics(walk: &mut Walk<'_>) -> Result<()> {
    let (b, city) = (walk.b, walk.city);
    put_phone_away(b).await?;
    kiosk_question(b, city, "soliciting").await?;
    // An empty proposal is refused in words, on its field.
    b.click("proposal-submit").await?;
    b.wait_text("proposal-title-error", |t| !t.is_empty())
        .await?;
    walk.axe("kiosk proposal refused").await?;
    walk.lifts = propose(
        b,
        "老旧小区加装电梯",
        "东昌府区六层老楼没有电梯，老人上下楼难。",
        Some(PHONE),
    )
    .await?;
    let scanned = scan_question(b).await?;
    let expected = format!("{}/?view=vote", city.origin());
    if scanned != expected {
        return Err(format!("the question's QR code says {scanned:?}, not {expected:?}").into());
    }

    hold_phone(b).await?;
    b.open(&scanned).await?;
    phone_stage(b, "soliciting").await?;
    walk.axe("phone call for topics").await?;
    walk.parking = propose(
        b,
        "小区停车难",
        "柳园街道小区车位不够，晚上车停满消防通道。",
        None,
    )
    .await?;
    b.open(&scanned).await?;
    phone_stage(b, "soliciting").await?;
    walk.parking_again = propose(b, "车位不够用", "小区车位太少，希望建立体停车场。", None).await?;
    put_phone_away(b).await?;

    let (status, body) = request(
        city.addr(),
        "POST",
        &format!("/api/v1/cycles/{}/proposals", walk.month),
        &[],
        &json!({"title": "广告广告广告", "text": "优惠酒店预订请加微信", "district": "linqing"})
            .to_string(),
    )
    .await?;
    if status != 201 {
        return Err(format!("another kiosk's proposal answered {status}: {body}").into());
    }
    walk.advert = serde_json::from_str::<Value>(&body)?["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Nothing is public before a moderator has read it.
    let shown = walk
        .api(&format!("/api/v1/cycles/{}/proposals", walk.month))
        .await?;
    if shown != json!([]) {
        return Err(format!("proposals are public before moderation: {shown}").into());
    }
    println!(
        "  proposals {} (kiosk), {} and {} (phone), {} (another kiosk)",
        walk.lifts, walk.parking, walk.parking_again, walk.advert
    );
    Ok(())
}

/// The moderator publishes two, merges the repeat into its twin and rejects the advert with
/// a public reason; the kiosk shows the published ones and nobody's phone.
async fn moderation(walk: &Walk<'_>) -> Result<()> {
    let (b, city) = (walk.b, walk.city);
    console_sign_in(b, city, "mei.moderator").await?;
    console_screen(b, city, "cycle").await?;
    moderate(b, &walk.lifts, "publish", None, None).await?;
    moderate(b, &walk.parking, "publish", None, None).await?;
    moderate(
        b,
        &walk.parking_again,
        "merge",
        Some(&walk.parking),
        Some("与“小区停车难”建议相同"),
    )
    .await?;
    moderate(
        b,
        &walk.advert,
        "reject",
        None,
        Some("广告内容，与政务无关"),
    )
    .await?;
    // Proposals sent within the same second are listed in code order: compared as sets.
    let mut states: Vec<(String, String)> = {
        let shown = walk
            .api(&format!("/api/v1/cycles/{}/proposals", walk.month))
            .await?;
        shown
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["code"].as_str().unwrap_or_default().to_owned(),
                    p["state"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let mut expected = vec![
        (walk.lifts.clone(), "published".to_owned()),
        (walk.parking.clone(), "published".to_owned()),
        (walk.parking_again.clone(), "merged".to_owned()),
    ];
    states.sort();
    expected.sort();
    if states != expected {
        return Err(format!("the public proposals are {states:?}, not {expected:?}").into());
    }
    let rejected = walk
        .api(&format!("/api/v1/proposals/{}", walk.advert))
        .await?;
    if rejected["state"] != "rejected" || rejected["reason"] != "广告内容，与政务无关" {
        return Err(format!("the advert's status is {rejected}").into());
    }

    put_phone_away(b).await?;
    kiosk_question(b, city, "soliciting").await?;
    b.wait_script(
        "return document.querySelectorAll('[data-testid=proposal]').length;",
        |v| v == &json!(3),
    )
    .await?;
    let page = page_text(b).await?;
    for hidden in [PHONE, "广告广告广告"] {
        if page.contains(hidden) {
            return Err(format!("the kiosk shows {hidden:?}").into());
        }
    }
    Ok(())
}

/// The admin imports the hotline's counts from a CSV file, moves to screening and builds the
/// shortlist with the proposals linked; the kiosk shows it without tallies.
async fn screening(walk: &Walk<'_>) -> Result<()> {
    let (b, city) = (walk.b, walk.city);
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    // The hotline's export, a CSV file the admin picks in the console.
    let file = std::env::temp_dir().join(format!("omk-hotline-{}.csv", std::process::id()));
    std::fs::write(&file, HOTLINE_CSV)?;
    b.testid("signals-file")
        .await?
        .send_keys(&file.display().to_string())
        .await?;
    b.click("signals-import").await?;
    let imported = b.wait_text("signals-report", |t| t.contains("180")).await;
    std::fs::remove_file(&file)?;
    println!("  hotline import in the console: {:?}", imported?);
    move_stage(b, "screening").await?;
    for (id, zh, en, unit, category, position, proposals) in [
        (
            "parking-spaces",
            "增加小区停车位",
            "More parking spaces",
            "urban",
            "parking",
            "0",
            walk.parking.as_str(),
        ),
        (
            "lifts",
            "老旧小区加装电梯",
            "Lifts for old buildings",
            "housing",
            "building",
            "1",
            walk.lifts.as_str(),
        ),
    ] {
        b.click("candidate-new").await?;
        set_value(b, "#candidate-id", id).await?;
        set_value(b, "#candidate-title-zh", zh).await?;
        set_value(b, "#candidate-title-en", en).await?;
        choose(b, "#candidate-unit", unit).await?;
        choose(b, "#candidate-category", category).await?;
        set_value(b, "#candidate-position", position).await?;
        set_value(b, "#candidate-proposals", proposals).await?;
        b.click("candidate-save").await?;
        b.wait_for(&format!("[data-testid=candidate-row][data-id='{id}']"))
            .await?;
    }
    let cycle = walk.api(&format!("/api/v1/cycles/{}", walk.month)).await?;
    let counts: Vec<(String, i64, i64)> = candidates(&cycle)
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_owned(),
                c["hotline"].as_i64().unwrap_or(-1),
                c["proposal_count"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    // Parking: 80 + 40 calls, its proposal and the one merged into it; lifts: 60 calls, one.
    let expected = vec![
        ("parking-spaces".to_owned(), 120, 2),
        ("lifts".to_owned(), 60, 1),
    ];
    if counts != expected {
        return Err(format!("the shortlist counts {counts:?}, not {expected:?}").into());
    }
    put_phone_away(b).await?;
    kiosk_question(b, city, "screening").await?;
    b.wait_script(
        "return document.querySelectorAll('[data-testid=topic]').length;",
        |v| v == &json!(2),
    )
    .await?;
    if b.count("[data-testid=vote-button]").await? != 0 {
        return Err("the shortlist takes votes before voting opens".into());
    }
    walk.axe("kiosk shortlist").await?;
    Ok(())
}

/// Voting: the weights are fixed (a change is refused), codes are printed, the public votes
/// at the kiosk and on the phone, representatives vote with codes (a reused one refused),
/// and the provisional score is the test's own arithmetic; the admin's choice needs a reason
/// only when it is not the top score.
async fn voting(walk: &Walk<'_>) -> Result<()> {
    let (b, city, month) = (walk.b, walk.city, walk.month);
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    move_stage(b, "voting").await?;
    // The weights are fixed now: a change in the console is refused in words and changes
    // nothing.
    set_value(b, "#weight-public", "35").await?;
    set_value(b, "#weight-proposals", "5").await?;
    b.click("cycle-weights-save").await?;
    let locked = say("problem.weights_locked", &[]);
    b.wait_text("cycle-weights-error", |t| t.contains(&locked))
        .await?;
    let weights = walk.api(&format!("/api/v1/cycles/{month}")).await?["weights"].clone();
    if weights["public"] != 30 {
        return Err(format!("a late change of weights was kept: {weights}").into());
    }
    set_value(b, "#codes-count", "8").await?;
    b.click("codes-issue").await?;
    b.wait_script(
        "return document.querySelectorAll('[data-testid=issued-code]').length;",
        |v| v == &json!(8),
    )
    .await?;
    let codes: Vec<String> = b
        .script(
            "return [...document.querySelectorAll('[data-testid=issued-code]')].map(c => c.innerText.trim());",
        )
        .await?
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_owned))
        .collect();

    // The public: one vote at the kiosk, one on a phone, and other kiosks' votes.
    put_phone_away(b).await?;
    kiosk_question(b, city, "voting").await?;
    walk.axe("kiosk voting").await?;
    // A representative votes at the kiosk; the same code again is refused in words.
    represent(b, &codes[0], "parking-spaces").await?;
    b.wait_text("represent-outcome", |t| {
        t == say("cycle.represent.done", &[])
    })
    .await?;
    public_vote(b, "lifts").await?;
    // One vote per visit: the buttons are spent.
    if b.count("[data-testid=vote-button]:not([disabled])").await? != 0 {
        return Err("the kiosk offers a second vote in the same visit".into());
    }
    kiosk_question(b, city, "voting").await?;
    represent(b, &codes[0], "lifts").await?;
    b.expect_console_error("/representative-votes - Failed to load resource: *409*");
    b.wait_text("represent-outcome", |t| t == say("problem.code_used", &[]))
        .await?;
    let scanned = scan_question(b).await?;
    hold_phone(b).await?;
    b.open(&scanned).await?;
    phone_stage(b, "voting").await?;
    walk.axe("phone voting").await?;
    represent(b, &codes[7], "lifts").await?;
    b.wait_text("represent-outcome", |t| {
        t == say("cycle.represent.done", &[])
    })
    .await?;
    public_vote(b, "lifts").await?;
    put_phone_away(b).await?;
    for (topic, n) in [("parking-spaces", 20), ("lifts", 28)] {
        for _ in 0..n {
            let (status, body) = request(
                city.addr(),
                "POST",
                "/api/v1/votes",
                &[],
                &json!({ "topic": topic }).to_string(),
            )
            .await?;
            if status != 201 {
                return Err(format!("another kiosk's vote answered {status}: {body}").into());
            }
        }
    }
    for (code, topic) in codes[1..6]
        .iter()
        .map(|c| (c, "parking-spaces"))
        .chain([(&codes[6], "lifts")])
    {
        let (status, body) = request(
            city.addr(),
            "POST",
            &format!("/api/v1/cycles/{month}/representative-votes"),
            &[],
            &json!({ "code": code, "candidate": topic }).to_string(),
        )
        .await?;
        if status != 201 {
            return Err(format!("a representative's vote answered {status}: {body}").into());
        }
    }

    // The tallies, each channel apart, on the kiosk.
    kiosk_question(b, city, "voting").await?;
    for (id, public, representatives) in [("parking-spaces", 20, 6), ("lifts", 30, 2)] {
        let want_public = say("cycle.tally.public", &[("n", &public.to_string())]);
        let want_reps = say(
            "cycle.tally.representatives",
            &[("n", &representatives.to_string())],
        );
        b.wait_text(&format!("tallies-{id}"), |t| {
            t.contains(&want_public) && t.contains(&want_reps)
        })
        .await?;
    }
    // The provisional score, by this test's own arithmetic: each count over the shortlist's
    // largest, times its weight. Parking: 6 of 6 representatives, 20 of 30 public votes,
    // 120 of 120 calls, 2 of 2 proposals; lifts: 2, 30, 60, 1.
    let expected = [
        ("parking-spaces", score(6, 6, 20, 30, 120, 120, 2, 2)),
        ("lifts", score(2, 6, 30, 30, 60, 120, 1, 2)),
    ];
    if expected[0].1 != 90.0 || expected[1].1 != 58.33 {
        return Err(format!("the test's own arithmetic gave {expected:?}").into());
    }
    let cycle = walk.api(&format!("/api/v1/cycles/{month}")).await?;
    for (id, total) in expected {
        let shown = candidates(&cycle)
            .find(|c| c["id"] == id)
            .and_then(|c| c["score"]["score"].as_f64());
        if shown != Some(total) {
            return Err(format!("{id} scores {shown:?}, not {total}").into());
        }
    }

    // The choice: lifts is not the top score, so it needs a public reason.
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    b.wait_text("candidate-score", |t| {
        t.contains("90.00") || t.contains("90")
    })
    .await?;
    choose(b, "#choice-candidate", "parking-spaces").await?;
    b.click("choice-save").await?;
    walk.until(&format!("/api/v1/cycles/{month}"), |c| {
        c["choice"]["candidate"] == "parking-spaces"
    })
    .await?;
    let chosen = walk.api(&format!("/api/v1/cycles/{month}")).await?["choice"].clone();
    if chosen != json!({"candidate": "parking-spaces", "reason": null})
        && chosen != json!({"candidate": "parking-spaces"})
    {
        return Err(format!("the top score chosen without a reason is {chosen}").into());
    }
    console_screen(b, city, "cycle").await?;
    choose(b, "#choice-candidate", "lifts").await?;
    set_value(b, "#choice-reason", "").await?;
    b.click("choice-save").await?;
    refused(b, "choice").await?;
    let kept = walk.api(&format!("/api/v1/cycles/{month}")).await?["choice"]["candidate"].clone();
    if kept != "parking-spaces" {
        return Err(format!("a choice refused for want of a reason changed it to {kept}").into());
    }
    let reason = "加装电梯关系老人出行安全，且已有省级专项资金";
    set_value(b, "#choice-reason", reason).await?;
    b.click("choice-save").await?;
    walk.until(&format!("/api/v1/cycles/{month}"), |c| {
        c["choice"]["candidate"] == "lifts"
    })
    .await?;
    let chosen = walk.api(&format!("/api/v1/cycles/{month}")).await?["choice"].clone();
    if chosen != json!({"candidate": "lifts", "reason": reason}) {
        return Err(format!("the choice with its reason is {chosen}").into());
    }
    Ok(())
}

/// The meeting: two public seats and five invited; another visitor and the kiosk take the
/// public seats, the phone joins the waitlist and moves up when the other visitor cancels,
/// is checked in at the door and leaves an opinion that only the organisers read.
async fn meeting(walk: &Walk<'_>) -> Result<()> {
    let (b, city, month) = (walk.b, walk.city, walk.month);
    let now = city.clock().ok_or("no clock")?.now();
    let starts_at = now + 86_400;
    let event = as_admin(
        city,
        "POST",
        "/api/v1/admin/events",
        &json!({"title": "一月一题问政会：老旧小区加装电梯", "unit": "聊城市住房和城乡建设局",
                "district": "东昌府区", "theme": "一月一题", "place": "市政府第三会议室",
                "starts_at": starts_at, "ends_at": starts_at + 7_200, "capacity": 2,
                "registration": true, "summary": "市民代表、利益相关方与职能部门面对面。"}),
    )
    .await?;
    let event = event["id"].as_i64().ok_or("an event without an id")?;
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    set_value(b, "#meeting-event", &event.to_string()).await?;
    set_value(b, "#meeting-invited", "5").await?;
    b.click("meeting-save").await?;
    walk.until(&format!("/api/v1/cycles/{month}"), |c| {
        c["outcome"]["meeting"]["event"] == event
    })
    .await?;
    move_stage(b, "meeting").await?;

    // Voting has closed: the scores are frozen, and the kiosk shows the table.
    let frozen = walk.api(&format!("/api/v1/cycles/{month}")).await?;
    if frozen["scores_frozen"] != true {
        return Err(format!("the scores are not frozen at the meeting: {frozen}").into());
    }
    put_phone_away(b).await?;
    kiosk_question(b, city, "meeting").await?;
    b.wait_text("cycle-choice", |t| t == "老旧小区加装电梯")
        .await?;
    b.wait_text("cycle-choice-reason", |t| t.contains("省级专项资金"))
        .await?;
    let totals = b
        .script(
            "return [...document.querySelectorAll('[data-testid=choice] [data-testid=score-row]')]\
               .map(r => [r.dataset.id, r.querySelector('[data-testid=score-total]').innerText.trim()]);",
        )
        .await?;
    if totals != json!([["parking-spaces", "90.00"], ["lifts", "58.33"]]) {
        return Err(format!("the kiosk's score table shows {totals}").into());
    }
    walk.axe("kiosk meeting with its score table").await?;
    let seats = |left: i64, waitlist: i64| {
        say(
            "cycle.meeting.seats",
            &[
                ("left", &left.to_string()),
                ("total", "2"),
                ("waitlist", &waitlist.to_string()),
                ("invited", "5"),
            ],
        )
    };
    b.wait_text("meeting-seats", |t| t == seats(2, 0)).await?;

    // Another visitor takes a seat; the kiosk takes the last one, with a check-in code.
    let (status, other) = request(
        city.addr(),
        "POST",
        &format!("/api/v1/events/{event}/registrations"),
        &[],
        r#"{"seats":1}"#,
    )
    .await?;
    if status != 201 {
        return Err(format!("another visitor's registration answered {status}: {other}").into());
    }
    let other: Value = serde_json::from_str(&other)?;
    let other_code = other["code"].as_str().unwrap_or_default().to_owned();
    b.click("event-register").await?;
    b.wait_text("register-outcome", |t| t.contains("签到码 CK-"))
        .await?;

    // The phone, from the question's QR code: the meeting is full, so it joins the waitlist.
    let scanned = scan_question(b).await?;
    hold_phone(b).await?;
    b.open(&scanned).await?;
    phone_stage(b, "meeting").await?;
    b.wait_text("meeting-seats", |t| t == seats(0, 0)).await?;
    b.wait_text("event-register", |t| t == say("register.waitlist", &[]))
        .await?;
    b.click("event-register").await?;
    let waiting = b
        .wait_text("register-outcome", |t| t.contains("第 1 位"))
        .await?;
    let code = waiting
        .split_whitespace()
        .last()
        .filter(|c| c.starts_with("RG-"))
        .ok_or_else(|| format!("no registration code in {waiting:?}"))?
        .to_owned();
    let followed = qr::scan(b, "[data-testid=registration-qr]").await?;
    let expected = format!("{}/?view=events&registration={code}", city.origin());
    if followed != expected {
        return Err(format!("the registration's QR code says {followed:?}").into());
    }
    b.open(&followed).await?;
    b.wait_text("registration-state", |t| {
        t == say("registration.waitlisted", &[("n", "1")])
    })
    .await?;
    walk.axe("phone registration waiting").await?;
    if b.count("[data-testid=registration-checkin]").await? != 0 {
        return Err("a waiting registration shows a check-in code".into());
    }

    // The other visitor cancels: the phone's registration moves up and gets its code.
    let (status, body) = request(
        city.addr(),
        "DELETE",
        &format!("/api/v1/registrations/{other_code}"),
        &[],
        "",
    )
    .await?;
    if status != 200 {
        return Err(format!("the cancellation answered {status}: {body}").into());
    }
    b.client.refresh().await?;
    b.wait_text("registration-state", |t| {
        t == say("registration.admitted", &[])
    })
    .await?;
    let checkin = b
        .wait_text("registration-checkin", |t| t.contains("CK-"))
        .await?;
    walk.axe("phone registration admitted").await?;
    let checkin = checkin
        .split_whitespace()
        .last()
        .and_then(|c| c.rsplit('：').next())
        .unwrap_or_default()
        .to_owned();
    put_phone_away(b).await?;

    // At the door, the admin checks the phone's code in; the same code again is refused.
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    set_value(b, "#checkin-code", &checkin).await?;
    b.click("checkin-send").await?;
    b.wait_text("checkin-result", |t| t.contains('1')).await?;
    set_value(b, "#checkin-code", &checkin).await?;
    b.click("checkin-send").await?;
    refused(b, "checkin").await?;

    // Checked in, the attendee leaves an opinion on the phone.
    hold_phone(b).await?;
    b.open(&followed).await?;
    b.wait_text("registration-state", |t| {
        t == say("registration.checked_in", &[])
    })
    .await?;
    walk.axe("phone registration checked in").await?;
    b.type_into("opinion-text", OPINION).await?;
    b.click("opinion-submit").await?;
    b.wait_text("opinion-outcome", |t| {
        t == say("registration.opinion.done", &[])
    })
    .await?;
    b.outbox_drained().await?;
    put_phone_away(b).await?;
    for path in [
        format!("/api/v1/cycles/{month}"),
        "/api/v1/cycle".to_owned(),
        "/api/v1/cycles".to_owned(),
        format!("/api/v1/events/{event}"),
        format!("/api/v1/registrations/{code}"),
    ] {
        let (_, body) = request(city.addr(), "GET", &path, &[], "").await?;
        if body.contains(OPINION) {
            return Err(format!("{path} shows the attendee's opinion").into());
        }
    }
    // The organisers read it, and the reading is audited.
    console_sign_in(b, city, "zhao.supervisor").await?;
    console_screen(b, city, "cycle").await?;
    b.click("opinions-read").await?;
    b.wait_script(
        "return [...document.querySelectorAll('[data-testid=opinion-row]')].map(r => r.innerText).join('|');",
        |v| v.as_str().is_some_and(|t| t.contains(OPINION)),
    )
    .await?;
    println!("  meeting {event}: {code} waited, moved up, checked in with {checkin}");
    Ok(())
}

/// The decision with a measure for each of two units, once the meeting is over; returns the
/// measures' ids (housing's, urban's).
async fn decision(walk: &Walk<'_>) -> Result<(i64, i64)> {
    let (b, city, month) = (walk.b, walk.city, walk.month);
    let clock = city.clock().ok_or("no clock")?;
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    set_value(b, "#decision-zh", "年内为东昌府区十二个老旧小区加装电梯").await?;
    set_value(
        b,
        "#decision-en",
        "Lifts for twelve old estates in Dongchangfu this year",
    )
    .await?;
    choose(b, "#decision-unit", "housing").await?;
    b.click("decision-save").await?;
    walk.until(&format!("/api/v1/cycles/{month}"), |c| {
        c["outcome"]["decision"]["lead_unit"] == "housing"
    })
    .await?;
    let today = day_of(clock.now());
    let soon = day_of(clock.now() + 3 * 86_400);
    let later = day_of(clock.now() + 60 * 86_400);
    for (title, unit, due, status, percent) in [
        (
            "完成首批四个小区",
            "housing",
            soon.as_str(),
            "in_progress",
            "40",
        ),
        (
            "施工期间临时停车",
            "urban",
            later.as_str(),
            "not_started",
            "10",
        ),
    ] {
        b.click("measure-new").await?;
        set_value(b, "#measure-title", title).await?;
        choose(b, "#measure-owner", unit).await?;
        set_value(b, "#measure-due", due).await?;
        choose(b, "#measure-status", status).await?;
        set_value(b, "#measure-percent", percent).await?;
        b.click("measure-save").await?;
        b.wait_script(
            &format!(
                "return [...document.querySelectorAll('[data-testid=measure-row]')]\
                   .some(r => r.innerText.includes({title:?}));"
            ),
            |v| v == &json!(true),
        )
        .await?;
    }
    // The meeting has not taken place yet: no decision is published before it.
    b.click("cycle-move").await?;
    refused(b, "cycle-move").await?;
    // A day and three hours later the meeting is over.
    clock.advance(86_400 + 3 * 3_600);
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    move_stage(b, "decided").await?;
    move_stage(b, "implementing").await?;
    let cycle = walk.api(&format!("/api/v1/cycles/{month}")).await?;
    let ids: Vec<(String, i64)> = cycle["outcome"]["measures"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            (
                m["owner_unit"].as_str().unwrap_or_default().to_owned(),
                m["id"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    let id = |unit: &str| {
        ids.iter()
            .find(|(u, _)| u == unit)
            .map(|(_, id)| *id)
            .ok_or_else(|| Error::from(format!("no {unit} measure in {ids:?}")))
    };
    // (40 + 10) / 2
    if cycle["outcome"]["progress"] != json!(25.0) {
        return Err(format!(
            "the decision's progress is {}",
            cycle["outcome"]["progress"]
        )
        .into());
    }
    println!("  decided on {today}; measures due {soon} and {later}");
    Ok((id("housing")?, id("urban")?))
}

/// The housing operator keeps housing's measure in the console and cannot touch urban's; a
/// measure past its day shows as delayed once the server's clock has moved on.
async fn implementation(walk: &Walk<'_>, housing: i64, urban: i64) -> Result<()> {
    let (b, city, month) = (walk.b, walk.city, walk.month);
    console_sign_in(b, city, "li.housing").await?;
    console_screen(b, city, "cycle").await?;
    let rows = b
        .wait_script(
            "return [...document.querySelectorAll('[data-testid=measure-row]')].map(r => r.dataset.id);",
            |v| v.as_array().is_some_and(|a| !a.is_empty()),
        )
        .await?;
    if rows != json!([housing.to_string()]) {
        return Err(format!("the housing operator sees the measures {rows}").into());
    }
    b.wait_for(&format!(
        "[data-testid=measure-row][data-id='{housing}'] [data-testid=measure-edit]"
    ))
    .await?
    .click()
    .await?;
    set_value(b, "#measure-percent", "70").await?;
    b.click("measure-save").await?;
    b.wait_script(
        &format!(
            "const r = document.querySelector(\"[data-testid=measure-row][data-id='{housing}']\");\
             return !!r && r.innerText.includes('70%');"
        ),
        |v| v == &json!(true),
    )
    .await?;
    b.wait_for(&format!(
        "[data-testid=measure-row][data-id='{housing}'] [data-testid=measure-edit]"
    ))
    .await?
    .click()
    .await?;
    set_value(b, "#measure-progress-text", "两个小区已完成井道施工").await?;
    b.click("measure-progress-add").await?;
    b.wait_script(
        &format!(
            "const r = document.querySelector(\"[data-testid=measure-row][data-id='{housing}']\");\
             return !!r && r.innerText.includes('两个小区已完成井道施工');"
        ),
        |v| v == &json!(true),
    )
    .await?;

    // Urban's measure is not theirs: refused, audited, nothing changed.
    let before = walk.api(&format!("/api/v1/cycles/{month}")).await?;
    let (cookie, csrf) = sign_in(city.addr(), "li.housing", PASSWORD).await?;
    let (status, body) = request(
        city.addr(),
        "PUT",
        &format!("/api/v1/admin/measures/{urban}"),
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        &json!({"title": "施工期间临时停车", "owner_unit": "urban", "due": "2027-01-31",
                "status": "done", "percent": 100})
        .to_string(),
    )
    .await?;
    if status != 403 {
        return Err(format!("another unit's measure answered {status}: {body}").into());
    }
    if walk.api(&format!("/api/v1/cycles/{month}")).await? != before {
        return Err("a refused edit changed the cycle".into());
    }
    // (70 + 10) / 2
    put_phone_away(b).await?;
    kiosk_question(b, city, "implementing").await?;
    b.wait_text("decision-progress", |t| {
        t == say("cycle.decision.progress", &[("percent", "40%")])
    })
    .await?;

    // Five days on, housing's measure is past its day and not done: delayed.
    city.clock().ok_or("no clock")?.advance(5 * 86_400);
    kiosk_question(b, city, "implementing").await?;
    let statuses = b
        .wait_script(
            "return [...document.querySelectorAll('[data-testid=measure]')].map(m => m.dataset.status);",
            |v| v == &json!(["delayed", "not_started"]),
        )
        .await?;
    let page = page_text(b).await?;
    if !page.contains(&say("cycle.measure.delayed", &[])) {
        return Err(format!("the kiosk does not say delayed ({statuses})").into());
    }
    walk.axe("kiosk measures").await?;
    Ok(())
}

/// "Was it solved?" at the kiosk and on the phone (and two other visitors), the figure with
/// its n; closing refused while "not solved" outnumbers "solved", allowed after a follow-up
/// measure.
async fn review_and_close(walk: &Walk<'_>) -> Result<()> {
    let (b, city, month) = (walk.b, walk.city, walk.month);
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    move_stage(b, "reviewing").await?;
    put_phone_away(b).await?;
    kiosk_question(b, city, "reviewing").await?;
    walk.axe("kiosk evaluation").await?;
    evaluate(b, "not_solved", 2).await?;
    b.wait_text("evaluation-n", |t| {
        t == say("cycle.figure.n", &[("n", "1")])
    })
    .await?;
    let scanned = scan_question(b).await?;
    hold_phone(b).await?;
    b.open(&scanned).await?;
    phone_stage(b, "reviewing").await?;
    evaluate(b, "solved", 5).await?;
    b.wait_text("evaluation-n", |t| {
        t == say("cycle.figure.n", &[("n", "2")])
    })
    .await?;
    put_phone_away(b).await?;
    for (outcome, stars) in [("not_solved", 1), ("partly", 4)] {
        let (status, body) = request(
            city.addr(),
            "POST",
            &format!("/api/v1/cycles/{month}/evaluations"),
            &[],
            &json!({ "outcome": outcome, "stars": stars }).to_string(),
        )
        .await?;
        if status != 201 {
            return Err(format!("a visitor's evaluation answered {status}: {body}").into());
        }
    }
    // n = 4: solved 1 (25%), partly 1 (25%), not solved 2 (50%); (2 + 5 + 1 + 4) / 4 = 3.0.
    kiosk_question(b, city, "reviewing").await?;
    let figure = say(
        "cycle.figure.shares",
        &[
            ("solved", "25"),
            ("partly", "25"),
            ("not_solved", "50"),
            ("stars", "3.0"),
        ],
    );
    b.wait_text("evaluation-figure-text", |t| t == figure)
        .await?;
    b.wait_text("evaluation-n", |t| {
        t == say("cycle.figure.n", &[("n", "4")])
    })
    .await?;

    // Two "not solved" against one "solved": closing waits for a follow-up measure.
    console_sign_in(b, city, "chief").await?;
    console_screen(b, city, "cycle").await?;
    b.click("cycle-move").await?;
    refused(b, "cycle-move").await?;
    let clock = city.clock().ok_or("no clock")?;
    b.click("measure-new").await?;
    set_value(b, "#measure-title", "回访未解决的小区").await?;
    choose(b, "#measure-owner", "housing").await?;
    set_value(b, "#measure-due", &day_of(clock.now() + 30 * 86_400)).await?;
    choose(b, "#measure-status", "not_started").await?;
    set_value(b, "#measure-percent", "0").await?;
    b.click("measure-follow-up").await?;
    b.click("measure-save").await?;
    b.wait_script(
        "return [...document.querySelectorAll('[data-testid=measure-row]')]\
           .some(r => r.innerText.includes('回访未解决的小区'));",
        |v| v == &json!(true),
    )
    .await?;
    move_stage(b, "closed").await?;
    // The admin signs out from the cycle screen, a cycle on it: the sign-in form, and no
    // error in the browser's console.
    console_sign_out(b).await?;
    Ok(())
}

/// The archive: the closed month with its choice, score table, decision, measures and
/// evaluation, on the kiosk and in the API.
async fn archive(walk: &Walk<'_>) -> Result<()> {
    let (b, city, month) = (walk.b, walk.city, walk.month);
    let listed = walk.api("/api/v1/cycles").await?;
    let first = listed
        .as_array()
        .and_then(|a| a.first())
        .cloned()
        .unwrap_or_default();
    if first["month"] != month.to_string()
        || first["stage"] != "closed"
        || first["chosen"] != "lifts"
    {
        return Err(format!("the archive lists {listed}").into());
    }
    put_phone_away(b).await?;
    kiosk_question(b, city, "closed").await?;
    b.click("cycle-archive").await?;
    b.wait_for("[data-testid=archive-month]")
        .await?
        .click()
        .await?;
    b.wait_text("cycle-choice", |t| t == "老旧小区加装电梯")
        .await?;
    b.wait_text("evaluation-n", |t| {
        t == say("cycle.figure.n", &[("n", "4")])
    })
    .await?;
    let measures = b.count("[data-testid=measure]").await?;
    if measures != 3 {
        return Err(format!("the archived month shows {measures} measures, not 3").into());
    }
    walk.axe("kiosk archived month").await?;
    let page = page_text(b).await?;
    for private in [PHONE, OPINION] {
        if page.contains(private) {
            return Err(format!("the archive shows {private:?}").into());
        }
    }
    for path in [
        format!("/api/v1/cycles/{month}"),
        format!("/api/v1/cycles/{month}/proposals"),
        "/api/v1/cycles".to_owned(),
        format!("/api/v1/proposals/{}", walk.lifts),
    ] {
        let (_, body) = request(city.addr(), "GET", &path, &[], "").await?;
        for private in [PHONE, OPINION] {
            if body.contains(private) {
                return Err(format!("{path} shows {private:?}").into());
            }
        }
    }
    Ok(())
}

// --- steps a person takes ---

/// The kiosk's question screen at `stage`, from a fresh visit.
async fn kiosk_question(b: &Browser, city: &TestServer, stage: &str) -> Result<()> {
    b.start_kiosk(&format!("{}/?idle=900", city.origin()))
        .await?;
    b.click("nav-vote").await?;
    b.wait_for(&format!("[data-testid=cycle][data-stage={stage}]"))
        .await?;
    let now = say(
        "cycle.now",
        &[("stage", &say(&format!("cycle.stage.{stage}"), &[]))],
    );
    b.wait_text("cycle-stage", |t| t == now).await?;
    Ok(())
}

/// The phone page a QR code opened shows the question at `stage`.
async fn phone_stage(b: &Browser, stage: &str) -> Result<()> {
    b.wait_for(&format!("[data-testid=cycle][data-stage={stage}]"))
        .await?;
    if b.count("[data-testid=nav-events]").await? != 0 {
        return Err("the phone page shows the kiosk's navigation".into());
    }
    Ok(())
}

/// Fills and sends the proposal form; returns the tracking code on the receipt.
async fn propose(b: &Browser, title: &str, text: &str, phone: Option<&str>) -> Result<String> {
    b.type_into("proposal-title", title).await?;
    b.type_into("proposal-text", text).await?;
    b.wait_for("[data-testid=proposal-district] option[value=dongchangfu]")
        .await?;
    choose(b, "[data-testid=proposal-district]", "dongchangfu").await?;
    if let Some(phone) = phone {
        b.wait_for("#omk-proposal-phone")
            .await?
            .send_keys(phone)
            .await?;
        b.wait_for("[data-testid=propose] input[type=checkbox]")
            .await?
            .click()
            .await?;
    }
    b.click("proposal-submit").await?;
    let done = b
        .wait_text("proposal-outcome", |t| t.contains("PR-"))
        .await?;
    let code = done
        .rsplit('：')
        .next()
        .map(str::trim)
        .filter(|c| c.starts_with("PR-"))
        .ok_or_else(|| format!("no code in {done:?}"))?;
    Ok(code.to_owned())
}

/// Votes for candidate `id` on the shortlist.
async fn public_vote(b: &Browser, id: &str) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid=topic]:has([data-testid=tallies-{id}]) [data-testid=vote-button]"
    ))
    .await?
    .click()
    .await?;
    b.wait_text("vote-outcome", |t| t == say("vote.thanks", &[]))
        .await?;
    Ok(())
}

/// Casts a representative's vote with a printed `code`.
async fn represent(b: &Browser, code: &str, candidate: &str) -> Result<()> {
    b.wait_for("#omk-represent-code")
        .await?
        .send_keys(code)
        .await?;
    choose(b, "#omk-represent-candidate", candidate).await?;
    b.wait_for("[data-testid=represent] button[type=submit]")
        .await?
        .click()
        .await?;
    Ok(())
}

/// Answers "Was it solved?" with `stars`.
async fn evaluate(b: &Browser, outcome: &str, stars: u8) -> Result<()> {
    b.click(&format!("evaluate-{outcome}")).await?;
    b.click(&format!("star-{stars}")).await?;
    b.click("evaluate-submit").await?;
    b.wait_text("evaluate-outcome", |t| {
        t == say("cycle.evaluate.thanks", &[])
    })
    .await?;
    Ok(())
}

/// Decodes the question's QR code, brought into view, as a phone's camera would.
async fn scan_question(b: &Browser) -> Result<String> {
    b.wait_for("[data-testid=cycle-qr]").await?;
    b.script(
        "document.querySelector('[data-testid=cycle-qr]').scrollIntoView({block: 'center'}); return true;",
    )
    .await?;
    qr::scan(b, "[data-testid=cycle-qr]").await
}

// --- the console ---

/// Opens a console screen by its address.
async fn console_screen(b: &Browser, city: &TestServer, screen: &str) -> Result<()> {
    b.client
        .goto(&format!("{}/console/#/{screen}", city.origin()))
        .await?;
    b.client.refresh().await?;
    b.wait_for("[data-testid=whoami]").await?;
    if screen == "cycle" {
        // The month's cycle, or the word that it has none yet.
        b.wait_script(
            "return !!document.querySelector('[data-testid=cycle-stage], [data-testid=load-error]');",
            |v| v == &json!(true),
        )
        .await?;
    }
    Ok(())
}

/// Waits until the console's stage strip marks `stage` as the current one.
async fn console_stage(b: &Browser, stage: &str) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid=cycle-stage][data-stage={stage}][aria-current=step]"
    ))
    .await?;
    Ok(())
}

/// Waits until the console's form `feedback` says it refused: its alert, or a field's error.
async fn refused(b: &Browser, feedback: &str) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid={feedback}-error], [data-testid=field-error]"
    ))
    .await?;
    Ok(())
}

/// Moves the cycle on to `stage` with the console's button.
async fn move_stage(b: &Browser, stage: &str) -> Result<()> {
    b.click("cycle-move").await?;
    console_stage(b, stage).await
}

/// Moderates proposal `code` in the console's queue.
async fn moderate(
    b: &Browser,
    code: &str,
    action: &str,
    into: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid=proposal-row][data-code='{code}'] [data-testid=proposal-moderate]"
    ))
    .await?
    .click()
    .await?;
    choose(b, "#proposal-action", action).await?;
    if let Some(into) = into {
        b.wait_for(&format!("#proposal-into option[value='{into}']"))
            .await?;
        choose(b, "#proposal-into", into).await?;
    }
    if let Some(reason) = reason {
        set_value(b, "#proposal-reason", reason).await?;
    }
    b.click("proposal-moderation-save").await?;
    b.wait_script(
        &format!(
            "return !document.querySelector('#proposal-action') &&\
               !!document.querySelector(\"[data-testid=proposal-row][data-code='{code}']\");"
        ),
        |v| v == &json!(true),
    )
    .await?;
    Ok(())
}

/// Sets an input's value as typing does (an `input` event), also for date inputs whose
/// typing order depends on the browser's locale.
async fn set_value(b: &Browser, css: &str, value: &str) -> Result<()> {
    b.wait_for(css).await?;
    b.script(&format!(
        "const e = document.querySelector({css:?});\
         e.value = {value:?};\
         e.dispatchEvent(new Event('input', {{ bubbles: true }}));\
         e.dispatchEvent(new Event('change', {{ bubbles: true }}));\
         return true;"
    ))
    .await?;
    Ok(())
}

/// Chooses `value` in the select `css`, once it is offered.
async fn choose(b: &Browser, css: &str, value: &str) -> Result<()> {
    b.wait_for(&format!("{css} option[value='{value}']"))
        .await?;
    b.wait_for(css).await?.select_by_value(value).await?;
    Ok(())
}

// --- reading ---

impl Walk<'_> {
    /// Runs axe on the screen shown now, in both languages and every display mode.
    async fn axe(&self, screen: &str) -> Result<()> {
        self.axe.check(self.b, screen).await
    }

    /// Waits until the server's public answer to `path` satisfies `check`; returns it.
    async fn until(&self, path: &str, check: impl Fn(&Value) -> bool) -> Result<Value> {
        for _ in 0..100 {
            let answer = self.api(path).await?;
            if check(&answer) {
                return Ok(answer);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Err(format!("{path} never showed what the console saved").into())
    }

    /// The server's public answer to `path`.
    async fn api(&self, path: &str) -> Result<Value> {
        omk_e2e::http::get_json(self.city.addr(), path).await
    }
}

/// The candidates of a cycle as the API gives them.
fn candidates(cycle: &Value) -> impl Iterator<Item = &Value> {
    cycle["candidates"].as_array().into_iter().flatten()
}

/// Everything the page shows as text.
async fn page_text(b: &Browser) -> Result<String> {
    Ok(b.script("return document.body.innerText;")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// The widget's Chinese message `key` with its `{name}` parts filled in.
fn say(key: &str, parts: &[(&str, &str)]) -> String {
    let mut text = message("zh-CN", key).unwrap_or_else(|e| format!("<{e}>"));
    for (name, value) in parts {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// A score by this test's own arithmetic, to the hundredth: each count over the largest,
/// times its weight.
#[allow(clippy::too_many_arguments)]
fn score(
    reps: i64,
    reps_max: i64,
    public: i64,
    public_max: i64,
    calls: i64,
    calls_max: i64,
    proposals: i64,
    proposals_max: i64,
) -> f64 {
    let part = |n: i64, max: i64, weight: i64| weight as f64 * n as f64 / max as f64;
    let raw = part(reps, reps_max, WEIGHTS[0].1)
        + part(public, public_max, WEIGHTS[1].1)
        + part(calls, calls_max, WEIGHTS[2].1)
        + part(proposals, proposals_max, WEIGHTS[3].1);
    (raw * 100.0).round() / 100.0
}

/// `YYYY-MM-DD` of a moment, in Beijing time (UTC+8), as the city counts days.
fn day_of(at: i64) -> String {
    let (year, month, day) = omk_api::civil::civil_from_days(omk_api::civil::local_day(at));
    format!("{year:04}-{month:02}-{day:02}")
}
