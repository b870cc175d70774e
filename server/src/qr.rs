//! QR codes as SVG: dark modules on white with the standard quiet zone, about
//! 200 px wide, so a phone can pick up an event or an issue from the kiosk.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The smallest width and height of the drawn code, in pixels.
const MIN_SIZE: u32 = 200;

/// Why a text cannot become a QR code.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode a QR code: {0}")]
pub struct QrError(#[from] qrcode::types::QrError);

/// An SVG document of the QR code for `text`, with medium error correction.
pub fn svg(text: &str) -> Result<String, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(MIN_SIZE, MIN_SIZE)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_becomes_a_white_svg_of_at_least_200_px() {
        let text = svg("http://kiosk.example/?view=events&event=42").unwrap_or_default();
        assert!(text.contains("<svg"), "{text}");
        assert!(text.trim_end().ends_with("</svg>"));
        assert!(text.contains("#ffffff") && text.contains("#000000"));
        let width: u32 = text
            .split("width=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        assert!((200..=300).contains(&width), "{width}");
    }

    #[test]
    fn text_too_long_for_any_code_is_an_error() {
        assert!(svg(&"x".repeat(5000)).is_err());
    }
}
