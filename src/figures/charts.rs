//! The department ranking and the 30-day trend as SVG charts. Every value is
//! written next to its mark, so no chart needs a legend.

use leptos::prelude::*;
use omk_api::{DayPoint, UnitScore};

use crate::format;
use crate::i18n::use_i18n;

const WIDTH: f64 = 480.0;
const ROW: f64 = 30.0;
const LABEL: f64 = 190.0;
const VALUE: f64 = 60.0;

/// A unit's name cut to fit beside its bar, with an ellipsis when cut.
pub fn short_name(name: &str) -> String {
    const FITS: usize = 11;
    if name.chars().count() <= FITS {
        name.to_owned()
    } else {
        name.chars().take(FITS - 1).chain(['…']).collect()
    }
}

/// The bar length for a rate, in SVG units.
pub fn bar_width(rate: f64) -> f64 {
    (WIDTH - LABEL - VALUE) * rate.clamp(0.0, 1.0)
}

/// The polyline points of a trend: x spread over the days, y from `floor`
/// (bottom) to 100 % (top). Days without ratings leave no point.
pub fn trend_points(days: &[DayPoint], height: f64, floor: f64) -> String {
    let step = if days.len() > 1 {
        (WIDTH - 20.0) / (days.len() - 1) as f64
    } else {
        0.0
    };
    let span = (1.0 - floor).max(0.01);
    days.iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let rate = d.satisfaction_rate?;
            let x = 10.0 + step * i as f64;
            let y = 10.0 + (height - 20.0) * (1.0 - ((rate - floor) / span).clamp(0.0, 1.0));
            Some(format!("{x:.0},{y:.0}"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lowest rate in the trend, rounded down to 10 %, so the line fills the chart.
pub fn trend_floor(days: &[DayPoint]) -> f64 {
    let min = days
        .iter()
        .filter_map(|d| d.satisfaction_rate)
        .fold(1.0_f64, f64::min);
    ((min * 10.0).floor() / 10.0).clamp(0.0, 0.9)
}

/// Units by satisfaction, best first: a name, a bar and the value.
#[component]
pub fn RankingChart(
    /// The ranking, best first.
    ranking: Vec<UnitScore>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows: Vec<UnitScore> = ranking.into_iter().take(8).collect();
    let height = ROW * rows.len() as f64 + 10.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, u)| {
            let y = 5.0 + ROW * i as f64;
            let w = bar_width(u.satisfaction_rate);
            view! {
                <g>
                    <title>{format!("{}: {}", u.unit, format::rate(Some(u.satisfaction_rate)))}</title>
                    <text x="0" y=y + 19.0>{format!("{}. {}", i + 1, short_name(&u.unit))}</text>
                    <rect class="omk-chart-bar" x=LABEL y=y + 5.0 width=w height="18" rx="3" />
                    <text x=LABEL + w + 6.0 y=y + 19.0>{format::rate(Some(u.satisfaction_rate))}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="omk-chart" data-testid="ranking-chart">
            <figcaption>{move || i18n.t("figures.ranking")}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=move || i18n.t("figures.ranking")>
                {bars}
            </svg>
        </figure>
    }
}

/// The daily satisfaction rate over the last 30 days, labelled at both ends.
#[component]
pub fn TrendChart(
    /// One point a day, oldest first.
    trend: Vec<DayPoint>,
) -> impl IntoView {
    let i18n = use_i18n();
    let height = 160.0;
    let floor = trend_floor(&trend);
    let points = trend_points(&trend, height, floor);
    let known: Vec<&DayPoint> = trend
        .iter()
        .filter(|d| d.satisfaction_rate.is_some())
        .collect();
    let first = known.first().map(|d| (d.day.clone(), d.satisfaction_rate));
    let last = known.last().map(|d| (d.day.clone(), d.satisfaction_rate));
    let summary = {
        let (first, last) = (first.clone(), last.clone());
        move || {
            let from = format::rate(first.as_ref().and_then(|f| f.1));
            let to = format::rate(last.as_ref().and_then(|l| l.1));
            i18n.format("figures.trend_summary", &[("from", &from), ("to", &to)])
        }
    };
    let (first_day, last_day) = (
        first.map(|f| f.0).unwrap_or_default(),
        last.map(|l| l.0).unwrap_or_default(),
    );
    view! {
        <figure class="omk-chart" data-testid="trend-chart">
            <figcaption>{move || i18n.t("figures.trend")}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {}", height + 24.0) role="img" aria-label=summary.clone()>
                <line class="omk-chart-axis" x1="10" y1=height - 10.0 x2=WIDTH - 10.0 y2=height - 10.0 />
                <text x="10" y="12">"100%"</text>
                <text x="10" y=height - 14.0>{format::rate(Some(floor))}</text>
                <polyline class="omk-chart-line" points=points />
                <text x="10" y=height + 18.0>{first_day}</text>
                <text x=WIDTH - 10.0 y=height + 18.0 text-anchor="end">{last_day}</text>
            </svg>
            <p class="omk-muted">{summary}</p>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(rate: Option<f64>) -> DayPoint {
        DayPoint {
            day: "2026-11-01".into(),
            ratings: 1,
            satisfaction_rate: rate,
        }
    }

    #[test]
    fn long_unit_names_are_cut_with_an_ellipsis() {
        assert_eq!(short_name("聊城市公安局"), "聊城市公安局");
        assert_eq!(
            short_name("聊城经济技术开发区管理委员会"),
            "聊城经济技术开发区管…"
        );
    }

    #[test]
    fn bars_scale_with_the_rate() {
        assert_eq!(bar_width(0.0), 0.0);
        assert_eq!(bar_width(1.0), WIDTH - LABEL - VALUE);
        assert_eq!(bar_width(2.0), WIDTH - LABEL - VALUE);
    }

    #[test]
    fn trend_skips_days_without_ratings() {
        let days = [day(Some(1.0)), day(None), day(Some(0.8))];
        assert_eq!(trend_floor(&days), 0.8);
        assert_eq!(trend_points(&days, 160.0, 0.8), "10,10 470,150");
    }
}
