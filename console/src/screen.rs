//! Where the operator is: the console's screens as an enum, each with its place in the URL's
//! hash (`#/issues/OM-7K3F-9QX2`), so a reload or a shared link opens the same screen.
//! A signal, not a router: the bundle stays small, and back/forward still work through
//! `hashchange`.

use leptos::prelude::*;
use omk_api::Role;
use omk_api::events::encode_component;

/// A screen of the console.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    Inbox,
    /// One issue, by tracking number.
    Issue(String),
    Figures,
    Program,
    Reference,
    Operators,
    Audit,
    /// The month's cycle: its stages, shortlist, score, meeting, decision and measures.
    Cycle,
    /// The mayor's mailbox: letters, their review, replies, publication and supervision.
    Letters,
    /// Opinion collections and their comments.
    Collections,
}

/// The screens in the navigation, in order.
pub const NAVIGATION: [Screen; 9] = [
    Screen::Inbox,
    Screen::Cycle,
    Screen::Letters,
    Screen::Collections,
    Screen::Figures,
    Screen::Program,
    Screen::Reference,
    Screen::Operators,
    Screen::Audit,
];

impl Screen {
    /// The screen a URL hash names (`#/figures`); `None` for anything else.
    pub fn from_hash(hash: &str) -> Option<Screen> {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (head, rest) = path.split_once('/').unwrap_or((path, ""));
        let screen = match (head, rest) {
            ("" | "inbox", "") => Screen::Inbox,
            ("issues", number) if !number.is_empty() && !number.contains('/') => {
                Screen::Issue(decode_component(number)?)
            }
            ("figures", "") => Screen::Figures,
            ("program", "") => Screen::Program,
            ("reference", "") => Screen::Reference,
            ("operators", "") => Screen::Operators,
            ("audit", "") => Screen::Audit,
            ("cycle", "") => Screen::Cycle,
            ("letters", "") => Screen::Letters,
            ("collections", "") => Screen::Collections,
            _ => return None,
        };
        Some(screen)
    }

    /// The URL hash of the screen, with its `#`.
    pub fn hash(&self) -> String {
        match self {
            Screen::Inbox => "#/inbox".to_owned(),
            Screen::Issue(number) => format!("#/issues/{}", encode_component(number)),
            Screen::Figures => "#/figures".to_owned(),
            Screen::Program => "#/program".to_owned(),
            Screen::Reference => "#/reference".to_owned(),
            Screen::Operators => "#/operators".to_owned(),
            Screen::Audit => "#/audit".to_owned(),
            Screen::Cycle => "#/cycle".to_owned(),
            Screen::Letters => "#/letters".to_owned(),
            Screen::Collections => "#/collections".to_owned(),
        }
    }

    /// Whether an operator of `role` may use it: the program, the reference data and the
    /// accounts are for admins; the audit log for admins and supervisors (who read what
    /// admins read); the rest for everyone, each screen showing only what the role may do.
    pub fn visible_to(&self, role: Role) -> bool {
        match self {
            Screen::Program | Screen::Reference | Screen::Operators => role == Role::Admin,
            Screen::Audit => role == Role::Admin || role == Role::Supervisor,
            Screen::Collections => role.sees_every_unit(),
            Screen::Inbox
            | Screen::Issue(_)
            | Screen::Figures
            | Screen::Cycle
            | Screen::Letters => true,
        }
    }

    /// The message key of its name in the navigation.
    pub fn label_key(&self) -> &'static str {
        match self {
            Screen::Inbox | Screen::Issue(_) => "nav.inbox",
            Screen::Figures => "nav.figures",
            Screen::Program => "nav.program",
            Screen::Reference => "nav.reference",
            Screen::Operators => "nav.operators",
            Screen::Audit => "nav.audit",
            Screen::Cycle => "nav.cycle",
            Screen::Letters => "nav.letters",
            Screen::Collections => "nav.collections",
        }
    }

    /// The `data-testid` of its navigation link.
    pub fn testid(&self) -> &'static str {
        match self {
            Screen::Inbox | Screen::Issue(_) => "nav-inbox",
            Screen::Figures => "nav-figures",
            Screen::Program => "nav-program",
            Screen::Reference => "nav-reference",
            Screen::Operators => "nav-operators",
            Screen::Audit => "nav-audit",
            Screen::Cycle => "nav-cycle",
            Screen::Letters => "nav-letters",
            Screen::Collections => "nav-collections",
        }
    }

    /// Whether the navigation entry `self` is the current place when on `current`.
    pub fn contains(&self, current: &Screen) -> bool {
        self == current || (*self == Screen::Inbox && matches!(current, Screen::Issue(_)))
    }
}

/// Undoes percent-encoding; `None` for a broken escape or bytes that are not UTF-8.
fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The navigation context: the current screen, and a way to go elsewhere.
#[derive(Debug, Clone, Copy)]
pub struct Navigation {
    current: RwSignal<Screen>,
}

impl Navigation {
    /// The current screen (tracked).
    pub fn current(&self) -> Screen {
        self.current.get()
    }

