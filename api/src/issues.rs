//! Issues (requests and complaints) that visitors submit, their categories,
//! receipts and the public status view, with the rules a submission must meet.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;

/// An issue category, named in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// A stable slug, for example `parking`.
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

/// What a visitor submits. Anonymous unless `consent` is given with a name or phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewIssue {
    /// A category id from `GET /api/v1/categories`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub category: String,
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<{ NewIssue::DESCRIPTION_MIN }, { NewIssue::DESCRIPTION_MAX }>)
    )]
    pub description: String,
    /// Where the problem is, as typed text.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { NewIssue::PLACE_MAX }>)
    )]
    pub place: String,
    /// Optional, for a call-back; needs `consent`.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::optional_text::<{ NewIssue::NAME_MAX }>)
    )]
    pub name: Option<String>,
    /// Optional, for a call-back; needs `consent`. Mainland mobile or landline digits.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::phone))]
    pub phone: Option<String>,
    /// The visitor agreed that the name and phone may be stored for a call-back; a name or
    /// phone without it is refused (422 `consent_required`).
    #[serde(default)]
    pub consent: bool,
    /// A field people never see and never fill; a submission that fills it is
    /// refused as automated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::honeypot))]
    pub website: Option<String>,
    /// How long the form was open before sending, in milliseconds, as the widget measures
    /// it. The reference server requires it (422 `required` without it: a submission that
    /// does not say comes from a script) and refuses implausibly fast ones (under its
    /// minimum, 2 s unless configured: 422 `too_fast`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::numbers::optional_whole"
    )]
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 0, maximum = 9007199254740991_i64, required = true)
    )]
    pub fill_ms: Option<u64>,
}

impl NewIssue {
    pub const DESCRIPTION_MIN: usize = 5;
    pub const DESCRIPTION_MAX: usize = 2000;
    pub const PLACE_MAX: usize = 200;
    pub const NAME_MAX: usize = 50;

    /// Checks every field and returns all the problems at once.
    ///
    /// Category existence is checked by the backend, which knows the list.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.category.trim().is_empty() {
            errors.push(FieldError::new("category", "required"));
        }
        let description = self.description.trim().chars().count();
        if description == 0 {
            errors.push(FieldError::new("description", "required"));
        } else if description < Self::DESCRIPTION_MIN {
            errors.push(FieldError::new("description", "too_short"));
        } else if description > Self::DESCRIPTION_MAX {
            errors.push(FieldError::new("description", "too_long"));
        }
        let place = self.place.trim().chars().count();
        if place == 0 {
            errors.push(FieldError::new("place", "required"));
        } else if place > Self::PLACE_MAX {
            errors.push(FieldError::new("place", "too_long"));
        }
        let name = self
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let phone = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let Some(name) = name
            && name.chars().count() > Self::NAME_MAX
        {
            errors.push(FieldError::new("name", "too_long"));
        }
        if let Some(phone) = phone
            && !is_phone(phone)
        {
            errors.push(FieldError::new("phone", "phone_format"));
        }
        if (name.is_some() || phone.is_some()) && !self.consent {
            errors.push(FieldError::new("consent", "consent_required"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The submission with blank optional fields dropped and text trimmed.
    pub fn normalized(&self) -> NewIssue {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        NewIssue {
            category: self.category.trim().to_owned(),
            description: self.description.trim().to_owned(),
            place: self.place.trim().to_owned(),
            name: clean(&self.name),
            phone: clean(&self.phone),
            consent: self.consent,
            website: clean(&self.website),
            fill_ms: self.fill_ms,
        }
    }
}

/// A mainland mobile number (11 digits starting with 1) or a landline
/// (area code and number, digits with one optional hyphen, 7 to 12 digits).
pub fn is_phone(phone: &str) -> bool {
    let digits: String = phone.chars().filter(|c| *c != '-').collect();
    let hyphens = phone.len() - digits.len();
    if !digits.chars().all(|c| c.is_ascii_digit()) || hyphens > 1 {
        return false;
    }
    let mobile = digits.len() == 11 && digits.starts_with('1') && hyphens == 0;
    let landline = (7..=12).contains(&digits.len()) && digits.starts_with('0');
    mobile || landline
}

/// Where an issue stands. Issues move forward only: received → accepted →
/// answered → resolved or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IssueStatus {
    Received,
    Accepted,
    Answered,
    Resolved,
    Closed,
}

impl IssueStatus {
    pub const ALL: [IssueStatus; 5] = [
        IssueStatus::Received,
        IssueStatus::Accepted,
        IssueStatus::Answered,
        IssueStatus::Resolved,
        IssueStatus::Closed,
    ];

    /// The stored and wire form, for example `resolved`.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueStatus::Received => "received",
            IssueStatus::Accepted => "accepted",
            IssueStatus::Answered => "answered",
            IssueStatus::Resolved => "resolved",
            IssueStatus::Closed => "closed",
        }
    }

    /// The message key of its name, for example `status.resolved`: each catalogue (the
    /// visitors' and the operators') words it for its own readers.
    pub fn message_key(self) -> &'static str {
        match self {
            IssueStatus::Received => "status.received",
            IssueStatus::Accepted => "status.accepted",
            IssueStatus::Answered => "status.answered",
            IssueStatus::Resolved => "status.resolved",
            IssueStatus::Closed => "status.closed",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<IssueStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether an operator may move an issue from `self` to `next`.
    pub fn can_move_to(self, next: IssueStatus) -> bool {
        let rank = |s: IssueStatus| Self::ALL.iter().position(|x| *x == s).unwrap_or(0);
        match self {
            IssueStatus::Resolved | IssueStatus::Closed => false,
            _ => rank(next) > rank(self),
        }
    }

    /// Whether the issue has had a response (anything past received).
    pub fn is_responded(self) -> bool {
        self != IssueStatus::Received
    }

    /// Whether the issue counts as solved.
    pub fn is_solved(self) -> bool {
        self == IssueStatus::Resolved
    }
}

