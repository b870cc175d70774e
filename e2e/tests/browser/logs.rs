//! The server's logs, captured while every scenario runs at debug level
//! (more than production logs), must never contain the personal data that
//! visitors typed.

use std::io::Write;
use std::sync::{Arc, Mutex};

use omk_e2e::Result;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Personal data the scenarios type: consented contact details and the idle
/// scenario's unsent name and phone.
const PERSONAL: [&str; 4] = ["王建国", "13800138000", "赵秀英", "13912345678"];

/// Everything logged since [`capture`].
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

/// One write into the capture.
pub struct Line(Arc<Mutex<Vec<u8>>>);

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut all) = self.0.lock() {
            all.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line(self.0.clone())
    }
}

/// Sends the process's logs (the in-process server's included) to a buffer.
pub fn capture() -> Captured {
    let captured = Captured::default();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("omk_server=debug,tower_http=debug"))
        .with_writer(captured.clone())
        .with_ansi(false)
        .try_init();
    captured
}

/// Checks the logs: requests were logged, and no personal data was.
pub async fn no_personal_data(captured: &Captured) -> Result<()> {
    let text = captured.text();
    if !text.contains("/api/v1/issues") {
        return Err(format!("the requests were not logged ({} bytes)", text.len()).into());
    }
    let found: Vec<&str> = PERSONAL
        .iter()
        .copied()
        .filter(|p| text.contains(p))
        .collect();
    if !found.is_empty() {
        return Err(format!("the logs contain personal data: {found:?}").into());
    }
    println!("  {} bytes of server logs, no personal data", text.len());
    Ok(())
}
