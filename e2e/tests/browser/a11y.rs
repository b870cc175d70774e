//! Accessibility: axe-core (WCAG 2.0–2.2 A and AA rules) finds nothing on any
//! screen, kiosk and phone, in both languages and in the standard, seniors' and
//! high-contrast displays; and screenshots of the main screens for the README.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;

use omk_e2e::phone::{hold_phone, put_phone_away};
use omk_e2e::{Browser, Result, Suite, message};

use crate::World;
use crate::slice::report_issue;

pub async fn run(suite: &mut Suite, w: &World) {
    suite
        .run("axe_finds_no_violations_on_any_screen", axe_everywhere(w))
        .await;
    suite
        .run("screenshots_of_the_main_screens", screenshots(w))
        .await;
}

/// The axe-core script, installed by `cargo xtask setup` from npm.
pub(crate) fn axe_source() -> Result<String> {
    let path = std::env::var_os("OMK_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../.tools/node/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read axe-core at {} ({e}); run `cargo xtask setup`",
            path.display()
        )
        .into()
    })
}

/// Runs axe on the page; returns a line per violation.
pub(crate) async fn axe(b: &Browser, axe: &str) -> Result<Vec<String>> {
    let loaded = b
        .script("return typeof window.axe !== 'undefined';")
        .await?;
    if loaded != serde_json::json!(true) {
        b.script(axe).await?;
    }
    let result = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, { runOnly: { type: 'tag', values:\
               ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa'] } })\
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): '\
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))\
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(result)?)
}

/// The widget's language and display mode now: `("zh-CN", "seniors")`, as the root's `lang`
/// and the header's pressed buttons say.
async fn display_now(b: &Browser) -> Result<(String, String)> {
    let now = b
        .script(
            "const pressed = id => document.querySelector(`[data-testid=toggle-${id}]`)\
               ?.getAttribute('aria-pressed') === 'true';\
             return [document.querySelector('.omk').lang,\
               pressed('seniors') ? 'seniors' : pressed('contrast') ? 'contrast' : 'standard'];",
        )
        .await?;
    match (now[0].as_str(), now[1].as_str()) {
        (Some(lang), Some(mode)) => Ok((lang.to_owned(), mode.to_owned())),
        _ => Err(format!("no widget language or display mode on the page: {now}").into()),
    }
}

/// Puts the widget in `lang` and `mode` with the header's buttons, as a visitor would,
/// pressing only those that change something.
async fn set_display(b: &Browser, lang: &str, mode: &str) -> Result<()> {
    let (lang_now, mode_now) = display_now(b).await?;
    if lang_now != lang {
        b.click("lang-toggle").await?;
    }
    if mode_now != mode {
        if mode_now != "standard" {
            b.click(&format!("toggle-{mode_now}")).await?;
        }
        if mode != "standard" {
            b.click(&format!("toggle-{mode}")).await?;
        }
    }
    let reached = display_now(b).await?;
    if reached != (lang.to_owned(), mode.to_owned()) {
        return Err(format!("the header's buttons gave {reached:?}, not {lang} {mode}").into());
    }
    Ok(())
}

/// Runs axe on the screen shown now in both languages and in the standard, seniors' and
/// high-contrast displays, switched with the header's buttons; then puts the page back as
/// it was. Returns a line per violation, each naming `screen`, the language and the mode.
async fn axe_every_way(b: &Browser, source: &str, screen: &str) -> Result<Vec<String>> {
    let (lang_was, mode_was) = display_now(b).await?;
    let mut found = Vec::new();
    for lang in ["zh-CN", "en"] {
        for mode in ["standard", "seniors", "contrast"] {
            set_display(b, lang, mode).await?;
            for v in axe(b, source).await? {
                found.push(format!("[{lang} {mode} {screen}] {v}"));
            }
        }
    }
    set_display(b, &lang_was, &mode_was).await?;
    Ok(found)
}

/// What axe found on a journey's screens, each checked every way as the journey reaches it.
pub(crate) struct AxeLog {
    source: String,
    found: RefCell<Vec<String>>,
    screens: Cell<usize>,
}

