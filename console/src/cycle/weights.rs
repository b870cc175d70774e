//! The weights' form as typed (four whole percentages) and the [`Weights`] it sends, checked
//! with the contract's rule: each 0 to 100, all four summing to 100.

use omk_api::{FieldError, Weights};

/// The form's fields, as the API names them (`weights` for the sum).
pub const FIELDS: [&str; 5] = [
    "representatives",
    "public",
    "hotline",
    "proposals",
    "weights",
];

/// The four weights as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeightsForm {
    pub representatives: String,
    pub public: String,
    pub hotline: String,
    pub proposals: String,
}

impl WeightsForm {
    /// The form filled with weights already set, or empty.
    pub fn from_weights(weights: Option<&Weights>) -> WeightsForm {
        let Some(w) = weights else {
            return WeightsForm::default();
        };
        WeightsForm {
            representatives: w.representatives.to_string(),
            public: w.public.to_string(),
            hotline: w.hotline.to_string(),
            proposals: w.proposals.to_string(),
        }
    }

    /// The weights to send, or every problem at once.
    pub fn to_input(&self) -> Result<Weights, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut read = |field: &'static str, text: &str| match text.trim().parse::<u8>() {
            Ok(value) if value <= 100 => value,
            _ => {
                let code = if text.trim().is_empty() {
                    "required"
                } else {
                    "invalid_value"
                };
                errors.push(FieldError::new(field, code));
                0
            }
        };
        let weights = Weights {
            representatives: read("representatives", &self.representatives),
            public: read("public", &self.public),
            hotline: read("hotline", &self.hotline),
            proposals: read("proposals", &self.proposals),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        weights.validate().map(|()| weights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(values: [&str; 4]) -> WeightsForm {
        WeightsForm {
            representatives: values[0].into(),
            public: values[1].into(),
            hotline: values[2].into(),
            proposals: values[3].into(),
        }
    }

    #[test]
    fn weights_summing_to_100_are_sent() {
        let weights = form(["40", "30", "20", " 10 "])
            .to_input()
            .expect("accepted");
        assert_eq!(weights.as_array(), [40, 30, 20, 10]);
        assert_eq!(
            WeightsForm::from_weights(Some(&weights)),
            form(["40", "30", "20", "10"])
        );
    }

    #[test]
    fn a_wrong_sum_or_a_bad_number_is_refused_before_sending() {
        let sum = form(["40", "30", "20", "20"])
            .to_input()
            .expect_err("refused");
        assert_eq!(sum, vec![FieldError::new("weights", "sum_not_100")]);
        let bad = form(["", "101", "x", "10"])
            .to_input()
            .expect_err("refused");
        let fields: Vec<_> = bad
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("representatives", "required"),
                ("public", "invalid_value"),
                ("hotline", "invalid_value")
            ]
        );
        for error in &bad {
            assert!(FIELDS.contains(&error.field.as_str()));
        }
    }
}