    /// Goes to `screen`, writing its hash (a history entry) and moving focus to its heading.
    pub fn go(&self, screen: Screen) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&screen.hash());
        }
        self.current.set(screen);
        focus_heading();
    }
}

/// The id of every screen's `<h1>`, which takes focus when the screen changes.
pub const HEADING_ID: &str = "screen-heading";

/// A screen's `<h1>`, the one that takes focus when the screen changes.
#[component]
pub fn ScreenHeading(
    /// The heading (tracked).
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    view! { <h1 id=HEADING_ID tabindex="-1">{text}</h1> }
}

/// The text of the message `key`, following the language: for headings.
pub fn message(key: &'static str) -> Signal<String> {
    let i18n = crate::i18n::use_i18n();
    Signal::derive(move || i18n.t(key).to_owned())
}

/// Moves keyboard focus to the current screen's heading once it is drawn.
pub fn focus_heading() {
    focus_later(HEADING_ID);
}

/// Starts keyboard focus over, as on a newly loaded page: nothing focused, and the first Tab
/// stop is the skip link. For the moves between signed out and signed in, which replace
/// the whole page.
pub fn focus_page_start() {
    set_timeout(
        || {
            let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            else {
                return;
            };
            // The body takes focus only while it has a tabindex; focusing it moves the
            // browser's starting point for Tab to the top of the page.
            let _ = body.set_attribute("tabindex", "-1");
            let _ = body.focus();
            let _ = body.remove_attribute("tabindex");
        },
        std::time::Duration::ZERO,
    );
}

/// Moves keyboard focus to the element with `id` once it is drawn.
pub fn focus_later(id: impl Into<String>) {
    let id = id.into();
    set_timeout(
        move || {
            use wasm_bindgen::JsCast;
            let element = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(element) = element {
                let _ = element.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Creates the navigation context from the page's hash, and follows the hash when the
/// operator uses back and forward (the listener goes with the app).
pub fn provide_navigation() -> Navigation {
    let initial = current_hash()
        .and_then(|hash| Screen::from_hash(&hash))
        .unwrap_or_default();
    let navigation = Navigation {
        current: RwSignal::new(initial),
    };
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(screen) = current_hash().and_then(|hash| Screen::from_hash(&hash))
            && screen != navigation.current.get_untracked()
        {
            navigation.current.set(screen);
            focus_heading();
        }
    });
    on_cleanup(move || listener.remove());
    provide_context(navigation);
    navigation
}

fn current_hash() -> Option<String> {
    web_sys::window()?.location().hash().ok()
}

/// The navigation context of the console.
pub fn use_navigation() -> Navigation {
    expect_context::<Navigation>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_round_trips_through_its_hash() {
        let mut all = NAVIGATION.to_vec();
        all.push(Screen::Issue("OM-7K3F-9QX2".into()));
        all.push(Screen::Issue("odd/número".into()));
        for screen in all {
            assert_eq!(
                Screen::from_hash(&screen.hash()),
                Some(screen.clone()),
                "{screen:?}"
            );
        }
    }

    #[test]
    fn an_empty_hash_is_the_inbox_and_a_strange_one_is_nothing() {
        assert_eq!(Screen::from_hash(""), Some(Screen::Inbox));
        assert_eq!(Screen::from_hash("#"), Some(Screen::Inbox));
        assert_eq!(Screen::from_hash("#/issues/"), None);
        assert_eq!(Screen::from_hash("#main"), None);
        assert_eq!(Screen::from_hash("#/issues/%ZZ"), None);
    }

    fn seen_by(role: Role) -> Vec<&'static Screen> {
        NAVIGATION.iter().filter(|s| s.visible_to(role)).collect()
    }

    #[test]
    fn each_role_sees_only_the_screens_it_may_use() {
        assert_eq!(seen_by(Role::Admin).len(), NAVIGATION.len());
        let unit = [
            &Screen::Inbox,
            &Screen::Cycle,
            &Screen::Letters,
            &Screen::Figures,
        ];
        assert_eq!(seen_by(Role::Unit), unit);
        let moderator = [
            &Screen::Inbox,
            &Screen::Cycle,
            &Screen::Letters,
            &Screen::Collections,
            &Screen::Figures,
        ];
        assert_eq!(seen_by(Role::Moderator), moderator);
        let mut supervisor = moderator.to_vec();
        supervisor.push(&Screen::Audit);
        assert_eq!(seen_by(Role::Supervisor), supervisor);
        for role in [Role::Unit, Role::Moderator, Role::Supervisor] {
            assert!(!Screen::Operators.visible_to(role), "{role:?}");
            assert!(!Screen::Program.visible_to(role), "{role:?}");
        }
    }

    #[test]
    fn the_inbox_link_stays_current_on_an_issue() {
        assert!(Screen::Inbox.contains(&Screen::Issue("OM-1".into())));
        assert!(!Screen::Figures.contains(&Screen::Inbox));
    }
}