impl AxeLog {
    pub(crate) fn new() -> Result<AxeLog> {
        Ok(AxeLog {
            source: axe_source()?,
            found: RefCell::default(),
            screens: Cell::new(0),
        })
    }

    /// Checks the screen shown now, in both languages and every display mode.
    pub(crate) async fn check(&self, b: &Browser, screen: &str) -> Result<()> {
        let found = axe_every_way(b, &self.source, screen).await?;
        self.found.borrow_mut().extend(found);
        self.screens.set(self.screens.get() + 1);
        Ok(())
    }

    /// Fails with every violation found, if any.
    pub(crate) fn verdict(self) -> Result<()> {
        let found = self.found.into_inner();
        if found.is_empty() {
            println!(
                "  axe: {} screens, each in 2 languages × 3 modes, no violations",
                self.screens.get()
            );
            return Ok(());
        }
        Err(format!(
            "axe: {} violations:\n    {}",
            found.len(),
            found.join("\n    ")
        )
        .into())
    }
}

async fn axe_everywhere(w: &World) -> Result<()> {
    let source = axe_source()?;
    let b = &w.browser;
    let mut found = Vec::new();
    let mut checked = 0;
    for english in [false, true] {
        for mode in ["standard", "seniors", "contrast"] {
            b.open(&format!("{}?idle=600", w.server.url())).await?;
            if english {
                b.click("lang-toggle").await?;
            }
            if mode != "standard" {
                b.click(&format!("toggle-{mode}")).await?;
            }
            let mut check = async |screen: &str| -> Result<()> {
                for v in axe(b, &source).await? {
                    found.push(format!(
                        "[{} {mode} {screen}] {v}",
                        if english { "en" } else { "zh" }
                    ));
                }
                checked += 1;
                Ok(())
            };
            b.testid("attract").await?;
            check("attract").await?;
            b.click("attract-start").await?;
            b.wait_for("[data-testid=event-card]").await?;
            check("events").await?;
            b.click("event-open").await?;
            b.testid("event-detail").await?;
            check("event detail").await?;
            b.click("nav-figures").await?;
            b.testid("trend-chart").await?;
            check("figures").await?;
            b.click("nav-rate").await?;
            b.testid("rate-very_satisfied").await?;
            check("rate").await?;
            b.click("nav-report").await?;
            b.click("report-submit").await?;
            let required = message(if english { "en" } else { "zh-CN" }, "error.required")?;
            b.wait_text("report-error-description", |t| t == required)
                .await?;
            check("report with errors").await?;
            b.click("nav-lookup").await?;
            b.testid("lookup-number").await?;
            check("lookup").await?;
            b.click("nav-vote").await?;
            b.testid("topic").await?;
            check("vote").await?;
        }
    }
    // The pages a QR code opens on a phone.
    let tracking: String = sqlx::query_scalar("SELECT tracking_no FROM issues ORDER BY id LIMIT 1")
        .fetch_one(&w.server.db().await?)
        .await?;
    let event: i64 =
        sqlx::query_scalar("SELECT id FROM events WHERE registration = 1 ORDER BY id LIMIT 1")
            .fetch_one(&w.server.db().await?)
            .await?;
    hold_phone(b).await?;
    for english in [false, true] {
        for mode in ["standard", "seniors", "contrast"] {
            let lang = if english { "en" } else { "zh-CN" };
            let mut check = async |screen: &str| -> Result<()> {
                if mode != "standard" {
                    b.click(&format!("toggle-{mode}")).await?;
                }
                for v in axe(b, &source).await? {
                    found.push(format!("[{lang} {mode} phone {screen}] {v}"));
                }
                checked += 1;
                Ok(())
            };
            let base = w.server.origin();
            b.open(&format!(
                "{base}/?view=lookup&lang={lang}&number={tracking}"
            ))
            .await?;
            b.testid("lookup-status").await?;
            check("lookup").await?;
            b.open(&format!("{base}/?view=events&lang={lang}&event={event}"))
                .await?;
            b.testid("event-detail").await?;
            check("event").await?;
            b.open(&format!("{base}/?view=events&lang={lang}")).await?;
            b.wait_for("[data-testid=event-card]").await?;
            b.click("filter-toggle").await?;
            b.testid("filter-district").await?;
            check("program with filters").await?;
        }
    }
    put_phone_away(b).await?;
    if found.is_empty() {
        println!("  {checked} screens checked, no violations");
        Ok(())
    } else {
        Err(format!("{} violations:\n    {}", found.len(), found.join("\n    ")).into())
    }
}

