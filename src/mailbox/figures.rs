//! The mailbox's monthly figures (`/letters/figures`): received, replied, reply rate,
//! satisfaction and median days to reply, each with the count it rests on. A figure over
//! nothing is "no data yet", never 0.

use leptos::prelude::*;
use omk_api::LetterFigures;

use crate::client::Backend;
use crate::format;
use crate::i18n::use_i18n;

/// One figure as shown: its label, value (none: no data yet) and the count it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureLine {
    /// The message key of its name.
    pub label: &'static str,
    /// Its `data-testid`.
    pub testid: &'static str,
    /// The value, formatted; `None` when there is nothing to compute it from.
    pub value: Option<String>,
    /// The message key of the count it rests on, and that key's arguments.
    pub basis: (&'static str, Vec<(&'static str, String)>),
}

/// Days with one decimal, for example `3.5`.
pub fn days(value: f64) -> String {
    format!("{:.1}", (value * 10.0).round() / 10.0)
}

/// The figures of a month as lines, in the order they are shown; counts always shown.
pub fn lines(f: &LetterFigures) -> Vec<FigureLine> {
    let n = |key: &'static str, value: i64| (key, format::count(value));
    vec![
        FigureLine {
            label: "mailbox.fig.received",
            testid: "letters-received",
            value: Some(format::count(f.received)),
            basis: ("mailbox.fig.declined_n", vec![n("n", f.declined)]),
        },
        FigureLine {
            label: "mailbox.fig.replied",
            testid: "letters-replied",
            value: Some(format::count(f.replied)),
            basis: ("mailbox.fig.owed_n", vec![n("n", f.reply_rate_n)]),
        },
        FigureLine {
            label: "mailbox.fig.reply_rate",
            testid: "letters-reply-rate",
            value: f.reply_rate.map(|r| format::rate(Some(r))),
            basis: ("mailbox.fig.n", vec![n("n", f.reply_rate_n)]),
        },
        FigureLine {
            label: "mailbox.fig.satisfaction",
            testid: "letters-satisfaction",
            value: f.satisfaction_rate.map(|r| format::rate(Some(r))),
            basis: (
                "mailbox.fig.rated_n",
                vec![n("satisfied", f.satisfied), n("n", f.rated)],
            ),
        },
        FigureLine {
            label: "mailbox.fig.median_days",
            testid: "letters-median-days",
            value: f.median_days_to_reply.map(days),
            basis: ("mailbox.fig.n", vec![n("n", f.replied)]),
        },
    ]
}

/// The month's figures, as the server computed them.
#[component]
pub fn LetterFiguresPanel() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let figures = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get_fresh::<LetterFigures>("/letters/figures").await }
    });
    let body = move || {
        figures.get().map(|r| match r {
            Ok(fresh) => {
                let month = fresh.value.month.clone();
                let items = lines(&fresh.value)
                    .into_iter()
                    .map(|line| view! { <FigureItem line=line /> })
                    .collect_view();
                view! {
                    <p data-testid="letters-month">{move || i18n.format("mailbox.fig.month", &[("month", &month)])}</p>
                    <ul class="omk-tiles">{items}</ul>
                }
                .into_any()
            }
            Err(e) => view! {
                <p class="omk-error" role="alert" data-testid="letters-figures-error">{move || i18n.t(e.message_key())}</p>
            }
            .into_any(),
        })
    };
    view! {
        <div data-testid="letters-figures">
            <Transition fallback=move || view! { <p class="omk-loading">{move || i18n.t("screen.loading")}</p> }>
                {body}
            </Transition>
        </div>
    }
}

/// One figure: its value in large type, its name and the count under it.
#[component]
fn FigureItem(
    /// The figure.
    line: FigureLine,
) -> impl IntoView {
    let i18n = use_i18n();
    let FigureLine {
        label,
        testid,
        value,
        basis: (basis_key, args),
    } = line;
    let shown = move || {
        value
            .clone()
            .unwrap_or_else(|| i18n.t("figures.no_data").to_owned())
    };
    let basis = move || {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        i18n.format(basis_key, &args)
    };
    view! {
        <li class="omk-tile">
            <span class="omk-tile-value" data-testid=testid>{shown}</span>
            <span class="omk-tile-label">{move || i18n.t(label)}</span>
            <span class="omk-muted">{basis}</span>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(received: i64, replied: i64) -> LetterFigures {
        LetterFigures {
            month: "2026-09".into(),
            received,
            declined: 1,
            replied,
            reply_rate: omk_api::mailbox::rate(replied, received - 1),
            reply_rate_n: received - 1,
            rated: 0,
            satisfied: 0,
            satisfaction_rate: None,
            median_days_to_reply: (replied > 0).then_some(2.25),
        }
    }

    #[test]
    fn a_figure_over_nothing_is_no_data_but_counts_show() {
        let shown = lines(&month(1, 0));
        assert_eq!(shown[0].value.as_deref(), Some("1"));
        assert_eq!(shown[1].value.as_deref(), Some("0"));
        assert_eq!(shown[2].value, None, "reply rate over 0 letters owed");
        assert_eq!(shown[3].value, None);
        assert_eq!(shown[4].value, None);
        assert_eq!(
            shown[3].basis.1,
            [("satisfied", "0".into()), ("n", "0".into())]
        );
    }

    #[test]
    fn rates_are_percentages_and_days_have_one_decimal() {
        let shown = lines(&month(1201, 600));
        assert_eq!(shown[0].value.as_deref(), Some("1,201"));
        assert_eq!(shown[2].value.as_deref(), Some("50.0%"));
        assert_eq!(shown[2].basis.1, [("n", "1,200".into())]);
        assert_eq!(shown[4].value.as_deref(), Some("2.3"));
        assert_eq!(days(0.04), "0.0");
    }
}
