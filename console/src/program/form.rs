//! The event form as plain data: what the operator typed, with times in Beijing time, turned
//! into an [`EventInput`] (or every problem with it), and the import's request.

use omk_api::{Event, EventInput, EventQuery, FieldError};

use crate::format::{datetime_local, parse_datetime_local};

/// An event as the form holds it: text as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventForm {
    pub title: String,
    pub unit: String,
    pub district: String,
    pub theme: String,
    pub place: String,
    /// `YYYY-MM-DDTHH:MM`, Beijing time.
    pub starts_at: String,
    /// `YYYY-MM-DDTHH:MM`, Beijing time.
    pub ends_at: String,
    pub capacity: String,
    pub registration: bool,
    pub summary: String,
}

impl Default for EventForm {
    fn default() -> Self {
        EventForm {
            title: String::new(),
            unit: String::new(),
            district: String::new(),
            theme: String::new(),
            place: String::new(),
            starts_at: String::new(),
            ends_at: String::new(),
            capacity: "0".to_owned(),
            registration: true,
            summary: String::new(),
        }
    }
}

/// The message key of an event field's name (as the form labels it), for errors about it.
pub fn field_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "title" => "event.title",
        "unit" => "event.unit",
        "district" => "event.district",
        "theme" => "event.theme",
        "place" => "event.place",
        "starts_at" => "event.starts_at",
        "ends_at" => "event.ends_at",
        "capacity" => "event.capacity",
        "registration" => "event.registration",
        "summary" => "event.summary",
        _ => return None,
    })
}

impl EventForm {
    /// The form filled with a stored event.
    pub fn from_event(event: &Event) -> EventForm {
        EventForm {
            title: event.title.clone(),
            unit: event.unit.clone(),
            district: event.district.clone(),
            theme: event.theme.clone(),
            place: event.place.clone(),
            starts_at: datetime_local(event.starts_at),
            ends_at: datetime_local(event.ends_at),
            capacity: event.capacity.to_string(),
            registration: event.registration,
            summary: event.summary.clone(),
        }
    }

    /// The event to send, or every problem with the form at once.
    pub fn to_input(&self) -> Result<EventInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut time = |field: &str, text: &str| {
            parse_datetime_local(text).unwrap_or_else(|| {
                let code = if text.trim().is_empty() {
                    "required"
                } else {
                    "invalid_datetime"
                };
                errors.push(FieldError::new(field, code));
                0
            })
        };
        let starts_at = time("starts_at", &self.starts_at);
        let ends_at = time("ends_at", &self.ends_at);
        let capacity = match self.capacity.trim() {
            "" => 0,
            text => text.parse::<i64>().unwrap_or_else(|_| {
                errors.push(FieldError::new("capacity", "invalid_number"));
                0
            }),
        };
        let input = EventInput {
            title: self.title.trim().to_owned(),
            unit: self.unit.trim().to_owned(),
            district: self.district.trim().to_owned(),
            theme: self.theme.trim().to_owned(),
            place: self.place.trim().to_owned(),
            starts_at,
            ends_at,
            capacity,
            registration: self.registration,
            summary: self.summary.trim().to_owned(),
        };
        if let Err(found) = input.check() {
            // A field whose text could not be read keeps that error alone.
            let unread: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
            let times_unread = unread.iter().any(|f| f == "starts_at" || f == "ends_at");
            let already_named = |e: &FieldError| {
                unread.contains(&e.field) || (times_unread && e.field == "ends_at")
            };
            errors.extend(found.into_iter().filter(|e| !already_named(e)));
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// Which events the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramFilter {
    /// Words matched against title, unit, place and theme; empty for all.
    pub q: String,
    /// Whether events that have ended are listed too.
    pub past: bool,
}

impl ProgramFilter {
    /// Events on one page of the list (the most the public list gives).
    pub const PER_PAGE: u32 = EventQuery::MAX_PER_PAGE;

    /// The query for page `page` at `now` (Unix seconds).
    pub fn query(&self, page: u32, now: i64) -> EventQuery {
        EventQuery {
            q: Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
            from: (!self.past).then_some(now),
            page: Some(page.max(1)),
            per_page: Some(Self::PER_PAGE),
            ..EventQuery::default()
        }
    }
}

/// The `Content-Type` a program file is sent with, by its extension.
pub fn import_content_type(file_name: &str) -> Result<&'static str, FieldError> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") => Ok("text/csv"),
        Some("json") => Ok("application/json"),
        _ => Err(FieldError::new("file", "file_type")),
    }
}

