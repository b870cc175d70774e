//! Embedding: a host page on another origin uses the widget as custom
//! elements (shadow DOM, CORS, theming) and as a self-sizing iframe.

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::elements::Element;
use omk_e2e::{Result, Suite, message};
use serde_json::json;

use crate::World;

pub async fn run(suite: &mut Suite, w: &World) {
    suite
        .run(
            "custom_element_submits_through_cors_and_keeps_its_look",
            custom_element(w),
        )
        .await;
    suite
        .run(
            "iframe_sizes_itself_and_ignores_foreign_messages",
            iframe(w),
        )
        .await;
    suite
        .run("invalid_configuration_is_explained_in_place", bad_config(w))
        .await;
}

/// Styles a host page must not be able to change.
const STYLE_PROBE: &str = "const s = getComputedStyle(arguments[0]);\
    return [s.fontFamily, s.letterSpacing, s.paddingTop, s.borderTopLeftRadius, s.backgroundColor, s.color, s.fontSize].join(' | ');";

async fn style_of(w: &World, element: &Element) -> Result<String> {
    let value = w
        .browser
        .client
        .execute(STYLE_PROBE, vec![serde_json::to_value(element)?])
        .await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// Waits for an element inside a custom element's shadow root.
async fn in_shadow(w: &World, host: &str, css: &str) -> Result<Element> {
    let b = &w.browser;
    b.wait_script(
        &format!("const h=document.querySelector('{host}'); return !!(h && h.shadowRoot && h.shadowRoot.querySelector('{css}'));"),
        |v| v == &json!(true),
    )
    .await?;
    let root = b
        .client
        .find(Locator::Css(host))
        .await?
        .shadow_root()
        .await?;
    Ok(root.find(Locator::Css(css)).await?)
}

async fn custom_element(w: &World) -> Result<()> {
    let b = &w.browser;
    // The look of a button on the widget's own page, with no host styles.
    b.client
        .goto(&format!("{}?view=events", w.server.url()))
        .await?;
    let own = style_of(w, &b.wait_for("[data-testid=events-next]").await?).await?;

    let page = format!(
        "{}/examples/custom-element.html?widget={}",
        w.host.origin(),
        w.server.origin()
    );
    b.client.goto(&page).await?;
    let embedded = style_of(
        w,
        &in_shadow(w, "#events", "[data-testid=events-next]").await?,
    )
    .await?;
    if embedded != own {
        return Err(format!(
            "the host page changed the widget's look:\n  own      {own}\n  embedded {embedded}"
        )
        .into());
    }
    // Theming through the documented custom properties does apply.
    let submit = in_shadow(w, "#report", "[data-testid=report-submit]").await?;
    let themed = style_of(w, &submit).await?;
    if !themed.contains("rgb(11, 74, 139)") {
        return Err(format!("the theme's accent colour did not apply: {themed}").into());
    }

    let description = "嵌入页面提交：社区健身器材损坏，存在安全隐患";
    let root = b
        .client
        .find(Locator::Css("#report"))
        .await?
        .shadow_root()
        .await?;
    in_shadow(
        w,
        "#report",
        "[data-testid=report-category] option[value=parking]",
    )
    .await?;
    root.find(Locator::Css("[data-testid=report-category]"))
        .await?
        .select_by_value("parking")
        .await?;
    root.find(Locator::Css("[data-testid=report-description]"))
        .await?
        .send_keys(description)
        .await?;
    root.find(Locator::Css("[data-testid=report-place]"))
        .await?
        .send_keys("冠县清泉街道")
        .await?;
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    submit.click().await?;
    let receipt = in_shadow(w, "#report", "[data-testid=receipt-number]").await?;
    let tracking = receipt.text().await?;
    let rows = w
        .server
        .count(&format!(
            "SELECT COUNT(*) FROM issues WHERE tracking_no = '{tracking}' AND description = '{description}'"
        ))
        .await?;
    if rows != 1 {
        return Err(format!("expected one stored issue for {tracking}, found {rows}").into());
    }
    println!("  two widgets on one host page; receipt {tracking} through CORS");
    Ok(())
}

async fn iframe(w: &World) -> Result<()> {
    let b = &w.browser;
    let page = format!(
        "{}/examples/iframe.html?widget={}",
        w.host.origin(),
        w.server.origin()
    );
    b.client.goto(&page).await?;
    let height = b
        .wait_script(
            "return parseFloat(document.getElementById('figures').style.height) || 0;",
            |v| v.as_f64().is_some_and(|h| h > 400.0),
        )
        .await?;
    // A message from anywhere but the frame is ignored. Messages from one window arrive in
    // order, so when the second one arrives the host has handled the first.
    let after = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             window.addEventListener('message', function probe(e) {\
               if (e.data !== 'omk-test-after') return;\
               window.removeEventListener('message', probe);\
               done(parseFloat(document.getElementById('figures').style.height) || 0);\
             });\
             window.postMessage({type: 'omk:resize', height: 130}, '*');\
             window.postMessage('omk-test-after', '*');",
            vec![],
        )
        .await?;
    if after.as_f64() != height.as_f64() {
        return Err(format!("a foreign message resized the frame: {height} → {after}").into());
    }
    println!("  frame sized to {height}px by the widget");
    Ok(())
}

async fn bad_config(w: &World) -> Result<()> {
    let b = &w.browser;
    b.client
        .goto(&format!("{}?view=carousel", w.server.url()))
        .await?;
    b.wait_for("[data-testid=config-error]").await?;
    let want = json!([
        message("zh-CN", "config.error_title")?,
        message("zh-CN", "config.error_hint")?,
        message("en", "config.error_hint")?,
        "view = \"carousel\"",
    ]);
    let shown = b
        .script(
            "return [...document.querySelector('[data-testid=config-error]').children]\
               .map(e => e.textContent);",
        )
        .await?;
    if shown != want {
        return Err(format!("the configuration error reads {shown}, not {want}").into());
    }
    Ok(())
}
