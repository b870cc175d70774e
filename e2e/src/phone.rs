//! The visitor's phone: the same Chromium, emulating a 390×844 CSS px touch screen, and
//! back to the kiosk's screen afterwards.

use serde_json::json;

use crate::{Browser, Result};

/// The phone's viewport, in CSS pixels.
pub const PHONE: (u32, u32) = (390, 844);

/// Makes the page a phone's: its size, pixel ratio, mobile viewport and touch.
pub async fn hold_phone(browser: &Browser) -> Result<()> {
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": PHONE.0, "height": PHONE.1, "deviceScaleFactor": 2, "mobile": true }),
        )
        .await?;
    browser
        .cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": true, "maxTouchPoints": 5 }),
        )
        .await?;
    Ok(())
}

/// The widget's idle guard as its root shows it in `data-idle`: `"armed"` while a guard
/// would reset a visitor's session left alone, `"off"` where none watches (a phone's view).
pub async fn idle_guard(browser: &Browser) -> Result<String> {
    let state = browser
        .wait_script(
            "const root = document.querySelector('[data-idle]');\
             return root ? root.dataset.idle : null;",
            |v| v.is_string(),
        )
        .await
        .map_err(|e| format!("the widget shows no idle guard state: {e}"))?;
    Ok(state.as_str().unwrap_or_default().to_owned())
}

/// Fails unless no idle guard watches the page: a phone's view is nobody's kiosk session.
pub async fn expect_no_idle_guard(browser: &Browser) -> Result<()> {
    match idle_guard(browser).await?.as_str() {
        "off" => Ok(()),
        other => Err(format!("a phone page's idle guard is {other:?}, not \"off\"").into()),
    }
}

/// Back to the kiosk's own screen.
pub async fn put_phone_away(browser: &Browser) -> Result<()> {
    browser
        .cdp("Emulation.clearDeviceMetricsOverride", json!({}))
        .await?;
    browser
        .cdp(
            "Emulation.setTouchEmulationEnabled",
            json!({ "enabled": false }),
        )
        .await?;
    Ok(())
}
