//! What a phone's camera does with a QR code on screen: the element as Chromium rendered it,
//! decoded by a real QR decoder.

use crate::{Browser, Result};

/// The text a QR code image (PNG bytes) carries.
pub fn decode_png(png: &[u8]) -> Result<String> {
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)?.to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    let grid = grids.first().ok_or("no QR code found in the image")?;
    let (_, text) = grid.decode()?;
    Ok(text)
}

/// Decodes the QR code shown by the element matching `css`, as a visitor's phone would.
pub async fn scan(browser: &Browser, css: &str) -> Result<String> {
    let element = browser.wait_for(css).await?;
    // The image must have arrived and be drawn before it can be read.
    browser
        .wait_script(
            &format!(
                "const i = document.querySelector({css:?}); return !!i && i.complete && i.naturalWidth > 0;"
            ),
            |v| v.as_bool() == Some(true),
        )
        .await?;
    let png = element.screenshot().await?;
    decode_png(&png)
}