/// The answer to a successful submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueReceipt {
    /// The public tracking number, for example `OM-7K3F-9QX2-M4TB-6`.
    pub tracking_no: String,
    pub status: IssueStatus,
    pub created_at: i64,
}

/// What anyone may see of an issue by its tracking number: never personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueStatusView {
    pub tracking_no: String,
    pub category: String,
    pub status: IssueStatus,
    pub created_at: i64,
    pub updated_at: i64,
    /// The public answer, once there is one.
    pub answer: Option<String>,
    /// What the visitor reported; `None` when a moderator has hidden it.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether a moderator has hidden the issue's text from public view.
    #[serde(default)]
    pub hidden: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::refusals;

    #[test]
    fn every_status_is_named_in_both_catalogues_and_languages() {
        use crate::{Lang, Messages};
        let console = [
            Messages::parse(include_str!("../../locales/console.zh-CN.messages")),
            Messages::parse(include_str!("../../locales/console.en.messages")),
        ];
        let mut keys: Vec<&str> = IssueStatus::ALL.map(IssueStatus::message_key).to_vec();
        for key in &keys {
            assert!(key.starts_with("status."), "{key}");
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(Messages::get(lang).has(key), "{lang:?} lacks {key}");
            }
            for catalogue in &console {
                assert!(catalogue.has(key), "the console lacks {key}");
            }
        }
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), IssueStatus::ALL.len());
        assert_eq!(IssueStatus::Answered.message_key(), "status.answered");
    }

    fn valid() -> NewIssue {
        NewIssue {
            category: "parking".into(),
            description: "小区门口违章停车严重".into(),
            place: "东昌府区柳园街道".into(),
            ..Default::default()
        }
    }

    #[test]
    fn anonymous_issue_is_valid() {
        assert_eq!(valid().validate(), Ok(()));
    }

    #[test]
    fn blank_description_is_required_not_too_short() {
        let issue = NewIssue {
            description: "   ".into(),
            ..valid()
        };
        assert_eq!(refusals(&issue.validate()), [("description", "required")]);
    }

    #[test]
    fn description_length_counts_characters_not_bytes() {
        let issue = NewIssue {
            description: "停车难问题".into(),
            ..valid()
        };
        assert_eq!(issue.validate(), Ok(()));
        let long = NewIssue {
            description: "停".repeat(NewIssue::DESCRIPTION_MAX + 1),
            ..valid()
        };
        assert_eq!(refusals(&long.validate()), [("description", "too_long")]);
    }

    #[test]
    fn personal_data_needs_consent() {
        let issue = NewIssue {
            phone: Some("13800138000".into()),
            ..valid()
        };
        assert_eq!(
            refusals(&issue.validate()),
            [("consent", "consent_required")]
        );
        let ok = NewIssue {
            consent: true,
            ..issue
        };
        assert_eq!(ok.validate(), Ok(()));
    }

    #[test]
    fn blank_optional_fields_do_not_need_consent() {
        let issue = NewIssue {
            name: Some("  ".into()),
            phone: Some(String::new()),
            ..valid()
        };
        assert_eq!(issue.validate(), Ok(()));
        assert_eq!(issue.normalized().name, None);
    }

    #[test]
    fn phone_formats() {
        assert!(is_phone("13800138000"));
        assert!(is_phone("0635-8888888"));
        assert!(!is_phone("23800138000"));
        assert!(!is_phone("1380013800"));
        assert!(!is_phone("138-0013-8000"));
        assert!(!is_phone("abc"));
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let issue = NewIssue::default();
        assert_eq!(refusals(&issue.validate()).len(), 3);
    }

    #[test]
    fn status_moves_forward_only() {
        use IssueStatus::*;
        assert!(Received.can_move_to(Accepted));
        assert!(Accepted.can_move_to(Resolved));
        assert!(!Answered.can_move_to(Received));
        assert!(!Resolved.can_move_to(Closed));
        assert_eq!(IssueStatus::parse("answered"), Some(Answered));
        assert_eq!(IssueStatus::parse("nope"), None);
    }
}
