//! Component tests of the month's question screen in headless Chromium: what each stage
//! shows, the tallies per channel apart, a measure past its due day shown as delayed, the
//! evaluation's figure with its n, and one public vote and one evaluation per visit.

#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use omk_api::outcome::{Decision, EvaluationFigure, MeasureView, MeetingView, OutcomeView};
use omk_api::{CandidateView, CycleStage, CycleView, Lang, MeasureStatus, Month, StagePlan};
use open_month_kiosk::client::Backend;
use open_month_kiosk::client::stream::provide_live_feed;
use open_month_kiosk::cycle::CycleStagePanel;
use open_month_kiosk::cycle::outcome::score_cell;
use open_month_kiosk::cycle::plan::{self, FigureText, Part};
use open_month_kiosk::cycle::select::tallies;
use open_month_kiosk::display::provide_display;
use open_month_kiosk::i18n::provide_i18n;
use open_month_kiosk::kiosk::provide_session;
use open_month_kiosk::outbox::{STORAGE_KEY, provide_outbox};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const NOWHERE: &str = "http://127.0.0.1:9";

fn mount_cycle(lang: Lang, cycle: CycleView) -> HtmlElement {
    let document = document();
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
        provide_i18n(lang);
        let backend = Backend::new(NOWHERE);
        provide_context(backend.clone());
        provide_display();
        provide_session(lang, false);
        provide_outbox(&backend);
        provide_live_feed(&backend);
        let opened = RwSignal::new(None::<Month>);
        view! { <CycleStagePanel cycle=cycle archive=Signal::derive(Vec::new) opened=opened /> }
    })
    .forget();
    container
}

fn all(container: &HtmlElement, testid: &str) -> Vec<HtmlElement> {
    let list = container
        .query_selector_all(&format!("[data-testid=\"{testid}\"]"))
        .expect("a selector");
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|n| n.unchecked_into())
        .collect()
}

