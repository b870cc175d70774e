//! Just enough HTTP/1.1 for load generation: response heads, chunked bodies, Server-Sent Events,
//! and idempotency keys. Pure functions over bytes, so they are tested without a network.

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};

/// A parsed response head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// The status code.
    pub status: u16,
    /// The head's length in bytes, blank line included.
    pub len: usize,
    /// How the body is framed.
    pub body: Framing,
}

/// How a response body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length: n`.
    Length(usize),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Neither: the body runs until the connection closes.
    UntilClose,
}

/// Parses a response head at the start of `buf`; `Ok(None)` until the blank line has arrived.
pub fn parse_head(buf: &[u8]) -> Result<Option<Head>, String> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| "response head is not UTF-8")?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    if !parts.next().is_some_and(|v| v.starts_with("HTTP/1.")) {
        return Err(format!("not an HTTP/1 status line: {status_line:?}"));
    }
    let status = parts
        .next()
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no status code in {status_line:?}"))?;
    let mut body = Framing::UntilClose;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            let len = value
                .parse()
                .map_err(|_| format!("bad Content-Length {value:?}"))?;
            body = Framing::Length(len);
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            && value.to_ascii_lowercase().contains("chunked")
        {
            body = Framing::Chunked;
        }
    }
    if matches!(status, 100..200 | 204 | 304) {
        body = Framing::Length(0);
    }
    Ok(Some(Head {
        status,
        len: end + 4,
        body,
    }))
}

/// Where a chunked decoder stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    /// Reading the hexadecimal size.
    Size,
    /// Skipping a chunk extension up to the end of the size line.
    Extension,
    /// Copying data; this many bytes left in the chunk.
    Data(u64),
    /// Skipping the line end after a chunk's data.
    DataEnd,
    /// After the last chunk: trailer lines, this many bytes into the current one.
    Trailer(usize),
    /// The body is complete.
    Done,
}

/// A streaming decoder of `Transfer-Encoding: chunked`.
#[derive(Debug)]
pub struct Chunked {
    state: ChunkState,
    size: u64,
}

impl Default for Chunked {
    fn default() -> Self {
        Chunked::new()
    }
}

impl Chunked {
    pub fn new() -> Chunked {
        Chunked {
            state: ChunkState::Size,
            size: 0,
        }
    }

    /// Whether the final chunk and the trailer have been read.
    pub fn is_done(&self) -> bool {
        self.state == ChunkState::Done
    }

    /// Decodes `input`, appending body bytes to `out`.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        let mut i = 0;
        while i < input.len() {
            let byte = input[i];
            match self.state {
                ChunkState::Size => {
                    match byte {
                        b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' => {
                            let digit = u64::from((byte as char).to_digit(16).unwrap_or(0));
                            self.size = self
                                .size
                                .checked_mul(16)
                                .and_then(|s| s.checked_add(digit))
                                .ok_or("chunk size overflows")?;
                        }
                        b';' | b' ' | b'\t' => self.state = ChunkState::Extension,
                        b'\r' => {}
                        b'\n' => self.end_size_line(),
                        _ => return Err(format!("bad byte {byte:#04x} in a chunk size")),
                    }
                    i += 1;
                }
                ChunkState::Extension => {
                    if byte == b'\n' {
                        self.end_size_line();
                    }
                    i += 1;
                }
                ChunkState::Data(left) => {
                    let take = (input.len() - i).min(usize::try_from(left).unwrap_or(usize::MAX));
                    out.extend_from_slice(&input[i..i + take]);
                    i += take;
                    let left = left - take as u64;
                    self.state = if left == 0 {
                        ChunkState::DataEnd
                    } else {
                        ChunkState::Data(left)
                    };
                }
                ChunkState::DataEnd => {
                    match byte {
                        b'\r' => {}
                        b'\n' => {
                            self.state = ChunkState::Size;
                            self.size = 0;
                        }
                        _ => return Err("chunk data longer than its size".to_owned()),
                    }
                    i += 1;
                }
                ChunkState::Trailer(len) => {
                    self.state = match byte {
                        b'\r' => ChunkState::Trailer(len),
                        b'\n' if len == 0 => ChunkState::Done,
                        b'\n' => ChunkState::Trailer(0),
                        _ => ChunkState::Trailer(len + 1),
                    };
                    i += 1;
                }
                ChunkState::Done => return Ok(()),
            }
        }
        Ok(())
    }

    fn end_size_line(&mut self) {
        self.state = if self.size == 0 {
            ChunkState::Trailer(0)
        } else {
            ChunkState::Data(self.size)
        };
    }
}

