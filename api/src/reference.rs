//! Reference data that operators keep: the issue categories (each routed to a unit), the
//! units, districts and rating reason tags, and the month's topics, as the admin API, the
//! CLI and the console take and show them, with the rules an entry must meet.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;

/// A category as operators see it: retired ones included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCategory {
    /// A stable slug, for example `parking`.
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Where it sits in the visitors' list, smallest first.
    pub position: i64,
    /// Whether visitors can choose it. A retired category stays for the issues filed
    /// under it.
    pub active: bool,
    /// The unit (id) that new issues of this category are routed to.
    #[serde(default)]
    pub unit: Option<String>,
}

/// A category as an operator enters it; `PUT /admin/categories/{id}` creates or replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryInput {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { CategoryInput::NAME_ZH_MAX }>)
    )]
    pub name_zh: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { CategoryInput::NAME_EN_MAX }>)
    )]
    pub name_en: String,
    /// Where it sits in its list, smallest first: 0 to 10000.
    #[serde(default, deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub position: i64,
    #[serde(default = "yes")]
    pub active: bool,
    /// The unit (id) that new issues of this category are routed to: an active unit (else
    /// 422 `invalid_value`); blank or absent for none.
    #[serde(default)]
    pub unit: Option<String>,
}

fn yes() -> bool {
    true
}

impl CategoryInput {
    /// The longest Chinese name, in characters.
    pub const NAME_ZH_MAX: usize = 40;
    /// The longest English name, in characters.
    pub const NAME_EN_MAX: usize = 80;
    /// The largest position.
    pub const POSITION_MAX: i64 = 10_000;

    /// Checks every field, returning all problems at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        check_entry(
            [
                ("name_zh", &self.name_zh, Self::NAME_ZH_MAX),
                ("name_en", &self.name_en, Self::NAME_EN_MAX),
            ],
            self.position,
        )
    }
}

/// The plain lists of reference data: each entry an id, two names, a place and an
/// active flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum List {
    /// The units issues are routed to and events are hosted by.
    Units,
    /// The city's districts and counties.
    Districts,
    /// The reasons a rating may give.
    RatingTags,
}

impl List {
    pub const ALL: [List; 3] = [List::Units, List::Districts, List::RatingTags];

    /// The path segment, for example `rating-tags` in `/api/v1/rating-tags`.
    pub fn segment(self) -> &'static str {
        match self {
            List::Units => "units",
            List::Districts => "districts",
            List::RatingTags => "rating-tags",
        }
    }

    /// The list with this path segment.
    pub fn from_segment(segment: &str) -> Option<List> {
        Self::ALL.into_iter().find(|l| l.segment() == segment)
    }
}

/// An entry of a [`List`]: what visitors and operators see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    /// A stable slug.
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub position: i64,
    /// A retired entry is no longer offered; what refers to it keeps it.
    pub active: bool,
}

impl Entry {
    /// The name in `lang`.
    pub fn name(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::ZhCn => &self.name_zh,
            crate::Lang::En => &self.name_en,
        }
    }
}

/// An entry of a [`List`] as an operator enters it; `PUT /admin/{list}/{id}` creates or
/// replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryInput {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { CategoryInput::NAME_ZH_MAX }>)
    )]
    pub name_zh: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { CategoryInput::NAME_EN_MAX }>)
    )]
    pub name_en: String,
    /// Where it sits in its list, smallest first: 0 to 10000.
    #[serde(default, deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub position: i64,
    #[serde(default = "yes")]
    pub active: bool,
}

impl EntryInput {
    /// Checks every field, returning all problems at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        check_entry(
            [
                ("name_zh", &self.name_zh, CategoryInput::NAME_ZH_MAX),
                ("name_en", &self.name_en, CategoryInput::NAME_EN_MAX),
            ],
            self.position,
        )
    }
}

/// A topic of "one month, one question" as an operator enters it; `PUT /admin/topics/{id}`
/// creates or replaces it, `open: false` closes its voting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicInput {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { TopicInput::TITLE_ZH_MAX }>)
    )]
    pub title_zh: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { TopicInput::TITLE_EN_MAX }>)
    )]
    pub title_en: String,
    /// Where it sits in the list, smallest first: 0 to 10000.
    #[serde(default, deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000))]
    pub position: i64,
    #[serde(default = "yes")]
    pub open: bool,
}

impl TopicInput {
    /// The longest Chinese title, in characters.
    pub const TITLE_ZH_MAX: usize = 80;
    /// The longest English title, in characters.
    pub const TITLE_EN_MAX: usize = 160;

    /// Checks every field, returning all problems at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        check_entry(
            [
                ("title_zh", &self.title_zh, Self::TITLE_ZH_MAX),
                ("title_en", &self.title_en, Self::TITLE_EN_MAX),
            ],
            self.position,
        )
    }
}

/// The rules every entry of reference data meets: two names (Chinese and English), each
/// present and not over its length, and a position in range.
fn check_entry(names: [(&str, &String, usize); 2], position: i64) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for (field, value, max) in names {
        let length = value.trim().chars().count();
        if length == 0 {
            errors.push(FieldError::new(field, "required"));
        } else if length > max {
            errors.push(FieldError::new(field, "too_long"));
        }
    }
    if !(0..=CategoryInput::POSITION_MAX).contains(&position) {
        errors.push(FieldError::new("position", "invalid_value"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether `id` can name a category or a topic: 1 to 32 lower-case ASCII letters, digits,
/// `-` or `_`, starting with a letter.
pub fn valid_slug(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(zh: &str, en: &str, position: i64) -> CategoryInput {
        CategoryInput {
            name_zh: zh.into(),
            name_en: en.into(),
            position,
            active: true,
            unit: None,
        }
    }

    #[test]
    fn every_problem_is_named_at_once() {
        assert!(input("停车难", "Parking", 1).validate().is_ok());
        let errors = input(" ", &"x".repeat(81), -1)
            .validate()
            .expect_err("three problems");
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("name_zh", "required"),
                ("name_en", "too_long"),
                ("position", "invalid_value")
            ]
        );
    }

    #[test]
    fn ids_are_slugs() {
        assert!(valid_slug("parking"));
        assert!(valid_slug("wages-owed_2"));
        assert!(!valid_slug(""));
        assert!(!valid_slug("Parking"));
        assert!(!valid_slug("2parking"));
        assert!(!valid_slug("停车"));
        assert!(!valid_slug(&"a".repeat(33)));
    }

    #[test]
    fn a_category_is_active_unless_said_otherwise() {
        let parsed: Result<CategoryInput, _> =
            serde_json::from_str(r#"{"name_zh":"停车难","name_en":"Parking"}"#);
        assert_eq!(parsed.ok().map(|c| (c.active, c.position)), Some((true, 0)));
    }
}
