//! Reference data as plain data: which list is being kept, one entry of it as the form holds
//! it, and the inputs the API takes, checked with the contract's own rules.

use omk_api::reference::valid_slug;
use omk_api::{
    AdminCategory, CategoryInput, Entry, EntryInput, FieldError, List, Topic, TopicInput,
};
use omk_web::choices::Choice;

/// A list of reference data operators keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Categories,
    List(List),
    Topics,
}

impl Kind {
    /// A stable name, for `data-testid`s.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Categories => "categories",
            Kind::List(list) => list.segment(),
            Kind::Topics => "topics",
        }
    }

    /// Where the whole list is read (retired entries and closed topics included).
    pub fn list_path(self) -> String {
        match self {
            Kind::Categories => "/admin/categories".to_owned(),
            Kind::List(list) => format!("/admin/{}", list.segment()),
            Kind::Topics => "/topics".to_owned(),
        }
    }

    /// Where one entry is written.
    pub fn entry_path(self, id: &str) -> String {
        let id = omk_api::events::encode_component(id);
        match self {
            Kind::Categories => format!("/admin/categories/{id}"),
            Kind::List(list) => format!("/admin/{}/{id}", list.segment()),
            Kind::Topics => format!("/admin/topics/{id}"),
        }
    }

    /// The API's names of the two name fields (topics have titles).
    pub fn name_fields(self) -> (&'static str, &'static str) {
        match self {
            Kind::Topics => ("title_zh", "title_en"),
            _ => ("name_zh", "name_en"),
        }
    }

    /// The message key of the flag's label: active, or open for votes.
    pub fn flag_label_key(self) -> &'static str {
        match self {
            Kind::Topics => "reference.open",
            _ => "reference.active",
        }
    }
}

impl Choice for Kind {
    const CHOICES: &'static [Kind] = &[
        Kind::Categories,
        Kind::List(List::Units),
        Kind::List(List::Districts),
        Kind::List(List::RatingTags),
        Kind::Topics,
    ];

    /// The message key of its name.
    fn label_key(self) -> &'static str {
        match self {
            Kind::Categories => "reference.categories",
            Kind::List(List::Units) => "reference.units",
            Kind::List(List::Districts) => "reference.districts",
            Kind::List(List::RatingTags) => "reference.rating_tags",
            Kind::Topics => "reference.topics",
        }
    }

    fn testid(self) -> String {
        format!("reference-kind-{}", self.slug())
    }
}

/// One entry of any list, as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub position: i64,
    /// Active, or open for votes.
    pub flag: bool,
    /// A category's routing target.
    pub unit: Option<String>,
    /// A topic's votes.
    pub votes: Option<i64>,
}

impl From<Entry> for Row {
    fn from(e: Entry) -> Self {
        Row {
            id: e.id,
            name_zh: e.name_zh,
            name_en: e.name_en,
            position: e.position,
            flag: e.active,
            unit: None,
            votes: None,
        }
    }
}

impl From<AdminCategory> for Row {
    fn from(c: AdminCategory) -> Self {
        Row {
            id: c.id,
            name_zh: c.name_zh,
            name_en: c.name_en,
            position: c.position,
            flag: c.active,
            unit: c.unit,
            votes: None,
        }
    }
}

/// Topics in the order the server lists them; their place is that order, as the API sends
/// no position for a topic.
pub fn topic_rows(topics: Vec<Topic>) -> Vec<Row> {
    topics
        .into_iter()
        .enumerate()
        .map(|(place, t)| Row {
            id: t.id,
            name_zh: t.title_zh,
            name_en: t.title_en,
            position: i64::try_from(place).unwrap_or(i64::MAX),
            flag: t.open,
            unit: None,
            votes: Some(t.votes),
        })
        .collect()
}

/// An entry as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryForm {
    /// The id typed for a new entry, or the stored one.
    pub id: String,
    pub is_new: bool,
    pub name_zh: String,
    pub name_en: String,
    pub position: String,
    /// Active, or open for votes.
    pub flag: bool,
    /// A category's routing target; empty for none.
    pub unit: String,
}

impl EntryForm {
    /// An empty form for a new entry: active, at position 0.
    pub fn new_entry() -> EntryForm {
        EntryForm {
            id: String::new(),
            is_new: true,
            name_zh: String::new(),
            name_en: String::new(),
            position: "0".to_owned(),
            flag: true,
            unit: String::new(),
        }
    }

    /// The form filled with a stored entry.
    pub fn from_row(row: &Row) -> EntryForm {
        EntryForm {
            id: row.id.clone(),
            is_new: false,
            name_zh: row.name_zh.clone(),
            name_en: row.name_en.clone(),
            position: row.position.to_string(),
            flag: row.flag,
            unit: row.unit.clone().unwrap_or_default(),
        }
    }

    /// The id, checked when it is new.
    fn id(&self, errors: &mut Vec<FieldError>) -> String {
        let id = self.id.trim().to_owned();
        if self.is_new && id.is_empty() {
            errors.push(FieldError::new("id", "required"));
        } else if self.is_new && !valid_slug(&id) {
            errors.push(FieldError::new("id", "invalid_slug"));
        }
        id
    }

    fn position(&self, errors: &mut Vec<FieldError>) -> i64 {
        match self.position.trim() {
            "" => 0,
            text => text.parse().unwrap_or_else(|_| {
                errors.push(FieldError::new("position", "invalid_number"));
                0
            }),
        }
    }

