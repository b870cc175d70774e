//! Who is signed in: the session the server handed out (with its CSRF token), or why no one
//! is, as a context every screen reads and the HTTP client ends on a 401.

use leptos::prelude::*;
use omk_api::{Role, Session};

/// Why the sign-in screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedOutReason {
    /// No session when the console opened.
    NotSignedIn,
    /// The server no longer knew the session (expired, ended, account disabled).
    Ended,
    /// The operator signed out.
    ByOperator,
    /// The server could not be reached to ask.
    Unreachable,
}

impl SignedOutReason {
    /// Whether the operator must be told at once (an alert) rather than politely (a status).
    pub fn is_urgent(self) -> bool {
        matches!(self, SignedOutReason::Ended | SignedOutReason::Unreachable)
    }

    /// The message key of what the sign-in screen says about it, if anything.
    pub fn message_key(self) -> Option<&'static str> {
        match self {
            SignedOutReason::NotSignedIn => None,
            SignedOutReason::Ended => Some("signin.session_ended"),
            SignedOutReason::ByOperator => Some("signin.signed_out"),
            SignedOutReason::Unreachable => Some("error.network"),
        }
    }
}

/// Where the console stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthState {
    /// Asking the server whether the browser holds a session.
    Checking,
    SignedOut(SignedOutReason),
    SignedIn(Session),
}

/// The session context.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    state: RwSignal<AuthState>,
}

impl Auth {
    /// A context in the `Checking` state.
    pub fn provide() -> Auth {
        let auth = Auth {
            state: RwSignal::new(AuthState::Checking),
        };
        provide_context(auth);
        auth
    }

    /// The state (tracked).
    pub fn state(&self) -> AuthState {
        self.state.get()
    }

    /// The signed-in session (tracked).
    pub fn session(&self) -> Option<Session> {
        match self.state.get() {
            AuthState::SignedIn(session) => Some(session),
            _ => None,
        }
    }

    /// The CSRF token every state-changing request carries (untracked).
    pub fn csrf_token(&self) -> Option<String> {
        self.state.with_untracked(|state| match state {
            AuthState::SignedIn(session) => Some(session.csrf_token.clone()),
            _ => None,
        })
    }

    /// Whether an admin is signed in (tracked).
    pub fn is_admin(&self) -> bool {
        self.state
            .with(|state| matches!(state, AuthState::SignedIn(s) if s.operator.role == Role::Admin))
    }

    /// The signed-in operator's role (tracked).
    pub fn role(&self) -> Option<Role> {
        self.state.with(|state| match state {
            AuthState::SignedIn(s) => Some(s.operator.role),
            _ => None,
        })
    }

    /// Whether the signed-in operator reads every unit's work (tracked).
    pub fn sees_every_unit(&self) -> bool {
        self.role().is_some_and(Role::sees_every_unit)
    }

    /// The unit of a signed-in unit operator (tracked).
    pub fn own_unit(&self) -> Option<String> {
        self.state.with(|state| match state {
            AuthState::SignedIn(s) if s.operator.role == Role::Unit => s.operator.unit.clone(),
            _ => None,
        })
    }

    /// A session was started or found: the console, read as a new page.
    pub fn signed_in(&self, session: Session) {
        self.state.set(AuthState::SignedIn(session));
        crate::screen::focus_page_start();
    }

    /// Shows the sign-in screen, saying why, read as a new page.
    pub fn signed_out(&self, reason: SignedOutReason) {
        self.state.set(AuthState::SignedOut(reason));
        crate::screen::focus_page_start();
    }

    /// The server refused the session on an operator route: back to the sign-in screen
    /// with "your session has ended", unless no one was signed in anyway.
    pub fn session_refused(&self) {
        let signed_in = self
            .state
            .with_untracked(|state| matches!(state, AuthState::SignedIn(_)));
        if signed_in {
            self.signed_out(SignedOutReason::Ended);
        }
    }
}

/// The session context of the console.
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
