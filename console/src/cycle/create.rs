//! A new month's cycle as the form holds it (the month and one planned day per stage) and
//! the [`CycleInput`] it sends, checked with the contract's rules before sending.

use omk_api::FieldError;
use omk_api::cycle::{CycleInput, CycleStage, Month, PlannedDay};

/// The form's fields, as the API names them.
pub const FIELDS: [&str; 2] = ["month", "plan"];

/// A new cycle as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CycleForm {
    /// `YYYY-MM`.
    pub month: String,
    /// The planned day of each stage, in [`CycleStage::ALL`]'s order (`YYYY-MM-DD`).
    pub days: [String; 8],
}

impl CycleForm {
    /// The cycle to send, or every problem at once.
    pub fn to_input(&self) -> Result<CycleInput, Vec<FieldError>> {
        let Some(month) = Month::parse(self.month.trim()) else {
            let code = if self.month.trim().is_empty() {
                "required"
            } else {
                "invalid_value"
            };
            return Err(vec![FieldError::new("month", code)]);
        };
        let plan = CycleStage::ALL
            .into_iter()
            .zip(&self.days)
            .map(|(stage, day)| PlannedDay {
                stage,
                day: day.trim().to_owned(),
            })
            .collect();
        let input = CycleInput { month, plan };
        input.validate().map(|_| input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(month: &str, days: [&str; 8]) -> CycleForm {
        CycleForm {
            month: month.into(),
            days: days.map(str::to_owned),
        }
    }

    const DAYS: [&str; 8] = [
        "2026-05-01",
        "2026-05-08",
        "2026-05-12",
        "2026-05-20",
        "2026-05-22",
        "2026-05-25",
        "2026-06-10",
        "2026-06-20",
    ];

    #[test]
    fn a_month_with_its_days_in_order_is_sent() {
        let input = form("2026-05", DAYS).to_input().expect("accepted");
        assert_eq!(input.month.to_string(), "2026-05");
        assert_eq!(input.plan.len(), CycleStage::ALL.len());
        assert_eq!(input.plan[2].stage, CycleStage::Voting);
    }

    #[test]
    fn a_bad_month_or_a_day_going_back_is_refused_before_sending() {
        let month = form("2026-5", DAYS).to_input().expect_err("refused");
        assert_eq!(month, vec![FieldError::new("month", "invalid_value")]);
        let mut back = DAYS;
        back[3] = "2026-05-10";
        let errors = form("2026-05", back).to_input().expect_err("refused");
        assert!(errors.iter().all(|e| e.field == "plan"), "{errors:?}");
        let empty = form("2026-05", [""; 8]).to_input().expect_err("refused");
        assert!(empty.iter().all(|e| FIELDS.contains(&e.field.as_str())));
    }
}
