//! What an operator's role may do in the mailbox: admins review; the letter's unit (or an
//! admin) replies and reveals the contact; moderators and admins publish and promote to a
//! proposal; admins and supervisors read the supervision list.

use omk_api::Role;

/// The mailbox's actions a role may take (the server checks the letter's unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LetterRights {
    /// Accept and route, or decline.
    pub reviews: bool,
    /// Reply, and reveal the writer's contact (an audited read).
    pub replies: bool,
    /// Publish a replied letter's approved public text.
    pub publishes: bool,
    /// Read the supervision list.
    pub supervises: bool,
    /// Promote a letter to a proposal for the month's topic.
    pub promotes: bool,
}

impl LetterRights {
    /// The rights of a signed-in operator of `role`; none when nobody is signed in.
    pub fn of(role: Option<Role>) -> LetterRights {
        let Some(role) = role else {
            return LetterRights::default();
        };
        let admin = role == Role::Admin;
        LetterRights {
            reviews: admin,
            replies: role.acts(),
            publishes: admin || role == Role::Moderator,
            supervises: admin || role == Role::Supervisor,
            promotes: admin || role == Role::Moderator,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_has_its_mailbox_actions() {
        let of = |role| LetterRights::of(Some(role));
        assert_eq!(
            of(Role::Admin),
            LetterRights {
                reviews: true,
                replies: true,
                publishes: true,
                supervises: true,
                promotes: true
            }
        );
        let unit = of(Role::Unit);
        assert!(unit.replies && !unit.reviews && !unit.publishes && !unit.supervises);
        assert!(!unit.promotes);
        let moderator = of(Role::Moderator);
        assert!(moderator.publishes && !moderator.replies && !moderator.reviews);
        assert!(moderator.promotes);
        let supervisor = of(Role::Supervisor);
        assert!(supervisor.supervises && !supervisor.replies && !supervisor.publishes);
        assert!(!supervisor.promotes);
        assert_eq!(LetterRights::of(None), LetterRights::default());
    }
}
