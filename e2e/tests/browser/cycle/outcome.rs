//! The outcome, as the cycle journey walks it: the meeting with its waitlist and check-in,
//! the decision and its measures, the evaluation, closing and the archive.

use super::*;

/// The meeting: two public seats and five invited; another visitor and the kiosk take the
/// public seats, the phone joins the waitlist and moves up when the other visitor cancels,
/// is checked in at the door and leaves an opinion that only the organisers read.
pub(super) async fn meeting(walk: &Walk<'_>) -> Result<()> {
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
pub(super) async fn decision(walk: &Walk<'_>) -> Result<(i64, i64)> {
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
pub(super) async fn implementation(walk: &Walk<'_>, housing: i64, urban: i64) -> Result<()> {
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
pub(super) async fn review_and_close(walk: &Walk<'_>) -> Result<()> {
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
pub(super) async fn archive(walk: &Walk<'_>) -> Result<()> {
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
