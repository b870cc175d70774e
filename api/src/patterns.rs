//! The text rules as regular expressions (ECMA-262, the dialect of JSON Schema's `pattern`),
//! built from the same constants the rules use, so the contract states exactly what
//! validation enforces.
//!
//! Text is judged trimmed of white space (Unicode White_Space: what `str::trim` takes off),
//! and lengths count characters (code points), as `chars().count()` does. Character classes
//! are spelled out: `\s` and `\d` mean different things in different engines.

/// White space as `str::trim` sees it.
pub const SPACE: &str = r"[\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// Any character that is not white space.
pub const NOT_SPACE: &str = r"[^\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
/// Any character at all, line breaks included.
const ANY: &str = r"[\s\S]";

/// An id of reference data, as `reference::valid_slug` takes it: 1 to 32 lower-case ASCII
/// letters, digits, `-` or `_`, starting with a letter.
pub const SLUG: &str = "^[a-z][a-z0-9_-]{0,31}$";

/// A login, as `operators::valid_login` takes it: 2 to 40 lower-case ASCII letters, digits,
/// `.`, `-` or `_`, starting with a letter.
pub const LOGIN: &str = "^[a-z][a-z0-9._-]{1,39}$";

/// An `Idempotency-Key`: a UUID in its hyphenated form, any version, either case.
pub const UUID: &str =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

/// Text that is not blank: at least one character besides white space.
pub fn not_blank() -> String {
    NOT_SPACE.to_owned()
}

/// Text whose trimmed length is `min..=max` characters (`1 <= min <= max`).
pub fn trimmed(min: usize, max: usize) -> String {
    format!("^{SPACE}*{}{SPACE}*$", core(min.max(1), max))
}

/// Blank text (or none), or text whose trimmed length is at most `max` characters.
pub fn blank_or_trimmed(max: usize) -> String {
    format!("^{SPACE}*({}{SPACE}*)?$", core(1, max))
}

/// Blank text: white space only, or nothing.
pub fn blank() -> String {
    format!("^{SPACE}*$")
}

/// The trimmed text itself, `min..=max` characters: a first and a last character that are
/// not white space, and anything between them.
fn core(min: usize, max: usize) -> String {
    match (min, max) {
        (_, 1) => NOT_SPACE.to_owned(),
        (1, max) => format!("{NOT_SPACE}({ANY}{{0,{}}}{NOT_SPACE})?", max - 2),
        (min, max) => format!("{NOT_SPACE}{ANY}{{{},{}}}{NOT_SPACE}", min - 2, max - 2),
    }
}

