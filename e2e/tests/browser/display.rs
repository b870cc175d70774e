//! The hall display (`?view=display`), a big screen nobody touches: at 1920×1080 and at
//! 1080×1920 no visible text is under 32 px and none is cut off, axe finds nothing in both
//! languages and every display mode, the rotation shows every panel on its own, each panel's
//! QR code opens the right page on a phone, and screenshots for the README; then, with the
//! server gone, the screen keeps its figures with their age (also after a reload) and goes
//! live again by itself when the server is back.

use std::path::PathBuf;
use std::time::Duration;

use omk_e2e::{Browser, Result, Suite, message};
use serde_json::{Value, json};

use crate::World;
use crate::a11y::{Shots, axe, axe_source};
use crate::city::as_admin;

/// The panels in the order the display shows them (`src/display_view/panels.rs`).
const PANELS: [&str; 7] = [
    "figures", "today", "ranking", "next", "question", "replies", "rate",
];

/// Seconds each panel stays in these scenarios: the shortest the display takes.
const DWELL: u64 = 5;

/// Landscape and portrait hall screens, in CSS px.
const SCREENS: [(&str, u32, u32); 2] = [("landscape", 1920, 1080), ("portrait", 1080, 1920)];

pub async fn run(suite: &mut Suite, w: &mut World) {
    suite
        .run(
            "hall_display_is_readable_at_three_metres_cycles_every_panel_and_passes_axe",
            readable(w),
        )
        .await;
    suite
        .run(
            "hall_display_keeps_its_figures_with_their_age_offline_and_reconnects",
            offline(w),
        )
        .await;
}

/// Makes the page a hall screen of `width`×`height` CSS px.
async fn hall_screen(b: &Browser, width: u32, height: u32) -> Result<()> {
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
    )
    .await?;
    Ok(())
}

/// Back to the browser's own screen.
async fn leave_hall(b: &Browser) -> Result<()> {
    b.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
        .await?;
    Ok(())
}

/// Opens the display at `url` and waits until it shows a panel.
async fn open_display(b: &Browser, url: &str) -> Result<()> {
    b.client.goto(url).await?;
    b.wait_for("[data-testid=display][data-panel]:not([data-panel=none])")
        .await?;
    Ok(())
}

/// Waits (the rotation turns on its own, nobody touches the screen) until `panel` is shown
/// and its fade-in is over.
async fn wait_panel(b: &Browser, panel: &str) -> Result<()> {
    // A whole round at most, and the turn in progress.
    let round = Duration::from_secs(DWELL * (PANELS.len() as u64 + 1) + 5);
    b.wait_script_within(
        &format!(
            "const d = document.querySelector('[data-testid=display]');\
             return !!d && d.dataset.panel === {panel:?}\
               && !!d.querySelector('section[data-panel={panel}]')\
               && document.getAnimations().every(a => a.animationName !== 'omk-hall-in'\
                    || a.playState !== 'running');"
        ),
        |v| v == &json!(true),
        round,
    )
    .await
    .map_err(|e| format!("the display never showed the {panel} panel: {e}"))?;
    Ok(())
}

/// Every visible text's size, and those under 32 px or outside the screen.
const TEXT_CHECK: &str = "\
    const small = [], outside = []; let texts = 0;\
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);\
    while (walker.nextNode()) {\
      const node = walker.currentNode, text = node.textContent.trim();\
      if (!text) continue;\
      const el = node.parentElement;\
      if (!el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;\
      const range = document.createRange(); range.selectNodeContents(node);\
      const r = range.getBoundingClientRect();\
      if (r.width === 0 || r.height === 0) continue;\
      texts++;\
      const px = parseFloat(getComputedStyle(el).fontSize);\
      if (px < 32) small.push(px + 'px ' + text.slice(0, 40));\
      if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)\
        outside.push(Math.round(r.left) + ',' + Math.round(r.top) + ',' + Math.round(r.right)\
          + ',' + Math.round(r.bottom) + ' ' + text.slice(0, 40));\
    }\
    return { texts, small, outside };";

/// Checks the text on screen now; returns a line per problem.
async fn text_problems(b: &Browser, at: &str) -> Result<Vec<String>> {
    let found = b.script(TEXT_CHECK).await?;
    let texts = found["texts"].as_u64().unwrap_or(0);
    let mut problems = Vec::new();
    if texts < 3 {
        problems.push(format!("[{at}] only {texts} visible texts"));
    }
    for (kind, list) in [
        ("under 32 px", &found["small"]),
        ("cut off", &found["outside"]),
    ] {
        for line in list.as_array().into_iter().flatten() {
            problems.push(format!(
                "[{at}] {kind}: {}",
                line.as_str().unwrap_or_default()
            ));
        }
    }
    Ok(problems)
}