/// Screenshots saved for the README; each must show something, and something new.
pub(crate) struct Shots {
    pub(crate) dir: PathBuf,
    pub(crate) last: Option<(String, image::RgbaImage)>,
    pub(crate) saved: usize,
}

impl Shots {
    /// Saves the page as `name`; fails when it is one flat colour or the same as the last one.
    pub(crate) async fn save(&mut self, b: &Browser, name: String) -> Result<()> {
        let png = b.client.screenshot().await?;
        let shot = image::load_from_memory_with_format(&png, image::ImageFormat::Png)?.to_rgba8();
        let mut colours: Vec<[u8; 4]> = shot.pixels().map(|p| p.0).collect();
        colours.sort_unstable();
        colours.dedup();
        if colours.len() < 8 {
            return Err(format!("screenshot {name} is blank ({} colours)", colours.len()).into());
        }
        if let Some((last, previous)) = &self.last
            && previous == &shot
        {
            return Err(format!("screenshot {name} is the same as {last}").into());
        }
        std::fs::write(self.dir.join(format!("{name}.png")), png)?;
        self.last = Some((name, shot));
        self.saved += 1;
        Ok(())
    }
}

async fn screenshots(w: &World) -> Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir)?;
    let b = &w.browser;
    let mut shots = Shots {
        dir,
        last: None,
        saved: 0,
    };
    for lang in ["zh-CN", "en"] {
        b.open(&format!("{}?lang={lang}&idle=600", w.server.url()))
            .await?;
        b.testid("attract").await?;
        shots.save(b, format!("attract-{lang}")).await?;
        b.click("attract-start").await?;
        b.wait_for("[data-testid=event-card]").await?;
        shots.save(b, format!("events-{lang}")).await?;
        b.click("nav-figures").await?;
        b.testid("trend-chart").await?;
        shots.save(b, format!("figures-{lang}")).await?;
        b.click("nav-rate").await?;
        b.testid("rate-very_satisfied").await?;
        shots.save(b, format!("rate-{lang}")).await?;
        report_issue(w, "公交站台的遮雨棚损坏，下雨天无法候车", None).await?;
        b.loaded_image("receipt-qr").await?;
        shots.save(b, format!("receipt-{lang}")).await?;
        b.click("nav-vote").await?;
        b.testid("topic").await?;
        shots.save(b, format!("vote-{lang}")).await?;
        b.click("toggle-seniors").await?;
        b.click("nav-report").await?;
        b.testid("report-submit").await?;
        shots.save(b, format!("report-seniors-{lang}")).await?;
    }
    // What a phone shows after scanning a receipt's QR code, and the program there.
    let tracking = report_issue(w, "公交站台的遮雨棚损坏，下雨天无法候车", None).await?;
    hold_phone(b).await?;
    for lang in ["zh-CN", "en"] {
        let base = w.server.origin();
        b.open(&format!(
            "{base}/?view=lookup&lang={lang}&number={tracking}"
        ))
        .await?;
        b.testid("lookup-status").await?;
        shots.save(b, format!("phone-lookup-{lang}")).await?;
        b.open(&format!("{base}/?view=events&lang={lang}")).await?;
        b.wait_for("[data-testid=event-card]").await?;
        shots.save(b, format!("phone-events-{lang}")).await?;
    }
    put_phone_away(b).await?;
    println!("  {} screenshots in {}", shots.saved, shots.dir.display());
    Ok(())
}
