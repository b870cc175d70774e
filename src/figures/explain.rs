//! "How is this computed?" under each figure: its definition, the counts it is computed
//! from, the window they cover, and a QR code of the open data to check it with.

use leptos::prelude::*;
use omk_api::Metrics;

use crate::client::Backend;
use crate::format;
use crate::i18n::use_i18n;

/// What a figure is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A part over a whole.
    Ratio { part: i64, whole: i64 },
    /// A plain count.
    Count(i64),
}

/// The stretch of time a figure's counts cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Every rating since the service opened.
    AllRatings,
    /// Every issue since the service opened.
    AllIssues,
    /// Today since 00:00, Beijing time.
    Today,
    /// The 30 days up to today, Beijing time.
    LastThirtyDays,
}

impl Window {
    fn message_key(self) -> &'static str {
        match self {
            Window::AllRatings => "figures.window.all_ratings",
            Window::AllIssues => "figures.window.all_issues",
            Window::Today => "figures.window.today",
            Window::LastThirtyDays => "figures.window.thirty_days",
        }
    }
}

/// A figure's explanation: the message key of its definition, its basis and its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    pub definition: &'static str,
    pub basis: Basis,
    pub window: Window,
}

impl Explanation {
    /// The explanation of the figure or chart shown as `testid` in `metrics`.
    pub fn of(testid: &str, m: &Metrics) -> Option<Explanation> {
        let ratio = |part, whole| Basis::Ratio { part, whole };
        let (definition, basis, window) = match testid {
            "figure-satisfaction" => (
                "figures.define.satisfaction",
                ratio(m.ratings_satisfied, m.ratings_total),
                Window::AllRatings,
            ),
            "figure-bad-review" => (
                "figures.define.bad_review",
                ratio(m.ratings_bad, m.ratings_total),
                Window::AllRatings,
            ),
            "figure-response" => (
                "figures.define.response",
                ratio(m.issues_responded, m.issues_collected),
                Window::AllIssues,
            ),
            "figure-resolution" => (
                "figures.define.resolution",
                ratio(m.issues_solved, m.issues_collected),
                Window::AllIssues,
            ),
            "figure-collected" => (
                "figures.define.collected",
                Basis::Count(m.issues_collected),
                Window::AllIssues,
            ),
            "figure-solved" => (
                "figures.define.solved",
                Basis::Count(m.issues_solved),
                Window::AllIssues,
            ),
            "figure-ratings-today" => (
                "figures.define.ratings_today",
                Basis::Count(m.ratings_today),
                Window::Today,
            ),
            "ranking-chart" => (
                "figures.define.ranking",
                Basis::Count(m.ranking.iter().map(|u| u.ratings).sum()),
                Window::AllRatings,
            ),
            "trend-chart" => (
                "figures.define.trend",
                Basis::Count(m.trend.iter().map(|d| d.ratings).sum()),
                Window::LastThirtyDays,
            ),
            _ => return None,
        };
        Some(Explanation {
            definition,
            basis,
            window,
        })
    }
}

/// The disclosure under a figure: closed, it is one line ("How is this computed?").
#[component]
pub fn Explain(
    /// The figure's `data-testid`; the disclosure's is `explain-` and the rest of it.
    testid: &'static str,
    explanation: Explanation,
) -> impl IntoView {
    let i18n = use_i18n();
    let qr = expect_context::<Backend>().url("/opendata/qr.svg");
    let own = format!("explain-{}", testid.trim_start_matches("figure-"));
    let basis = move || match explanation.basis {
        Basis::Ratio { part, whole } => i18n.format(
            "figures.basis.ratio",
            &[
                ("part", &format::count(part)),
                ("whole", &format::count(whole)),
            ],
        ),
        Basis::Count(n) => i18n.format("figures.basis.count", &[("n", &format::count(n))]),
    };
    view! {
        <details class="omk-explain" data-testid=own>
            <summary>{move || i18n.t("figures.how")}</summary>
            <p data-testid="explain-definition">{move || i18n.t(explanation.definition)}</p>
            <p data-testid="explain-basis">{basis}</p>
            <p data-testid="explain-window">{move || i18n.t(explanation.window.message_key())}</p>
            <figure class="omk-explain-qr">
                <img src=qr loading="lazy" width="240" height="240"
                    alt=move || i18n.t("figures.opendata_qr") data-testid="opendata-qr" />
                <figcaption>{move || i18n.t("figures.opendata")}</figcaption>
            </figure>
        </details>
    }
}