/// An event on now and one the day after tomorrow, so that today's and the next panels have
/// something to show whatever the hour.
async fn program_for_today_and_later(w: &World) -> Result<()> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    for (title, starts_at) in [
        ("大厅屏幕：市政务服务中心开放日", now - 3_600),
        ("大厅屏幕：市民政局听证会", now + 2 * 86_400),
    ] {
        let event = json!({
            "title": title,
            "unit": "聊城市人民政府办公室",
            "district": "东昌府区",
            "theme": "政务公开",
            "place": "聊城市政务服务中心一楼大厅",
            "starts_at": starts_at,
            "ends_at": starts_at + 3 * 3_600,
            "capacity": 40,
            "registration": true,
            "summary": "市民走进政府机关，面对面交流。",
        });
        as_admin(&w.server, "POST", "/api/v1/admin/events", &event).await?;
    }
    Ok(())
}

/// The text a QR code on the shown panel carries, as a phone reads it.
async fn scan_panel(b: &Browser, panel: &str) -> Result<String> {
    omk_e2e::qr::scan(
        b,
        &format!("section[data-panel={panel}] [data-testid=display-qr]"),
    )
    .await
}

async fn readable(w: &World) -> Result<()> {
    program_for_today_and_later(w).await?;
    let source = axe_source()?;
    let b = &w.browser;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir)?;
    let mut shots = Shots {
        dir,
        last: None,
        saved: 0,
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    // Each panel's QR code as a phone reads it, in the order of `PANELS`.
    let mut scanned = Vec::new();
    let base = w.server.url();
    let result = async {
        for (shape, width, height) in SCREENS {
            hall_screen(b, width, height).await?;
            for lang in ["zh-CN", "en"] {
                for mode in ["standard", "seniors", "contrast"] {
                    // Landscape in every mode; portrait in the standard one, and in the
                    // seniors' with the longer English text.
                    if shape == "portrait"
                        && (mode == "contrast" || mode == "seniors" && lang == "zh-CN")
                    {
                        continue;
                    }
                    let modes = match mode {
                        "standard" => String::new(),
                        other => format!("&{other}=true"),
                    };
                    open_display(
                        b,
                        &format!("{base}?view=display&lang={lang}&dwell={DWELL}{modes}"),
                    )
                    .await?;
                    for panel in PANELS {
                        wait_panel(b, panel).await?;
                        if (shape, lang, mode) == ("landscape", "zh-CN", "standard") {
                            scanned.push(scan_panel(b, panel).await?);
                        }
                        let at = format!("{shape} {lang} {mode} {panel}");
                        problems.extend(text_problems(b, &at).await?);
                        for v in axe(b, &source).await? {
                            problems.push(format!("[{at}] axe: {v}"));
                        }
                        checked += 1;
                        if mode == "standard" {
                            shots
                                .save(b, format!("display-{shape}-{panel}-{lang}"))
                                .await?;
                        }
                    }
                }
            }
        }
        let origin = w.server.origin();
        let expected = [
            format!("{origin}/?view=figures"),
            format!("{origin}/?view=events&event="),
            format!("{origin}/?view=figures"),
            format!("{origin}/?view=events&event="),
            format!("{origin}/?view=vote"),
            format!("{origin}/?view=mailbox&section=replies"),
            format!("{origin}/?view=rate"),
        ];
        let links = scanned.len() == PANELS.len()
            && scanned.iter().zip(&expected).all(|(read, wanted)| {
                read == wanted || wanted.ends_with('=') && read.starts_with(wanted.as_str())
            });
        if !links {
            return Err(format!("the panels' QR codes read {scanned:?}").into());
        }
        // A screen nobody touches writes nothing.
        let outbox = b
            .script("const o = localStorage.getItem('omk.outbox.v1'); return o ? JSON.parse(o).items.length : 0;")
            .await?;
        if outbox != json!(0) {
            return Err(format!("the display left {outbox} writes in the outbox").into());
        }
        Ok::<(), omk_e2e::Error>(())
    }
    .await;
    leave_hall(b).await?;
    result?;
    println!(
        "  {checked} panels checked (text sizes, axe), {} screenshots in {}",
        shots.saved,
        shots.dir.display()
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} problems:\n    {}",
            problems.len(),
            problems.join("\n    ")
        )
        .into())
    }
}

