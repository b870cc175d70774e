//! Tracking numbers: random, unguessable and easy to read aloud, in the form
//! `OM-` and two groups of four Crockford base32 digits (no I, L, O or U), such as `OM-7K3F-9QX2`.

/// The Crockford base32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh tracking number from 40 bits of operating-system randomness.
pub fn generate() -> Result<String, getrandom::Error> {
    generate_with_prefix("OM")
}

/// A fresh code like a tracking number with another prefix, for example `RG-…`.
pub fn generate_with_prefix(prefix: &str) -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes)?;
    let bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    Ok(with_prefix(prefix, bits))
}

/// The tracking number whose eight digits encode the low 40 bits of `bits`.
pub fn from_bits(bits: u64) -> String {
    with_prefix("OM", bits)
}

fn with_prefix(prefix: &str, bits: u64) -> String {
    let digits: String = (0..8)
        .rev()
        .map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize]))
        .collect();
    format!("{prefix}-{}-{}", &digits[..4], &digits[4..])
}

/// The canonical form of a typed tracking number: case, spaces and hyphens
/// do not matter, and the look-alikes I, L (→ 1) and O (→ 0) are read as digits.
/// `None` when it cannot be a tracking number.
pub fn normalise(input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let body = compact.strip_prefix("OM").unwrap_or(&compact);
    if body.chars().count() != 8 {
        return None;
    }
    let digits: Option<String> = body
        .chars()
        .map(|c| match c {
            'I' | 'L' => Some('1'),
            'O' => Some('0'),
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => Some(c),
            _ => None,
        })
        .collect();
    let digits = digits?;
    Some(format!("OM-{}-{}", &digits[..4], &digits[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_have_the_public_form() {
        let no = generate().unwrap_or_default();
        assert_eq!(no.len(), 12);
        assert!(no.starts_with("OM-"));
        assert_eq!(normalise(&no), Some(no.clone()));
        assert!(!no[3..].contains(['I', 'L', 'O', 'U']));
    }

    #[test]
    fn typed_numbers_are_read_leniently() {
        assert_eq!(normalise("om-7k3f-9qx2").as_deref(), Some("OM-7K3F-9QX2"));
        assert_eq!(normalise(" 7K3F 9QX2 ").as_deref(), Some("OM-7K3F-9QX2"));
        assert_eq!(normalise("OM-7K3F-9QXO").as_deref(), Some("OM-7K3F-9QX0"));
        assert_eq!(normalise("OM-7K3F-9QXU"), None);
        assert_eq!(normalise("OM-7K3F"), None);
        assert_eq!(normalise("短号码"), None);
    }
}
