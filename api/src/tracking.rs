//! Tracking numbers: `OM-` and three groups of four Crockford base32 digits (60 random
//! bits; no I, L, O or U), then a check digit, as `OM-7K3F-9QX2-M4TB-6`. Typed numbers
//! are read leniently (case, spaces and hyphens do not matter; I and L read as 1, O as 0),
//! and the check digit lets the widget catch a typo before asking the server.

/// The Crockford base32 alphabet.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random digits in a number (5 bits each: 60 bits).
pub const DIGITS: usize = 12;

/// The digits of the earlier form (`OM-7K3F-9QX2`, 40 bits, no check digit), still read so
/// that numbers already handed out keep working.
const LEGACY_DIGITS: usize = 8;

/// The value of a digit as typed, look-alikes included.
fn value(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        c => c,
    };
    ALPHABET
        .iter()
        .position(|a| char::from(*a) == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The check digit of `digits` (values 0–31): Σ (position + 1) × value, modulo 31. Every
/// single wrong digit and every swap of two neighbours changes it, except between `0` and
/// `Z` (values 0 and 31).
pub fn check_digit(digits: &[u32]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(1u32..)
        .map(|(d, weight)| d * weight)
        .sum();
    char::from(ALPHABET[(sum % 31) as usize])
}

/// The number with `prefix` whose twelve digits are the low 60 bits of `bits`.
pub fn from_bits(prefix: &str, bits: u64) -> String {
    let digits: Vec<u32> = (0..DIGITS)
        .rev()
        .map(|i| u32::try_from((bits >> (i * 5)) & 31).unwrap_or(0))
        .collect();
    format(prefix, &digits, true)
}

fn format(prefix: &str, digits: &[u32], checked: bool) -> String {
    let text: String = digits
        .iter()
        .map(|d| char::from(ALPHABET[*d as usize]))
        .collect();
    let groups: Vec<&str> = text
        .as_bytes()
        .chunks(4)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    let mut out = format!("{prefix}-{}", groups.join("-"));
    if checked {
        out.push('-');
        out.push(check_digit(digits));
    }
    out
}

/// Why a typed number is not a tracking number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typo {
    /// Too few or too many digits, or a character that is no digit.
    Shape,
    /// The check digit does not match: a digit was mistyped.
    Check,
}

/// The canonical form of a typed tracking number with `prefix` (`OM`), or why it cannot be
/// one.
pub fn parse(prefix: &str, input: &str) -> Result<String, Typo> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let body = compact.strip_prefix(prefix).unwrap_or(&compact);
    let values: Option<Vec<u32>> = body.chars().map(value).collect();
    let values = values.ok_or(Typo::Shape)?;
    match values.len() {
        n if n == DIGITS + 1 => {
            let (digits, check) = values.split_at(DIGITS);
            let typed = char::from(ALPHABET[check[0] as usize]);
            if check_digit(digits) == typed {
                Ok(format(prefix, digits, true))
            } else {
                Err(Typo::Check)
            }
        }
        LEGACY_DIGITS => Ok(format(prefix, &values, false)),
        _ => Err(Typo::Shape),
    }
}

/// The canonical form of a typed issue tracking number, if it is one.
pub fn normalise(input: &str) -> Option<String> {
    parse("OM", input).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_sixty_bits_and_a_check_digit() {
        let number = from_bits("OM", u64::MAX);
        assert_eq!(number.len(), "OM-XXXX-XXXX-XXXX-C".len());
        assert!(number.starts_with("OM-ZZZZ-ZZZZ-ZZZZ-"));
        assert_eq!(normalise(&number), Some(number.clone()));
        let a = from_bits("OM", 0x0123_4567_89AB_CDEF);
        let b = from_bits("OM", 0x0123_4567_89AB_CDEE);
        assert_ne!(a, b);
    }

    #[test]
    fn typed_numbers_are_read_leniently() {
        let number = from_bits("OM", 0x0FED_CBA9_8765_4321);
        let typed = number.to_lowercase().replace('-', " ");
        assert_eq!(normalise(&typed), Some(number.clone()));
        let without_prefix = number.trim_start_matches("OM-").replace('1', "l");
        assert_eq!(normalise(&without_prefix), Some(number));
        assert_eq!(parse("OM", "OM-7K3F"), Err(Typo::Shape));
        assert_eq!(parse("OM", "短号码"), Err(Typo::Shape));
    }

    #[test]
    fn every_single_typo_and_neighbour_swap_is_caught() {
        let number = from_bits("OM", 0x0A5A_5A5A_5A5A_5A5A);
        let digits: Vec<char> = number.chars().filter(|c| *c != '-').skip(2).collect();
        for i in 0..DIGITS {
            for replacement in ALPHABET.iter().map(|b| char::from(*b)) {
                let mut typed = digits.clone();
                if typed[i] == replacement
                    || matches!((typed[i], replacement), ('0', 'Z') | ('Z', '0'))
                {
                    continue;
                }
                typed[i] = replacement;
                let text: String = typed.iter().collect();
                assert_eq!(parse("OM", &text), Err(Typo::Check), "{text}");
            }
            if i + 1 < DIGITS && digits[i] != digits[i + 1] {
                let mut swapped = digits.clone();
                swapped.swap(i, i + 1);
                let text: String = swapped.iter().collect();
                assert_eq!(parse("OM", &text), Err(Typo::Check), "{text}");
            }
        }
    }

    #[test]
    fn numbers_of_the_earlier_form_still_read() {
        assert_eq!(normalise("om-7k3f-9qxo").as_deref(), Some("OM-7K3F-9QX0"));
        assert_eq!(normalise("OM-7K3F-9QXU"), None);
    }
}