/// Whether `text` is message `key` of `lang` with some age in place of `{age}`.
fn says_with_age(text: &str, lang: &str, key: &str) -> Result<bool> {
    let template = message(lang, key)?;
    let (before, after) = template
        .split_once("{age}")
        .ok_or_else(|| format!("{key} names no age"))?;
    Ok(text
        .strip_prefix(before)
        .and_then(|rest| rest.strip_suffix(after))
        .is_some_and(|age| age.chars().next().is_some_and(|c| c.is_ascii_digit())))
}

/// The freshness the display shows and its text.
async fn freshness(b: &Browser) -> Result<(String, String)> {
    let found = b
        .script(
            "const a = document.querySelector('[data-testid=display-age]');\
             return a ? [a.dataset.freshness, a.textContent.trim()] : null;",
        )
        .await?;
    Ok((
        found[0].as_str().unwrap_or_default().to_owned(),
        found[1].as_str().unwrap_or_default().to_owned(),
    ))
}

/// Waits until the display's freshness is `state`; returns its text.
async fn wait_freshness(b: &Browser, state: &str) -> Result<String> {
    b.wait_script_within(
        "const a = document.querySelector('[data-testid=display-age]');\
         return a ? a.dataset.freshness : null;",
        |v| v == &json!(state),
        Duration::from_secs(40),
    )
    .await
    .map_err(|e| format!("the display never became {state}: {e}"))?;
    Ok(freshness(b).await?.1)
}

/// The satisfaction rate the figures panel shows, once it shows.
async fn shown_satisfaction(b: &Browser) -> Result<String> {
    wait_panel(b, "figures").await?;
    let value = b
        .script(
            "const v = document.querySelector('section[data-panel=figures] [data-testid=figure-satisfaction]');\
             return v ? v.textContent.trim() : null;",
        )
        .await?;
    match value {
        Value::String(text) if !text.is_empty() => Ok(text),
        other => Err(format!("the figures panel shows no satisfaction rate: {other}").into()),
    }
}

async fn offline(w: &mut World) -> Result<()> {
    // The page from another origin, so that it still loads while the server is gone.
    let url = format!(
        "{}/?view=display&dwell={DWELL}&backend={}",
        w.host.origin(),
        w.server.origin()
    );
    let lang = "zh-CN";
    let b = &w.browser;
    hall_screen(b, 1920, 1080).await?;
    open_display(b, &url).await?;
    let live = wait_freshness(b, "updated").await?;
    if !says_with_age(&live, lang, "display.updated")? {
        return Err(format!("a live display says {live:?}").into());
    }
    let before = shown_satisfaction(b).await?;
    // Today's program is saved as the display reads it.
    wait_panel(b, "today").await?;

    w.server.stop().await;
    let b = &w.browser;
    b.expect_console_error(&format!(
        "{}/api/v1/* - Failed to load resource: net::ERR_CONNECTION_REFUSED",
        w.server.origin()
    ));
    let result = async {
        let lost = wait_freshness(b, "offline").await?;
        if !says_with_age(&lost, lang, "display.offline")? {
            return Err(format!("a display that lost its server says {lost:?}").into());
        }
        let kept = shown_satisfaction(b).await?;
        if kept != before {
            return Err(format!("offline the figures went from {before} to {kept}").into());
        }
        // A reload with the server still gone: the saved figures and program, with their age.
        open_display(b, &url).await?;
        let reloaded = wait_freshness(b, "offline").await?;
        if !says_with_age(&reloaded, lang, "display.offline")? {
            return Err(format!("a reloaded offline display says {reloaded:?}").into());
        }
        let kept = shown_satisfaction(b).await?;
        if kept != before {
            return Err(format!("after a reload the figures went from {before} to {kept}").into());
        }
        wait_panel(b, "today").await?;
        let saved = b
            .wait_text("display-program-saved", |t| {
                says_with_age(t, lang, "display.program_saved").unwrap_or(false)
            })
            .await?;
        println!("  offline: {reloaded:?}, {saved:?}");
        Ok::<(), omk_e2e::Error>(())
    }
    .await;
    let back = w.server.restart().await;
    result?;
    back?;
    // Back by itself, without a reload.
    let b = &w.browser;
    let again = wait_freshness(b, "updated").await?;
    leave_hall(b).await?;
    if !says_with_age(&again, lang, "display.updated")? {
        return Err(format!("a reconnected display says {again:?}").into());
    }
    Ok(())
}
