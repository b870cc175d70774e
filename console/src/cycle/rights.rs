//! What an operator's role may do on the month's cycle screen: admins run the cycle,
//! moderators the proposals queue, unit operators their unit's measures, supervisors read.

use omk_api::Role;

/// The parts of the cycle screen a role may act on (everything else it only reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CycleRights {
    /// Create the cycle, move its stage, set weights, shortlist, choose, meeting, decision.
    pub runs_cycle: bool,
    /// Publish, merge or reject proposals.
    pub moderates_proposals: bool,
    /// Edit measures and add progress updates (a unit operator: only their unit's).
    pub edits_measures: bool,
    /// Read the meeting's opinions (an audited read).
    pub reads_opinions: bool,
    /// See the proposals queue.
    pub sees_proposals: bool,
}

impl CycleRights {
    /// The rights of a signed-in operator of `role`; none when nobody is signed in.
    pub fn of(role: Option<Role>) -> CycleRights {
        let Some(role) = role else {
            return CycleRights::default();
        };
        let admin = role == Role::Admin;
        CycleRights {
            runs_cycle: admin,
            moderates_proposals: admin || role == Role::Moderator,
            edits_measures: role.acts(),
            reads_opinions: admin || role == Role::Supervisor,
            sees_proposals: role.sees_every_unit(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_run_the_cycle_and_supervisors_only_read() {
        let admin = CycleRights::of(Some(Role::Admin));
        assert!(admin.runs_cycle && admin.moderates_proposals && admin.edits_measures);
        let supervisor = CycleRights::of(Some(Role::Supervisor));
        assert!(!supervisor.runs_cycle && !supervisor.moderates_proposals);
        assert!(!supervisor.edits_measures);
        assert!(supervisor.reads_opinions && supervisor.sees_proposals);
        let moderator = CycleRights::of(Some(Role::Moderator));
        assert!(moderator.moderates_proposals && !moderator.runs_cycle);
        assert!(!moderator.reads_opinions && !moderator.edits_measures);
        let unit = CycleRights::of(Some(Role::Unit));
        assert!(unit.edits_measures && !unit.sees_proposals && !unit.runs_cycle);
        assert_eq!(CycleRights::of(None), CycleRights::default());
    }
}