fn text_of(container: &HtmlElement, testid: &str) -> String {
    all(container, testid)
        .first()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

fn click(container: &HtmlElement, testid: &str) {
    all(container, testid)
        .first()
        .unwrap_or_else(|| panic!("no {testid}"))
        .click();
}

fn stored_outbox() -> String {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .unwrap_or_default()
}

fn clear_outbox() {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

fn candidate(id: &str, public: i64, representatives: i64) -> CandidateView {
    CandidateView {
        id: id.into(),
        title_zh: format!("议题{id}"),
        title_en: format!("Topic {id}"),
        lead_unit: "housing".into(),
        category: "parking".into(),
        proposals: Vec::new(),
        hotline: 0,
        proposal_count: 0,
        public_votes: public,
        representative_votes: representatives,
        score: None,
    }
}

fn cycle(stage: CycleStage) -> CycleView {
    CycleView {
        month: Month::parse("2026-12").expect("a month"),
        stage,
        stages: CycleStage::ALL
            .into_iter()
            .enumerate()
            .map(|(i, s)| StagePlan {
                stage: s,
                planned: format!("2026-12-{:02}", i + 1),
                entered_at: None,
            })
            .collect(),
        weights: None,
        candidates: vec![candidate("parking", 1234, 7), candidate("garbage", 0, 12)],
        scores_frozen: false,
        choice: None,
        public_proposals: 3,
        outcome: OutcomeView::default(),
    }
}

#[wasm_bindgen_test]
fn every_stage_shows_its_own_parts_and_the_vote_only_while_voting() {
    for stage in CycleStage::ALL {
        let parts = plan::parts(stage);
        assert_eq!(parts.contains(&Part::Vote), stage == CycleStage::Voting);
        assert_eq!(
            parts.contains(&Part::Propose),
            stage == CycleStage::Soliciting
        );
        assert_eq!(
            parts.contains(&Part::Evaluate),
            stage == CycleStage::Reviewing
        );
        assert_eq!(plan::shows_tallies(stage), stage >= CycleStage::Voting);
    }
}

#[wasm_bindgen_test]
fn tallies_keep_the_public_and_the_representatives_apart() {
    let [public, representatives] = tallies(&candidate("parking", 1234, 7));
    assert_eq!(public.0, "cycle.tally.public");
    assert_eq!(
        representatives,
        ("cycle.tally.representatives", "7".to_owned())
    );
    assert_ne!(public.1, representatives.1);
}

#[wasm_bindgen_test]
fn the_evaluation_figure_always_carries_its_n() {
    let figure = FigureText::of(&EvaluationFigure {
        n: 40,
        solved: 22,
        partly: 12,
        not_solved: 6,
        mean_stars: Some(3.875),
    });
    assert_eq!(figure.n, 40);
    assert_eq!(figure.shares, Some([55, 30, 15]));
    assert_eq!(figure.stars.as_deref(), Some("3.9"));
    assert_eq!(FigureText::of(&EvaluationFigure::default()).shares, None);
}

#[wasm_bindgen_test]
fn progress_and_scores_read_as_whole_percent_and_a_formula() {
    assert_eq!(plan::percent(Some(66.6)).as_deref(), Some("67%"));
    assert_eq!(plan::percent(None), None);
    let part = omk_api::ScorePart {
        count: 3,
        largest: 4,
        weight: 40,
        points: 30.0,
    };
    assert_eq!(score_cell(&part), "3 / 4 × 40 = 30.00");
}

#[wasm_bindgen_test]
async fn the_voting_stage_shows_both_tallies_and_takes_one_public_vote_per_visit() {
    clear_outbox();
    let c = mount_cycle(Lang::En, cycle(CycleStage::Voting));
    leptos::task::tick().await;
    let section = all(&c, "cycle");
    assert_eq!(
        section[0].get_attribute("data-stage").as_deref(),
        Some("voting")
    );
    let tally = text_of(&c, "tallies-parking");
    assert!(
        tally.contains("Public votes: 1,234") || tally.contains("Public votes: 1234"),
        "{tally}"
    );
    assert!(tally.contains("Representatives' votes: 7"), "{tally}");
    let steps = all(&c, "cycle-step");
    assert_eq!(steps.len(), 8);
    assert_eq!(
        steps[2].get_attribute("data-state").as_deref(),
        Some("current")
    );
    assert_eq!(
        steps[0].get_attribute("data-state").as_deref(),
        Some("done")
    );
    assert!(!all(&c, "represent").is_empty());
    assert!(!all(&c, "cycle-qr").is_empty());
    click(&c, "vote-button");
    leptos::task::tick().await;
    for button in all(&c, "vote-button") {
        let button: web_sys::HtmlButtonElement = button.unchecked_into();
        assert!(button.disabled());
    }
    assert!(text_of(&c, "vote-outcome").contains("Thank you"));
    let stored = stored_outbox();
    assert_eq!(stored.matches("\"path\":\"/votes\"").count(), 1, "{stored}");
    clear_outbox();
}

#[wasm_bindgen_test]
async fn soliciting_shows_the_form_and_refuses_an_empty_title_in_words() {
    clear_outbox();
    let c = mount_cycle(Lang::ZhCn, cycle(CycleStage::Soliciting));
    leptos::task::tick().await;
    assert!(!all(&c, "propose").is_empty());
    assert!(all(&c, "vote-button").is_empty());
    click(&c, "proposal-submit");
    leptos::task::tick().await;
    assert!(!text_of(&c, "proposal-title-error").is_empty());
    assert!(!stored_outbox().contains("/proposals"));
}

#[wasm_bindgen_test]
async fn a_measure_past_its_due_day_shows_as_delayed_with_the_overall_progress() {
    let mut implementing = cycle(CycleStage::Implementing);
    implementing.outcome.decision = Some(Decision {
        summary_zh: "新增停车位".into(),
        summary_en: "More parking".into(),
        lead_unit: "housing".into(),
        decided_at: 0,
    });
    implementing.outcome.progress = Some(45.0);
    implementing.outcome.measures = vec![MeasureView {
        id: 1,
        title: "Open school yards".into(),
        owner_unit: "education".into(),
        due: "2020-01-01".into(),
        status: MeasureStatus::InProgress,
        percent: 45,
        follow_up: false,
        created_at: 0,
        updates: Vec::new(),
    }];
    let c = mount_cycle(Lang::En, implementing);
    leptos::task::tick().await;
    let measure = all(&c, "measure");
    assert_eq!(
        measure[0].get_attribute("data-status").as_deref(),
        Some("delayed")
    );
    assert!(
        measure[0]
            .text_content()
            .unwrap_or_default()
            .contains("Delayed")
    );
    assert!(text_of(&c, "decision-progress").contains("45%"));
}

#[wasm_bindgen_test]
async fn reviewing_takes_one_evaluation_per_visit_and_shows_the_figure_with_n() {
    clear_outbox();
    let mut reviewing = cycle(CycleStage::Reviewing);
    reviewing.outcome.evaluation = EvaluationFigure {
        n: 4,
        solved: 2,
        partly: 1,
        not_solved: 1,
        mean_stars: Some(4.0),
    };
    let c = mount_cycle(Lang::En, reviewing);
    leptos::task::tick().await;
    assert!(text_of(&c, "evaluation-n").contains("n = 4"));
    assert!(text_of(&c, "evaluation-figure-text").contains("50%"));
    click(&c, "evaluate-submit");
    leptos::task::tick().await;
    assert!(text_of(&c, "evaluate-outcome").contains("Please choose"));
    click(&c, "evaluate-partly");
    click(&c, "star-4");
    click(&c, "evaluate-submit");
    leptos::task::tick().await;
    click(&c, "evaluate-submit");
    leptos::task::tick().await;
    let stored = stored_outbox();
    assert_eq!(stored.matches("/evaluations").count(), 1, "{stored}");
    clear_outbox();
}

#[wasm_bindgen_test]
async fn the_meeting_shows_its_public_seats_left_and_its_waitlist() {
    let mut meeting = cycle(CycleStage::Meeting);
    meeting.outcome.meeting = Some(MeetingView {
        event: 9,
        title: "常务会议".into(),
        place: "市政府".into(),
        starts_at: 1_796_000_000,
        ends_at: 1_796_007_200,
        public_taken: 30,
        public_total: 30,
        invited_total: 12,
        waitlist: 5,
    });
    let c = mount_cycle(Lang::En, meeting);
    leptos::task::tick().await;
    let seats = text_of(&c, "meeting-seats");
    assert!(seats.contains("0 of 30 left"), "{seats}");
    assert!(seats.contains("waiting list: 5"), "{seats}");
    assert!(all(&c, "vote-button").is_empty());
}
