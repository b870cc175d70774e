//! A small HTTP/1.1 client over a plain TCP socket, for tests that talk to a
//! real listening server (another instance, or the binary in its own process).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A whole response: its status and its body (chunked bodies decoded).
#[derive(Debug)]
pub struct WireReply {
    pub status: u16,
    pub body: String,
}

/// Sends one request on a fresh connection and reads the answer to its end.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<WireReply> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw);
    let (head, rest) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no header end in {text:?}")))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))?;
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked")
    });
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    Ok(WireReply { status, body })
}

/// A POST of a JSON body with a fresh idempotency key.
pub async fn post_json(addr: SocketAddr, path: &str, body: &str) -> std::io::Result<WireReply> {
    let key = crate::support::fresh_key();
    request(
        addr,
        "POST",
        path,
        &[
            ("content-type", "application/json"),
            ("idempotency-key", &key),
        ],
        body,
    )
    .await
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// A Server-Sent Events stream read line by line off the socket.
pub struct WireSse {
    lines: tokio::io::Lines<BufReader<TcpStream>>,
    /// The figures as the stream has brought them so far.
    figures: Option<omk_api::Metrics>,
}

impl WireSse {
    /// Opens `/api/v1/metrics/stream` and checks the answer is an event stream.
    pub async fn open(addr: SocketAddr) -> std::io::Result<WireSse> {
        let mut stream = TcpStream::connect(addr).await?;
        stream
            .write_all(
                format!("GET /api/v1/metrics/stream HTTP/1.1\r\nhost: {addr}\r\n\r\n").as_bytes(),
            )
            .await?;
        let mut lines = BufReader::new(stream).lines();
        let status = lines.next_line().await?.unwrap_or_default();
        if !status.starts_with("HTTP/1.1 200") {
            return Err(std::io::Error::other(format!("stream refused: {status}")));
        }
        while let Some(line) = lines.next_line().await? {
            if line.is_empty() {
                break;
            }
        }
        Ok(WireSse {
            lines,
            figures: None,
        })
    }

    /// The next event's name and data, or `None` after `wait` without one.
    /// Chunk-size lines of the transfer encoding are skipped.
    pub async fn next(&mut self, wait: Duration) -> Option<(String, String)> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut name = String::new();
        let mut data = String::new();
        loop {
            let line = tokio::time::timeout_at(deadline, self.lines.next_line())
                .await
                .ok()?
                .ok()??;
            let line = line.trim_end_matches('\r');
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_owned();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push_str(v);
            } else if line.is_empty() && !name.is_empty() && !data.is_empty() {
                return Some((name, data));
            }
        }
    }

    /// The figures after the next `metrics` snapshot or `update` applied to the last one, or
    /// `None` after `wait`.
    pub async fn next_metrics(&mut self, wait: Duration) -> Option<omk_api::Metrics> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let (name, data) = self.next(left).await?;
            if name == "metrics" {
                self.figures = serde_json::from_str(&data).ok();
                return self.figures.clone();
            }
            if name == "update" {
                let update = serde_json::from_str(&data).ok()?;
                let figures = self.figures.as_mut()?;
                figures.apply(update);
                return Some(figures.clone());
            }
        }
    }
}
