//! The console's rules that decide what an operator sees and sends, run in headless
//! Chromium (wasm-bindgen-test): which screens each role gets, the forms' checks that
//! mirror the API's limits, and how the score table reads.

#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use omk_api::{FieldError, Operator, Role, ScorePart, Session};
use omk_console::collections::form::CollectionRights;
use omk_console::cycle::choice::{choice_input, code_request};
use omk_console::cycle::create::CycleForm;
use omk_console::cycle::rights::CycleRights;
use omk_console::cycle::score;
use omk_console::cycle::weights::WeightsForm;
use omk_console::i18n::provide_i18n;
use omk_console::letters::rights::LetterRights;
use omk_console::screen::{NAVIGATION, Screen, provide_navigation};
use omk_console::session::Auth;
use omk_console::shell::Navigation;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn screens_of(role: Role) -> Vec<Screen> {
    NAVIGATION
        .iter()
        .filter(|s| s.visible_to(role))
        .cloned()
        .collect()
}

#[wasm_bindgen_test]
fn admins_see_every_screen_and_others_only_theirs() {
    assert_eq!(screens_of(Role::Admin), NAVIGATION.to_vec());
    let unit = screens_of(Role::Unit);
    assert!(unit.contains(&Screen::Cycle) && unit.contains(&Screen::Letters));
    assert!(!unit.contains(&Screen::Collections) && !unit.contains(&Screen::Audit));
    assert!(screens_of(Role::Moderator).contains(&Screen::Collections));
    let supervisor = screens_of(Role::Supervisor);
    assert!(supervisor.contains(&Screen::Audit) && !supervisor.contains(&Screen::Operators));
}

#[wasm_bindgen_test]
fn supervisors_only_read_and_moderators_only_moderate() {
    let supervisor = CycleRights::of(Some(Role::Supervisor));
    assert!(!supervisor.runs_cycle && !supervisor.edits_measures && supervisor.reads_opinions);
    assert!(CycleRights::of(Some(Role::Moderator)).moderates_proposals);
    assert!(!LetterRights::of(Some(Role::Supervisor)).replies);
    assert!(LetterRights::of(Some(Role::Unit)).replies);
    assert!(!CollectionRights::of(Some(Role::Moderator)).edits);
}

#[wasm_bindgen_test]
fn forms_refuse_what_the_api_would_refuse() {
    let weights = WeightsForm {
        representatives: "50".into(),
        public: "50".into(),
        hotline: "10".into(),
        proposals: "0".into(),
    };
    assert_eq!(
        weights.to_input().expect_err("refused"),
        vec![FieldError::new("weights", "sum_not_100")]
    );
    assert!(code_request("501").is_err() && code_request("500").is_ok());
    let tops = vec!["parking".to_owned()];
    assert_eq!(
        choice_input("noise", "", &tops).expect_err("refused"),
        vec![FieldError::new("reason", "required")]
    );
    let cycle = CycleForm {
        month: "2026-13".into(),
        days: Default::default(),
    };
    assert_eq!(cycle.to_input().expect_err("refused")[0].field, "month");
}

#[wasm_bindgen_test]
fn the_score_table_shows_each_part_as_its_formula() {
    let part = ScorePart {
        count: 12,
        largest: 30,
        weight: 40,
        points: 16.0,
    };
    assert_eq!(score::part(&part), "40 × 12 ÷ 30 = 16.00");
    assert_eq!(score::points(99.999), "100.00");
    assert_eq!(score::top_marks(&[None]), [false]);
}

/// Mounts the navigation for a signed-in operator of `role` into a fresh container.
fn navigation_of(role: Role) -> HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let container: HtmlElement = document
        .create_element("div")
        .expect("create a container")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&container)
        .expect("append the container");
    mount_to(container.clone(), move || {
        provide_i18n();
        let auth = Auth::provide();
        auth.signed_in(Session {
            operator: Operator {
                login: "tester".into(),
                role,
                unit: role.has_unit().then(|| "housing".to_owned()),
                active: true,
            },
            csrf_token: "token".into(),
            expires_at: i64::MAX,
        });
        provide_navigation();
        view! { <Navigation /> }
    })
    .forget();
    container
}

fn has_link(container: &HtmlElement, testid: &str) -> bool {
    container
        .query_selector(&format!("[data-testid=\"{testid}\"]"))
        .ok()
        .flatten()
        .is_some()
}

#[wasm_bindgen_test]
fn the_navigation_links_only_the_screens_of_the_role() {
    let unit = navigation_of(Role::Unit);
    assert!(has_link(&unit, "nav-cycle") && has_link(&unit, "nav-letters"));
    assert!(!has_link(&unit, "nav-collections") && !has_link(&unit, "nav-operators"));
    let supervisor = navigation_of(Role::Supervisor);
    assert!(has_link(&supervisor, "nav-collections") && has_link(&supervisor, "nav-audit"));
    assert!(!has_link(&supervisor, "nav-program"));
    let admin = navigation_of(Role::Admin);
    for screen in NAVIGATION {
        assert!(has_link(&admin, screen.testid()), "{screen:?}");
    }
}
