//! Fresh tracking numbers and registration codes from operating-system randomness, in
//! the form `omk_api::tracking` defines (`OM-7K3F-9QX2-M4TB-6`: 60 bits and a check digit).

pub use omk_api::tracking::normalise;

/// A fresh issue tracking number.
pub fn generate() -> Result<String, getrandom::Error> {
    generate_with_prefix("OM")
}

/// A fresh code like a tracking number with another prefix, for example `RG-…`.
pub fn generate_with_prefix(prefix: &str) -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)?;
    Ok(omk_api::tracking::from_bits(
        prefix,
        u64::from_be_bytes(bytes),
    ))
}

/// The tracking number whose digits encode the low 60 bits of `bits` (the demo's).
pub fn from_bits(bits: u64) -> String {
    omk_api::tracking::from_bits("OM", bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_have_the_public_form() {
        let no = generate().unwrap_or_default();
        assert_eq!(no.len(), "OM-XXXX-XXXX-XXXX-C".len());
        assert!(no.starts_with("OM-"));
        assert_eq!(normalise(&no), Some(no.clone()));
        assert!(!no[3..].contains(['I', 'L', 'O', 'U']));
        assert!(generate_with_prefix("RG").is_ok_and(|c| c.starts_with("RG-")));
    }
}