/// A phone number as `issues::is_phone` takes it, trimmed, or blank: a mobile number
/// (11 digits starting with 1) or a landline (7 to 12 digits starting with 0, with at most
/// one hyphen anywhere).
pub fn blank_or_phone() -> String {
    const DIGIT: &str = "[0-9]";
    // A landline's digits are a 0 and 6 to 11 more; the hyphen goes before the 0, after the
    // last digit, or after the 0 and `i` more digits with at least one digit after it.
    let mut landline = vec![format!("-?0{DIGIT}{{6,11}}"), format!("0{DIGIT}{{6,11}}-")];
    for i in 0..=10usize {
        let least = 6usize.saturating_sub(i).max(1);
        let most = 11 - i;
        landline.push(format!("0{DIGIT}{{{i}}}-{DIGIT}{{{least},{most}}}"));
    }
    format!(
        "^{SPACE}*(1{DIGIT}{{10}}|{}){SPACE}*$|^{SPACE}*$",
        landline.join("|")
    )
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;
    use crate::issues::is_phone;

    fn compiled(pattern: &str) -> Regex {
        Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"))
    }

    /// Texts around the edges: every kind of white space (and look-alikes that are not),
    /// letters, CJK, digits and hyphens, at lengths about each bound.
    fn texts() -> Vec<String> {
        let pads = [
            "", " ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{1680}",
            "\u{2000}", "\u{200a}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}",
            "\u{1c}", "\u{1f}", "\u{200b}", "\u{180e}", "\u{feff}", "\0",
        ];
        let mut texts = Vec::new();
        for length in [
            0usize, 1, 2, 3, 4, 5, 6, 39, 40, 41, 49, 50, 51, 199, 200, 201,
        ] {
            for fill in ["a", "停", " ", "a b"] {
                let body: String = fill.chars().cycle().take(length).collect();
                for pad in pads {
                    texts.push(format!("{pad}{body}{pad}"));
                    texts.push(format!("{pad}{body}"));
                    texts.push(format!("{body}{pad}"));
                    texts.push(format!("{pad}x{pad}{body}"));
                }
            }
        }
        texts
    }

    fn trimmed_length(text: &str) -> usize {
        text.trim().chars().count()
    }

    #[test]
    fn trimmed_lengths_match_the_rule() {
        for (min, max) in [(1, 1), (1, 2), (1, 40), (1, 200), (2, 3), (5, 50)] {
            let pattern = compiled(&trimmed(min, max));
            for text in texts() {
                let rule = (min..=max).contains(&trimmed_length(&text));
                assert_eq!(pattern.is_match(&text), rule, "{min}..={max}: {text:?}");
            }
        }
    }

    #[test]
    fn optional_lengths_match_the_rule() {
        for max in [1, 2, 50] {
            let pattern = compiled(&blank_or_trimmed(max));
            for text in texts() {
                let rule = trimmed_length(&text) <= max;
                assert_eq!(pattern.is_match(&text), rule, "..={max}: {text:?}");
            }
        }
        let blank = compiled(&blank());
        let not_blank = compiled(&not_blank());
        for text in texts() {
            assert_eq!(blank.is_match(&text), text.trim().is_empty(), "{text:?}");
            assert_eq!(
                not_blank.is_match(&text),
                !text.trim().is_empty(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn slugs_and_logins_match_the_rules() {
        let slug = compiled(SLUG);
        let login = compiled(LOGIN);
        let mut ids: Vec<String> = [
            "",
            "a",
            "ab",
            "parking",
            "wages-owed_2",
            "wang.li",
            "Parking",
            "2parking",
            "停车",
            "a b",
            "a\n",
            "-a",
            "_a",
            ".a",
            "aé",
            "ｐａｒｋ",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        for length in [1, 2, 31, 32, 33, 39, 40, 41] {
            ids.push("a".repeat(length));
            ids.push(format!("a{}", "-".repeat(length.saturating_sub(1))));
        }
        for id in &ids {
            let padded = format!("{id}\n");
            assert_eq!(
                slug.is_match(id),
                crate::reference::valid_slug(id),
                "{id:?}"
            );
            assert_eq!(
                login.is_match(id),
                crate::operators::valid_login(id),
                "{id:?}"
            );
            assert!(
                !slug.is_match(&padded) && !login.is_match(&padded),
                "{padded:?}"
            );
        }
    }

    #[test]
    fn phones_match_the_rule() {
        let pattern = compiled(&blank_or_phone());
        let mut phones = vec![
            String::new(),
            " ".into(),
            "13800138000".into(),
            "1380013800".into(),
            "138001380001".into(),
            "23800138000".into(),
            "138-0013-8000".into(),
            "1-3800138000".into(),
            "abc".into(),
            "0635-8888888".into(),
            "٠٦٣٥٨٨٨٨٨٨٨".into(),
        ];
        for length in 5..=14 {
            let digits: String = "0123456789".chars().cycle().take(length).collect();
            let ones: String = "1234567890".chars().cycle().take(length).collect();
            for body in [&digits, &ones] {
                for cut in 0..=body.len() {
                    let (head, tail) = body.split_at(cut);
                    phones.push(format!("{head}-{tail}"));
                    phones.push(format!("{head}--{tail}"));
                    phones.push(format!("{head} {tail}"));
                }
                phones.push(body.clone());
                phones.push(format!(" {body}\t"));
                phones.push(format!("\u{3000}{body}"));
            }
        }
        for phone in phones {
            let trimmed = phone.trim();
            let rule = trimmed.is_empty() || is_phone(trimmed);
            assert_eq!(pattern.is_match(&phone), rule, "{phone:?}");
        }
    }
}
