//! Operators' accounts and sessions: who may sign in to the console, with which role,
//! and what a sign-in returns.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;

/// The header that carries a session's CSRF token on every state-changing request
/// made with the session cookie.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// The cookie that carries an operator's session (HttpOnly, SameSite=Strict, path `/api/v1`).
pub const SESSION_COOKIE: &str = "omk_session";

/// What an operator may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything: every issue, the reference data, the program, accounts and the audit log.
    Admin,
    /// Only the issues routed to the operator's unit.
    Unit,
    /// The public text of every unit's issues (and of what visitors publish): reads every
    /// issue and hides or shows its text; never moves, routes or sees a contact.
    Moderator,
    /// Reads what the operators' API shows (every unit's issues and figures, the reference
    /// data, the exports, the audit log) and changes nothing; never sees a contact or the
    /// accounts.
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Unit, Role::Moderator, Role::Supervisor];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Unit => "unit",
            Role::Moderator => "moderator",
            Role::Supervisor => "supervisor",
        }
    }

    /// Whether the role works for one unit (and its account names the unit).
    pub fn has_unit(self) -> bool {
        self == Role::Unit
    }

    /// Whether the role reads every unit's work (a unit operator reads only their own).
    pub fn sees_every_unit(self) -> bool {
        !self.has_unit()
    }

    /// Whether the role moves, routes and answers what it reads, and sees its contact details.
    pub fn acts(self) -> bool {
        matches!(self, Role::Admin | Role::Unit)
    }

    /// Whether the role hides or shows the public text of what it reads.
    pub fn moderates(self) -> bool {
        matches!(self, Role::Admin | Role::Unit | Role::Moderator)
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// An operator's account, as admins see it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Operator {
    pub login: String,
    pub role: Role,
    /// The unit a unit operator works for (a unit id); `None` for admins.
    pub unit: Option<String>,
    /// A disabled account cannot sign in, and its sessions end.
    pub active: bool,
}

/// An account as an admin enters it; `PUT /admin/operators/{login}` creates or replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorInput {
    pub role: Role,
    /// Required for a unit operator (an active unit's id), blank or absent for other roles
    /// (else 422 naming `unit`).
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    /// A new password of 10 to 200 characters; required when the account is created (else
    /// 422 `required`), kept when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 200))]
    pub password: Option<String>,
}

fn yes() -> bool {
    true
}

impl OperatorInput {
    /// The shortest password, in characters.
    pub const PASSWORD_MIN: usize = 10;
    /// The longest password, in characters.
    pub const PASSWORD_MAX: usize = 200;

    /// Checks the fields that need no stored data, returning all problems at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        match (self.role, self.unit.as_deref().map(str::trim)) {
            (Role::Unit, None | Some("")) => errors.push(FieldError::new("unit", "required")),
            (role, Some(u)) if !role.has_unit() && !u.is_empty() => {
                errors.push(FieldError::new("unit", "invalid_value"))
            }
            _ => {}
        }
        if let Some(password) = &self.password
            && let Err(code) = check_password(password)
        {
            errors.push(FieldError::new("password", code));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Whether a password is acceptable: its error code if not.
pub fn check_password(password: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < OperatorInput::PASSWORD_MIN {
        Err("too_short")
    } else if length > OperatorInput::PASSWORD_MAX {
        Err("too_long")
    } else {
        Ok(())
    }
}

/// Whether `login` can name an account: 2 to 40 lower-case ASCII letters, digits, `.`,
/// `-` or `_`, starting with a letter.
pub fn valid_login(login: &str) -> bool {
    (2..=40).contains(&login.len())
        && login.starts_with(|c: char| c.is_ascii_lowercase())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

/// A sign-in: `POST /api/v1/session`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { SignIn::LOGIN_MAX }>)
    )]
    pub login: String,
    /// Up to 200 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub password: String,
}

impl SignIn {
    /// The longest login a sign-in takes, in characters (trimmed).
    pub const LOGIN_MAX: usize = 64;
    /// The longest password a sign-in takes, in characters.
    pub const PASSWORD_MAX: usize = OperatorInput::PASSWORD_MAX;
}

/// The password never shows in `Debug` output.
impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("login", &self.login)
            .field("password", &"***")
            .finish()
    }
}

/// The signed-in operator's session: who, until when, and the token every
/// state-changing request must carry in [`CSRF_HEADER`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub operator: Operator,
    pub csrf_token: String,
    /// When the session ends, in Unix seconds.
    pub expires_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_operator_needs_a_unit_and_an_admin_has_none() {
        let unit = OperatorInput {
            role: Role::Unit,
            unit: None,
            active: true,
            password: Some("short".into()),
        };
        let codes: Vec<_> = unit
            .validate()
            .expect_err("two problems")
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("unit".to_owned(), "required".to_owned()),
                ("password".to_owned(), "too_short".to_owned())
            ]
        );
        let admin = OperatorInput {
            role: Role::Admin,
            unit: Some("traffic".into()),
            active: true,
            password: None,
        };
        assert!(admin.validate().is_err());
    }

    #[test]
    fn logins_are_plain() {
        assert!(valid_login("wang.li"));
        assert!(!valid_login("Wang"));
        assert!(!valid_login("a"));
        assert!(!valid_login("王丽"));
    }

    #[test]
    fn a_sign_in_hides_its_password_from_debug() {
        let sign_in = SignIn {
            login: "admin".into(),
            password: "correct horse".into(),
        };
        assert!(!format!("{sign_in:?}").contains("horse"));
    }
}
