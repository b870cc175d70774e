//! Calendar entries (RFC 5545): one event as a VCALENDAR with a single
//! VEVENT, times in UTC, text escaped and lines folded at 75 octets.

use omk_api::Event;

use crate::clock;

/// The longest line, in octets, before it is folded.
const LINE_OCTETS: usize = 75;

/// The iCalendar text of `event`, stamped `now`. `page` is the event's page
/// in the widget and `uid_host` makes the UID unique to this service.
pub fn event_calendar(event: &Event, page: &str, uid_host: &str, now: i64) -> String {
    let location = join_nonempty(&[&event.district, &event.place], " ");
    let description = join_nonempty(&[&event.unit, &event.summary], "\n");
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Open Month Kiosk//omk-server//ZH".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:event-{}@{}", event.id, escape_text(uid_host)),
        format!("DTSTAMP:{}", utc_stamp(now)),
        format!("DTSTART:{}", utc_stamp(event.starts_at)),
        format!("DTEND:{}", utc_stamp(event.ends_at)),
        format!("SUMMARY:{}", escape_text(&event.title)),
        format!("LOCATION:{}", escape_text(&location)),
        format!("DESCRIPTION:{}", escape_text(&description)),
        format!("URL:{page}"),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    let mut out = String::new();
    for line in &lines {
        fold_into(&mut out, line);
    }
    out
}

fn join_nonempty(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

/// A moment as `YYYYMMDDTHHMMSSZ`.
pub fn utc_stamp(at: i64) -> String {
    let (y, m, d) = clock::civil_from_days(at.div_euclid(clock::DAY));
    let secs = at.rem_euclid(clock::DAY);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`,
/// other control characters dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` with CRLF, folded so no line exceeds 75 octets; a
/// continuation starts with a space, and no character is split.
fn fold_into(out: &mut String, line: &str) {
    let mut room = LINE_OCTETS;
    for c in line.chars() {
        let len = c.len_utf8();
        if len > room {
            out.push_str("\r\n ");
            room = LINE_OCTETS - 1;
        }
        out.push(c);
        room -= len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        Event {
            id: 7,
            title: "走进聊城市生态环境局：空气质量监测站开放日，欢迎市民报名参观并现场提问".into(),
            unit: "聊城市生态环境局".into(),
            district: "东昌府区".into(),
            theme: "政府开放日".into(),
            place: "柳园南路 1 号, 3 楼; 监测大厅".into(),
            starts_at: 1_661_997_600,
            ends_at: 1_662_004_800,
            capacity: 40,
            registered: 0,
            registration: true,
            summary: "参观\\监测设备\r\n现场答疑".into(),
        }
    }

    #[test]
    fn times_are_utc_basic_format() {
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        assert_eq!(utc_stamp(1_661_997_600), "20220901T020000Z");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        assert_eq!(escape_text("bell\u{7}"), "bell");
    }

    #[test]
    fn calendar_has_crlf_lines_of_at_most_75_octets() {
        let text = event_calendar(
            &event(),
            "http://k.example/?view=events&event=7",
            "k.example",
            0,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("\r\nDTSTART:20220901T020000Z\r\n"));
        assert!(unfolded.contains("\r\nDTEND:20220901T040000Z\r\n"));
        assert!(unfolded.contains("\r\nUID:event-7@k.example\r\n"));
        assert!(unfolded.contains(&format!("\r\nSUMMARY:{}\r\n", event().title)));
        assert!(unfolded.contains("\r\nLOCATION:东昌府区 柳园南路 1 号\\, 3 楼\\; 监测大厅\r\n"));
        assert!(
            unfolded.contains("\r\nDESCRIPTION:聊城市生态环境局\\n参观\\\\监测设备\\n现场答疑\r\n")
        );
    }
}