/// The import route, replacing the program or adding to it.
pub fn import_path(replace: bool) -> &'static str {
    if replace {
        "/admin/events/import?replace=true"
    } else {
        "/admin/events/import"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-09-01 09:30 in Beijing.
    const OPENING: i64 = 1_788_226_200;

    fn filled() -> EventForm {
        EventForm {
            title: " 生态环境局开放日 ".into(),
            unit: "聊城市生态环境局".into(),
            district: "东昌府区".into(),
            theme: "生态环境".into(),
            place: "局机关".into(),
            starts_at: "2026-09-01T09:30".into(),
            ends_at: "2026-09-01T11:30".into(),
            capacity: "30".into(),
            registration: true,
            summary: String::new(),
        }
    }

    #[test]
    fn form_times_are_beijing_time() {
        let input = filled().to_input();
        assert_eq!(
            input.as_ref().map(|i| (i.starts_at, i.ends_at, i.capacity)),
            Ok((OPENING, OPENING + 2 * 3600, 30))
        );
        assert_eq!(input.map(|i| i.title), Ok("生态环境局开放日".to_owned()));
    }

    #[test]
    fn a_stored_event_fills_the_form_and_comes_back_the_same() {
        let event = Event {
            id: 7,
            title: "开放日".into(),
            unit: "u".into(),
            district: "d".into(),
            theme: "t".into(),
            place: "p".into(),
            starts_at: OPENING,
            ends_at: OPENING + 3600,
            capacity: 20,
            registered: 3,
            registration: false,
            summary: "s".into(),
        };
        let form = EventForm::from_event(&event);
        assert_eq!(form.starts_at, "2026-09-01T09:30");
        let input = form.to_input();
        assert_eq!(
            input.map(|i| (i.starts_at, i.ends_at, i.capacity, i.registration)),
            Ok((OPENING, OPENING + 3600, 20, false))
        );
    }

    #[test]
    fn every_problem_is_named_once() {
        let form = EventForm {
            title: " ".into(),
            starts_at: "soon".into(),
            ends_at: String::new(),
            capacity: "many".into(),
            ..filled()
        };
        let mut found: Vec<_> = form
            .to_input()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        found.sort();
        let expected = [
            ("capacity", "invalid_number"),
            ("ends_at", "required"),
            ("starts_at", "invalid_datetime"),
            ("title", "required"),
        ];
        assert_eq!(found, expected.map(|(f, c)| (f.to_owned(), c.to_owned())));
        let backwards = EventForm {
            ends_at: "2026-09-01T08:00".into(),
            ..filled()
        };
        assert_eq!(
            backwards.to_input().map_err(|e| e[0].field.clone()),
            Err("ends_at".to_owned())
        );
    }

    #[test]
    fn the_list_shows_events_not_yet_over_unless_asked() {
        let upcoming = ProgramFilter::default().query(1, OPENING);
        assert_eq!(
            upcoming.to_query_string(),
            format!("from={OPENING}&page=1&per_page=100")
        );
        let all = ProgramFilter {
            q: " 开放日 ".into(),
            past: true,
        }
        .query(2, OPENING);
        assert_eq!(
            all.to_query_string(),
            "q=%E5%BC%80%E6%94%BE%E6%97%A5&page=2&per_page=100"
        );
    }

    #[test]
    fn every_field_has_a_name_in_both_languages() {
        for field in EventInput::FIELDS {
            let key = field_label(field).unwrap_or("missing");
            for lang in omk_api::Lang::ALL {
                assert!(crate::i18n::catalogue(lang).has(key), "{field}");
            }
        }
        assert_eq!(field_label("line"), None);
    }

    #[test]
    fn a_program_file_is_sent_by_its_extension() {
        assert_eq!(import_content_type("program.CSV"), Ok("text/csv"));
        assert_eq!(import_content_type("a.b.json"), Ok("application/json"));
        assert!(import_content_type("program.xlsx").is_err());
        assert!(import_content_type("program").is_err());
        assert_eq!(import_path(true), "/admin/events/import?replace=true");
    }
}
