//! A measure as its form holds it (title, owner unit, due day, status, percent done) and the
//! [`MeasureInput`] it sends, checked with the contract's rules; and which measures a unit
//! operator sees (their unit's only).

use omk_api::FieldError;
use omk_api::outcome::{MeasureInput, MeasureStatus, MeasureView};

/// The form's fields, as the API names them.
pub const FIELDS: [&str; 6] = [
    "title",
    "owner_unit",
    "due",
    "status",
    "percent",
    "follow_up",
];

/// A measure as typed; `id` is none for a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureForm {
    pub id: Option<i64>,
    pub title: String,
    pub owner_unit: String,
    pub due: String,
    pub status: MeasureStatus,
    pub percent: String,
    pub follow_up: bool,
}

impl MeasureForm {
    /// An empty new measure.
    pub fn new_measure() -> MeasureForm {
        MeasureForm {
            id: None,
            title: String::new(),
            owner_unit: String::new(),
            due: String::new(),
            status: MeasureStatus::NotStarted,
            percent: "0".to_owned(),
            follow_up: false,
        }
    }

    /// The form filled with a stored measure.
    pub fn from_view(measure: &MeasureView) -> MeasureForm {
        MeasureForm {
            id: Some(measure.id),
            title: measure.title.clone(),
            owner_unit: measure.owner_unit.clone(),
            due: measure.due.clone(),
            status: measure.status,
            percent: measure.percent.to_string(),
            follow_up: measure.follow_up,
        }
    }

    /// The measure's id (none for a new one) and the input to send, or every problem.
    pub fn to_input(&self) -> Result<(Option<i64>, MeasureInput), Vec<FieldError>> {
        let percent = self.percent.trim().parse::<u8>().ok().filter(|p| *p <= 100);
        let input = MeasureInput {
            title: self.title.trim().to_owned(),
            owner_unit: self.owner_unit.clone(),
            due: self.due.trim().to_owned(),
            status: self.status,
            percent: percent.unwrap_or(0),
            follow_up: self.follow_up,
        };
        let mut errors = input.validate().err().unwrap_or_default();
        if percent.is_none() {
            errors.push(FieldError::new("percent", "invalid_value"));
        }
        if errors.is_empty() {
            Ok((self.id, input))
        } else {
            Err(errors)
        }
    }
}

/// The measures an operator works on: a unit operator's own unit's, everyone else's all.
pub fn visible(measures: &[MeasureView], own_unit: Option<&str>) -> Vec<MeasureView> {
    measures
        .iter()
        .filter(|m| own_unit.is_none_or(|unit| m.owner_unit == unit))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(id: i64, unit: &str) -> MeasureView {
        MeasureView {
            id,
            title: "Repave the lane".into(),
            owner_unit: unit.into(),
            due: "2026-06-30".into(),
            status: MeasureStatus::InProgress,
            percent: 40,
            follow_up: false,
            created_at: 0,
            updates: Vec::new(),
        }
    }

    #[test]
    fn a_unit_operator_sees_only_their_units_measures() {
        let all = [measure(1, "housing"), measure(2, "transport")];
        let ids = |list: Vec<MeasureView>| list.iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(ids(visible(&all, Some("transport"))), [2]);
        assert_eq!(ids(visible(&all, None)), [1, 2]);
    }

    #[test]
    fn a_stored_measure_round_trips_and_a_bad_percent_is_refused() {
        let stored = measure(7, "housing");
        let (id, input) = MeasureForm::from_view(&stored)
            .to_input()
            .expect("accepted");
        assert_eq!(
            (id, input.percent, input.status),
            (Some(7), 40, MeasureStatus::InProgress)
        );
        let mut form = MeasureForm::from_view(&stored);
        form.percent = "120".into();
        form.due = "soon".into();
        let errors = form.to_input().expect_err("refused");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"percent") && fields.contains(&"due"),
            "{fields:?}"
        );
        assert!(fields.iter().all(|f| FIELDS.contains(f)));
        let empty = MeasureForm::new_measure().to_input().expect_err("refused");
        assert!(empty.iter().any(|e| e.field == "title"));
    }
}
