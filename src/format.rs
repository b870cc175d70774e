//! Localised formatting of times, counts and rates, in the service's time
//! zone (UTC+8), written as plain functions so native tests cover them.

use omk_api::Lang;

/// The service's offset from UTC, in seconds (China Standard Time).
pub const LOCAL_OFFSET_SECS: i64 = 8 * 3600;

/// A moment broken into local calendar parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
}

impl LocalTime {
    /// Converts Unix seconds to local (UTC+8) calendar parts.
    pub fn from_unix(secs: i64) -> LocalTime {
        let local = secs + LOCAL_OFFSET_SECS;
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        LocalTime {
            year,
            month,
            day,
            weekday: (days + 3).rem_euclid(7) as u32,
            hour: (rem / 3600) as u32,
            minute: ((rem % 3600) / 60) as u32,
        }
    }

    fn same_day(&self, other: &LocalTime) -> bool {
        (self.year, self.month, self.day) == (other.year, other.month, other.day)
    }

    fn clock(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    fn date(&self, lang: Lang) -> String {
        const ZH_WEEK: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
        const EN_WEEK: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const EN_MONTH: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let wd = self.weekday as usize % 7;
        match lang {
            Lang::ZhCn => format!("{}月{}日（周{}）", self.month, self.day, ZH_WEEK[wd]),
            Lang::En => format!(
                "{} {} {}",
                EN_WEEK[wd],
                self.day,
                EN_MONTH[(self.month as usize).saturating_sub(1) % 12]
            ),
        }
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The time span of an event, for example `9月5日（周一） 09:00–11:30`.
pub fn event_span(lang: Lang, starts_at: i64, ends_at: i64) -> String {
    let start = LocalTime::from_unix(starts_at);
    let end = LocalTime::from_unix(ends_at);
    if start.same_day(&end) {
        format!("{} {}–{}", start.date(lang), start.clock(), end.clock())
    } else {
        format!(
            "{} {} – {} {}",
            start.date(lang),
            start.clock(),
            end.date(lang),
            end.clock()
        )
    }
}

/// A moment as a local date and time, for example `9月5日（周一） 09:00`.
pub fn day(lang: Lang, secs: i64) -> String {
    let t = LocalTime::from_unix(secs);
    format!("{} {}", t.date(lang), t.clock())
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
    fn local_time_is_utc_plus_eight() {
        let t = LocalTime::from_unix(OPEN_MONTH_PRESS);
        assert_eq!((t.year, t.month, t.day), (2022, 9, 5));
        assert_eq!((t.hour, t.minute, t.weekday), (9, 0, 0));
    }

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
