//! Localised formatting of times, counts and rates, in the service's time
//! zone (UTC+8), written as plain functions so native tests cover them.

use omk_api::Lang;
use omk_api::civil::CivilTime;

pub use omk_api::civil::LOCAL_OFFSET_SECS;

fn clock(t: &CivilTime) -> String {
    format!("{:02}:{:02}", t.hour, t.minute)
}

fn date(t: &CivilTime, lang: Lang) -> String {
    const ZH_WEEK: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    const EN_WEEK: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const EN_MONTH: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let wd = t.weekday as usize % 7;
    match lang {
        Lang::ZhCn => format!("{}月{}日（周{}）", t.month, t.day, ZH_WEEK[wd]),
        Lang::En => format!(
            "{} {} {}",
            EN_WEEK[wd],
            t.day,
            EN_MONTH[(t.month as usize).saturating_sub(1) % 12]
        ),
    }
}

/// The time span of an event, for example `9月5日（周一） 09:00–11:30`.
pub fn event_span(lang: Lang, starts_at: i64, ends_at: i64) -> String {
    let start = CivilTime::local(starts_at);
    let end = CivilTime::local(ends_at);
    if start.same_day(&end) {
        format!("{} {}–{}", date(&start, lang), clock(&start), clock(&end))
    } else {
        format!(
            "{} {} – {} {}",
            date(&start, lang),
            clock(&start),
            date(&end, lang),
            clock(&end)
        )
    }
}

/// A moment as a local date and time, for example `9月5日（周一） 09:00`.
pub fn day(lang: Lang, secs: i64) -> String {
    let t = CivilTime::local(secs);
    format!("{} {}", date(&t, lang), clock(&t))
}

/// How long ago, in the largest whole unit: `45 秒`, `3 分钟`, `2 小时`.
pub fn age(lang: Lang, ms: f64) -> String {
    let secs = (ms.max(0.0) / 1000.0) as i64;
    let (n, zh, en) = match secs {
        0..60 => (secs, "秒", "s"),
        60..3600 => (secs / 60, "分钟", "min"),
        3600..86_400 => (secs / 3600, "小时", "h"),
        _ => (secs / 86_400, "天", "d"),
    };
    match lang {
        Lang::ZhCn => format!("{n} {zh}"),
        Lang::En => format!("{n} {en}"),
    }
}

/// A count with thousands separators: `4139` → `4,139`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate as a percentage with one decimal, or a dash with no data.
pub fn rate(rate: Option<f64>) -> String {
    match rate {
        Some(r) => format!("{}%", omk_api::metrics::percent(r)),
        None => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2022-09-05 01:00:00 UTC = 09:00 in Liaocheng, a Monday.
    const OPEN_MONTH_PRESS: i64 = 1_662_339_600;

    #[test]
    fn event_span_in_both_languages() {
        let end = OPEN_MONTH_PRESS + 2 * 3600 + 30 * 60;
        assert_eq!(
            event_span(Lang::ZhCn, OPEN_MONTH_PRESS, end),
            "9月5日（周一） 09:00–11:30"
        );
        assert_eq!(
            event_span(Lang::En, OPEN_MONTH_PRESS, end),
            "Mon 5 Sep 09:00–11:30"
        );
    }

    #[test]
    fn multi_day_span_names_both_days() {
        let end = OPEN_MONTH_PRESS + 86_400;
        assert_eq!(
            event_span(Lang::En, OPEN_MONTH_PRESS, end),
            "Mon 5 Sep 09:00 – Tue 6 Sep 09:00"
        );
    }

    #[test]
    fn ages_use_the_largest_whole_unit() {
        assert_eq!(age(Lang::ZhCn, 45_000.0), "45 秒");
        assert_eq!(age(Lang::En, 190_000.0), "3 min");
        assert_eq!(age(Lang::ZhCn, 7_300_000.0), "2 小时");
        assert_eq!(age(Lang::En, -5.0), "0 s");
    }

    #[test]
    fn counts_get_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(502), "502");
        assert_eq!(count(4139), "4,139");
        assert_eq!(count(-1234567), "-1,234,567");
    }

    #[test]
    fn rates_show_one_decimal_or_a_dash() {
        assert_eq!(rate(Some(3645.0 / 4139.0)), "88.1%");
        assert_eq!(rate(None), "—");
    }
}
