//! A minimal HTTP/1.1 client over a TCP stream, for the test to act as
//! "another kiosk" or as an operator without a browser, and to ask the server
//! what a page should show.

use std::net::SocketAddr;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::Result;

/// POSTs JSON with a fresh idempotency key; returns the status and body.
pub async fn post_json(addr: SocketAddr, path: &str, body: &str) -> Result<(u16, String)> {
    request(addr, "POST", path, &[], body).await
}

/// Sends `method path` with JSON `body` (none when empty) and extra `headers`; a POST gets a
/// fresh idempotency key. Returns the status and body.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(u16, String)> {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\nConnection: close\r\n"
    );
    if method == "POST" {
        let key = format!(
            "00000000-0000-4000-8000-{:012x}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_nanos()
                & 0xffff_ffff_ffff
        );
        head.push_str(&format!("Idempotency-Key: {key}\r\n"));
    }
    if !body.is_empty() {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    send(addr, &format!("{head}\r\n{body}")).await
}

/// GETs `path` (with its query) and decodes the JSON answer, which must be a 200.
pub async fn get_json(addr: SocketAddr, path: &str) -> Result<Value> {
    let (status, body) = request(addr, "GET", path, &[], "").await?;
    if status != 200 {
        return Err(format!("GET {path} answered {status}: {body}").into());
    }
    Ok(serde_json::from_str(&body)?)
}

/// Signs an operator in over HTTP, as a script would; returns the session cookie
/// (`omk_session=…`) and the session's CSRF token.
pub async fn sign_in(addr: SocketAddr, login: &str, password: &str) -> Result<(String, String)> {
    let body = serde_json::json!({"login": login, "password": password}).to_string();
    let request = format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, head, body) = send_full(addr, &request).await?;
    if status != 200 {
        return Err(format!("signing in as {login} answered {status}: {body}").into());
    }
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .and_then(|c| c.split(';').next())
        .ok_or("a sign-in without a cookie")?
        .to_owned();
    let session: Value = serde_json::from_str(&body)?;
    let csrf = session["csrf_token"]
        .as_str()
        .ok_or("a session without a CSRF token")?
        .to_owned();
    Ok((cookie, csrf))
}

/// Sends one request on a fresh connection; returns the status and the (de-chunked) body.
async fn send(addr: SocketAddr, request: &str) -> Result<(u16, String)> {
    let (status, _, body) = send_full(addr, request).await?;
    Ok((status, body))
}

/// Sends one request on a fresh connection; returns the status, the head (lower-cased)
/// and the (de-chunked) body.
async fn send_full(addr: SocketAddr, request: &str) -> Result<(u16, String, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("an answer without a blank line after its head")?;
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let body = &response[split + 4..];
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    Ok((status, head, String::from_utf8_lossy(&body).into_owned()))
}

/// The body of a `Transfer-Encoding: chunked` answer.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunk without a size line")?;
        let size = String::from_utf8_lossy(&rest[..line]);
        let size = usize::from_str_radix(size.split(';').next().unwrap_or_default().trim(), 16)?;
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest
            .get(line + 2..line + 2 + size)
            .ok_or("a chunk shorter than its size")?;
        body.extend_from_slice(chunk);
        rest = rest.get(line + 4 + size..).unwrap_or_default();
    }
}
