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