    /// The form's checks and the contract's, all problems at once.
    fn checked<T>(
        &self,
        build: impl FnOnce(i64) -> T,
        validate: impl FnOnce(&T) -> Result<(), Vec<FieldError>>,
    ) -> Result<(String, T), Vec<FieldError>> {
        let mut errors = Vec::new();
        let id = self.id(&mut errors);
        let position = self.position(&mut errors);
        let input = build(position);
        if let Err(found) = validate(&input) {
            let unread = errors.iter().any(|e| e.field == "position");
            errors.extend(
                found
                    .into_iter()
                    .filter(|e| !(unread && e.field == "position")),
            );
        }
        if errors.is_empty() {
            Ok((id, input))
        } else {
            Err(errors)
        }
    }

    /// The id and input of a unit, district or rating tag.
    pub fn to_entry_input(&self) -> Result<(String, EntryInput), Vec<FieldError>> {
        self.checked(
            |position| EntryInput {
                name_zh: self.name_zh.trim().to_owned(),
                name_en: self.name_en.trim().to_owned(),
                position,
                active: self.flag,
            },
            EntryInput::validate,
        )
    }

    /// The id and input of a category.
    pub fn to_category_input(&self) -> Result<(String, CategoryInput), Vec<FieldError>> {
        let unit = Some(self.unit.trim().to_owned()).filter(|u| !u.is_empty());
        self.checked(
            |position| CategoryInput {
                name_zh: self.name_zh.trim().to_owned(),
                name_en: self.name_en.trim().to_owned(),
                position,
                active: self.flag,
                unit,
            },
            CategoryInput::validate,
        )
    }

    /// The id and input of a topic.
    pub fn to_topic_input(&self) -> Result<(String, TopicInput), Vec<FieldError>> {
        self.checked(
            |position| TopicInput {
                title_zh: self.name_zh.trim().to_owned(),
                title_en: self.name_en.trim().to_owned(),
                position,
                open: self.flag,
            },
            TopicInput::validate,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omk_api::refusals;

    fn filled() -> EntryForm {
        EntryForm {
            id: "parking".into(),
            name_zh: " 停车难 ".into(),
            name_en: "Parking".into(),
            position: "3".into(),
            unit: "traffic".into(),
            ..EntryForm::new_entry()
        }
    }

    #[test]
    fn a_new_entry_needs_a_slug_for_its_id() {
        assert_eq!(
            refusals(
                &EntryForm {
                    id: "停车".into(),
                    ..filled()
                }
                .to_entry_input()
            ),
            [("id", "invalid_slug")]
        );
        assert_eq!(
            refusals(
                &EntryForm {
                    id: " ".into(),
                    ..filled()
                }
                .to_entry_input()
            ),
            [("id", "required")]
        );
        // A stored id is the server's: it is not checked again.
        let stored = EntryForm {
            id: "Legacy".into(),
            is_new: false,
            ..filled()
        };
        assert!(stored.to_entry_input().is_ok());
    }

    #[test]
    fn a_category_keeps_its_unit_and_trims_its_names() {
        let (id, input) = filled().to_category_input().unwrap_or_else(|_| {
            (
                String::new(),
                CategoryInput {
                    name_zh: String::new(),
                    name_en: String::new(),
                    position: 0,
                    active: false,
                    unit: None,
                },
            )
        });
        assert_eq!(id, "parking");
        assert_eq!(input.name_zh, "停车难");
        assert_eq!(input.position, 3);
        assert_eq!(input.unit.as_deref(), Some("traffic"));
        let no_unit = EntryForm {
            unit: " ".into(),
            ..filled()
        }
        .to_category_input();
        assert_eq!(no_unit.map(|(_, c)| c.unit), Ok(None));
    }

    #[test]
    fn topic_problems_name_the_title_fields() {
        let form = EntryForm {
            name_zh: String::new(),
            position: "x".into(),
            ..filled()
        };
        assert_eq!(
            refusals(&form.to_topic_input()),
            [("position", "invalid_number"), ("title_zh", "required")]
        );
        assert_eq!(Kind::Topics.name_fields(), ("title_zh", "title_en"));
    }

    #[test]
    fn every_list_has_its_paths_and_words() {
        assert_eq!(
            Kind::List(List::RatingTags).list_path(),
            "/admin/rating-tags"
        );
        assert_eq!(
            Kind::List(List::Units).entry_path("traffic"),
            "/admin/units/traffic"
        );
        assert_eq!(Kind::Topics.entry_path("t1"), "/admin/topics/t1");
        assert_eq!(
            Kind::Categories.entry_path("a b"),
            "/admin/categories/a%20b"
        );
        for &kind in Kind::CHOICES {
            for key in [kind.label_key(), kind.flag_label_key()] {
                for lang in omk_api::Lang::ALL {
                    assert!(crate::i18n::catalogue(lang).has(key), "{key}");
                }
            }
        }
    }

    #[test]
    fn topics_keep_the_order_they_are_listed_in() {
        let topic = |id: &str| Topic {
            id: id.into(),
            title_zh: "题".into(),
            title_en: "Topic".into(),
            votes: 2,
            open: true,
        };
        let rows = topic_rows(vec![topic("b"), topic("a")]);
        assert_eq!(
            rows.iter()
                .map(|r| (r.id.as_str(), r.position))
                .collect::<Vec<_>>(),
            [("b", 0), ("a", 1)]
        );
        assert_eq!(EntryForm::from_row(&rows[1]).position, "1");
    }
}
