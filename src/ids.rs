//! Client-made identifiers: UUID v4 idempotency keys from the browser's CSPRNG.

/// Formats 16 random bytes as a UUID v4 string.
pub fn uuid_v4_from(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A fresh UUID v4 from `crypto.getRandomValues` (works outside secure contexts too).
#[cfg(target_arch = "wasm32")]
pub fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
        .unwrap_or(false);
    if !filled {
        // No Web Crypto at all: fall back to Math.random, still unique enough
        // for idempotency within one kiosk.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid_v4_from(bytes)
}

/// A fresh UUID v4 (native builds, used by tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn new_key() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    uuid_v4_from(nanos.to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_version_and_variant_bits() {
        let id = uuid_v4_from([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let id = uuid_v4_from([0; 16]);
        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
    }
}