/// One Server-Sent Event, borrowed from the parser's buffers for the length of the callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SseEvent<'a> {
    /// The `event:` name (`message` when none was given).
    pub name: &'a [u8],
    /// The `data:` lines joined with newlines.
    pub data: &'a [u8],
}

/// A streaming parser of a `text/event-stream` body. It looks for line ends with `memchr` and
/// copies only the fields it keeps (the name and the data), into buffers reused from event to
/// event: after the first few events it allocates nothing.
#[derive(Debug, Default)]
pub struct SseParser {
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    name: Vec<u8>,
    data: Vec<u8>,
    has_data: bool,
}

impl SseParser {
    /// Parses `input`, calling `on_event` for every complete event.
    pub fn feed(&mut self, input: &[u8], mut on_event: impl FnMut(SseEvent<'_>)) {
        let mut rest = input;
        while let Some(end) = memchr::memchr(b'\n', rest) {
            let (piece, after) = (&rest[..end], &rest[end + 1..]);
            rest = after;
            if self.partial.is_empty() {
                self.line(piece, &mut on_event);
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(piece);
                self.line(&line, &mut on_event);
                line.clear();
                self.partial = line;
            }
        }
        self.partial.extend_from_slice(rest);
    }

    /// One complete line, without its `\n`.
    fn line(&mut self, line: &[u8], on_event: &mut impl FnMut(SseEvent<'_>)) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if self.has_data {
                let name: &[u8] = if self.name.is_empty() {
                    b"message"
                } else {
                    &self.name
                };
                on_event(SseEvent {
                    name,
                    data: &self.data,
                });
            }
            self.name.clear();
            self.data.clear();
            self.has_data = false;
            return;
        }
        let (field, value) = match memchr::memchr(b':', line) {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match field {
            b"event" => {
                self.name.clear();
                self.name.extend_from_slice(value);
            }
            b"data" => {
                if self.has_data {
                    self.data.push(b'\n');
                }
                self.data.extend_from_slice(value);
                self.has_data = true;
            }
            _ => {}
        }
    }
}

/// The integer value of `"field":` in a JSON text, found without parsing the whole document
/// (the first occurrence of the key, at any depth).
pub fn json_integer(text: &[u8], field: &str) -> Option<i64> {
    let field = field.as_bytes();
    let mut from = 0;
    let at = loop {
        let found = from + memchr::memmem::find(&text[from..], field)?;
        let end = found + field.len();
        if found > 0 && text[found - 1] == b'"' && text.get(end) == Some(&b'"') {
            break end + 1;
        }
        from = found + 1;
    };
    let rest = text[at..]
        .trim_ascii_start()
        .strip_prefix(b":")?
        .trim_ascii_start();
    let negative = rest.first() == Some(&b'-');
    let digits = &rest[usize::from(negative)..];
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 || len > 18 {
        return None;
    }
    let value = digits[..len]
        .iter()
        .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    Some(if negative { -value } else { value })
}

/// The first integer in a text, ignoring separators (`"1,234 条"` → 1234); for figures on screen.
pub fn screen_integer(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}'))
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A fresh UUID-shaped idempotency key: random per process, counted within it.
pub fn idempotency_key() -> String {
    static SEED: std::sync::OnceLock<(u64, u64)> = std::sync::OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let (a, b) = *SEED.get_or_init(|| {
        (
            RandomState::new().hash_one(std::process::id()),
            RandomState::new().hash_one(std::time::SystemTime::now()),
        )
    });
    key_from(a, b, COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A version-4-shaped UUID from two random words and a counter.
fn key_from(a: u64, b: u64, n: u64) -> String {
    let low = b ^ n;
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        a as u16 & 0x0fff,
        0x8000 | ((low >> 48) as u16 & 0x3fff),
        low & 0xffff_ffff_ffff
    )
}

/// A `POST` with a JSON body and a fresh idempotency key.
pub fn post_json(host: &str, path: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Idempotency-Key: {}\r\nContent-Length: {}\r\n\r\n{body}",
        idempotency_key(),
        body.len()
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_give_status_and_framing() {
        let head = parse_head(b"HTTP/1.1 201 Created\r\ncontent-length: 12\r\n\r\n{\"id\":1}")
            .expect("valid")
            .expect("complete");
        assert_eq!(head.status, 201);
        assert_eq!(head.body, Framing::Length(12));
        assert_eq!(head.len, 44);
        let head = parse_head(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            .expect("valid")
            .expect("complete");
        assert_eq!(head.body, Framing::Chunked);
        assert_eq!(parse_head(b"HTTP/1.1 200 OK\r\nconte"), Ok(None));
        assert!(parse_head(b"SSH-2.0\r\n\r\n").is_err());
    }

    #[test]
    fn chunked_bodies_decode_across_any_split() {
        let wire = b"5;x=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-T: 1\r\n\r\n";
        for split in 0..wire.len() {
            let mut decoder = Chunked::new();
            let mut out = Vec::new();
            decoder.feed(&wire[..split], &mut out).expect("valid");
            decoder.feed(&wire[split..], &mut out).expect("valid");
            assert_eq!(out, b"hello, world", "split at {split}");
            assert!(decoder.is_done());
        }
    }

    #[test]
    fn sse_events_are_split_on_blank_lines_across_any_split() {
        let wire: &[u8] =
            b"retry: 2000\n\nid: 7\nevent: metrics\ndata: {\"a\":1}\n\n: keep-alive\n\ndata: x\r\ndata: y\r\n\r\n";
        for split in 0..wire.len() {
            let mut parser = SseParser::default();
            let mut events: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
            let mut keep = |e: SseEvent<'_>| events.push((e.name.to_vec(), e.data.to_vec()));
            parser.feed(&wire[..split], &mut keep);
            parser.feed(&wire[split..], &mut keep);
            assert_eq!(
                events,
                vec![
                    (b"metrics".to_vec(), b"{\"a\":1}".to_vec()),
                    (b"message".to_vec(), b"x\ny".to_vec()),
                ],
                "split at {split}"
            );
        }
    }

    #[test]
    fn integers_are_read_from_json_and_from_screen_text() {
        let json =
            br#"{"issues_collected":4139,"not_ratings_today":5,"ratings_today": 1207,"x":-3}"#;
        assert_eq!(json_integer(json, "ratings_today"), Some(1207));
        assert_eq!(json_integer(json, "x"), Some(-3));
        assert_eq!(json_integer(json, "missing"), None);
        assert_eq!(screen_integer("1,207"), Some(1207));
        assert_eq!(screen_integer("今日评价 1 207 条"), Some(1207));
        assert_eq!(screen_integer("—"), None);
    }

    #[test]
    fn keys_look_like_uuids_and_differ() {
        let key = key_from(u64::MAX, 0, 5);
        assert_eq!(key.len(), 36);
        assert_eq!(&key[14..15], "4");
        for (i, c) in key.char_indices() {
            if matches!(i, 8 | 13 | 18 | 23) {
                assert_eq!(c, '-');
            } else {
                assert!(c.is_ascii_hexdigit());
            }
        }
        assert_ne!(idempotency_key(), idempotency_key());
    }
}
