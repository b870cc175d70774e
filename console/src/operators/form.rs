//! An operator's account as the form holds it, and the input the API takes, checked with
//! the contract's rules (a login for a new account, a password it needs, a unit for a unit
//! operator).

use omk_api::operators::valid_login;
use omk_api::{FieldError, Operator, OperatorInput, Role};

/// An account as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorForm {
    pub login: String,
    pub is_new: bool,
    pub role: Role,
    /// A unit id; only for a unit operator.
    pub unit: String,
    pub active: bool,
    /// A new password; empty keeps the current one.
    pub password: String,
}

/// The form's fields, as the API names them.
pub const FIELDS: [&str; 5] = ["login", "role", "unit", "active", "password"];

impl OperatorForm {
    /// An empty form for a new unit operator.
    pub fn new_account() -> OperatorForm {
        OperatorForm {
            login: String::new(),
            is_new: true,
            role: Role::Unit,
            unit: String::new(),
            active: true,
            password: String::new(),
        }
    }

    /// The form filled with a stored account (never its password).
    pub fn from_operator(operator: &Operator) -> OperatorForm {
        OperatorForm {
            login: operator.login.clone(),
            is_new: false,
            role: operator.role,
            unit: operator.unit.clone().unwrap_or_default(),
            active: operator.active,
            password: String::new(),
        }
    }

    /// The login and the input to send, or every problem at once.
    pub fn to_input(&self) -> Result<(String, OperatorInput), Vec<FieldError>> {
        let mut errors = Vec::new();
        let login = self.login.trim().to_owned();
        if self.is_new && login.is_empty() {
            errors.push(FieldError::new("login", "required"));
        } else if self.is_new && !valid_login(&login) {
            errors.push(FieldError::new("login", "invalid_login"));
        }
        let password = Some(self.password.clone()).filter(|p| !p.is_empty());
        if self.is_new && password.is_none() {
            errors.push(FieldError::new("password", "required"));
        }
        let unit = if self.role.has_unit() {
            Some(self.unit.trim().to_owned()).filter(|u| !u.is_empty())
        } else {
            None
        };
        let input = OperatorInput {
            role: self.role,
            unit,
            active: self.active,
            password,
        };
        if let Err(found) = input.validate() {
            errors.extend(found);
        }
        if errors.is_empty() {
            Ok((login, input))
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omk_api::refusals;

    #[test]
    fn a_new_account_needs_a_login_a_password_and_for_a_unit_operator_a_unit() {
        assert_eq!(
            refusals(&OperatorForm::new_account().to_input()),
            [
                ("login", "required"),
                ("password", "required"),
                ("unit", "required")
            ]
        );
        let bad = OperatorForm {
            login: "Wang Li".into(),
            password: "short".into(),
            unit: "traffic".into(),
            ..OperatorForm::new_account()
        };
        assert_eq!(
            refusals(&bad.to_input()),
            [("login", "invalid_login"), ("password", "too_short")]
        );
    }

    #[test]
    fn an_account_kept_as_it_is_sends_no_password_and_an_admin_no_unit() {
        let stored = Operator {
            login: "chen".into(),
            role: Role::Admin,
            unit: None,
            active: true,
        };
        let form = OperatorForm {
            unit: "left over".into(),
            ..OperatorForm::from_operator(&stored)
        };
        assert_eq!(
            form.to_input(),
            Ok((
                "chen".to_owned(),
                OperatorInput {
                    role: Role::Admin,
                    unit: None,
                    active: true,
                    password: None
                }
            ))
        );
    }

    #[test]
    fn a_new_unit_operator_is_sent_whole() {
        let form = OperatorForm {
            login: " wang.li ".into(),
            unit: "traffic".into(),
            password: "correct horse battery".into(),
            ..OperatorForm::new_account()
        };
        let sent = form.to_input();
        assert_eq!(
            sent.as_ref()
                .map(|(login, input)| (login.as_str(), input.unit.as_deref())),
            Ok(("wang.li", Some("traffic")))
        );
    }
}
