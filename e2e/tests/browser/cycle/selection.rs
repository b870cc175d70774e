//! The selection, as the cycle journey walks it: the cycle opened, the call for topics,
//! moderation, the 12345 import and the shortlist, and the votes of both channels.

use super::*;

/// The admin opens the month's cycle in the console with its planned days, and sets the
/// score's weights.
pub(super) async fn open_cycle(walk: &Walk<'_>) -> Result<()> {
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
pub(super) async fn call_for_topics(walk: &mut Walk<'_>) -> Result<()> {
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
pub(super) async fn moderation(walk: &Walk<'_>) -> Result<()> {
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
pub(super) async fn screening(walk: &Walk<'_>) -> Result<()> {
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
pub(super) async fn voting(walk: &Walk<'_>) -> Result<()> {
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
