//! An open event stream's bytes on the wire, which Chromium does not report until the stream
//! ends: the same request made again by a plain HTTP/1.1 client, asking for the same encoding,
//! and read until it has brought as much event data as the browser got. Headers, chunk framing
//! and compressed body are all counted, as Chromium counts a finished response.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a replay may take.
const LIMIT: Duration = Duration::from_secs(10);

/// The bytes that `url` sends, with `encoding` (`gzip` or empty), until its decoded body holds
/// `decoded` bytes.
pub async fn stream_bytes(url: &str, encoding: &str, decoded: usize) -> Result<u64, String> {
    tokio::time::timeout(LIMIT, read(url, encoding, decoded))
        .await
        .map_err(|_| format!("{url}: no {decoded} B of events within {LIMIT:?}"))?
}

async fn read(url: &str, encoding: &str, decoded: usize) -> Result<u64, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http is replayed"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut socket = TcpStream::connect(host)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let accept = if encoding.is_empty() {
        "identity"
    } else {
        encoding
    };
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\
         Accept-Encoding: {accept}\r\nCache-Control: no-cache\r\n\r\n"
    );
    socket
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let mut body = Body::new(encoding)?;
    let mut received = Vec::with_capacity(16 * 1024);
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let n = socket
            .read(&mut chunk)
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        if n == 0 {
            return Err(format!("{url}: closed after {} B of events", body.plain));
        }
        received.extend_from_slice(&chunk[..n]);
        if let Some(used) = body.take(&received)?
            && body.plain >= decoded
        {
            return Ok(used as u64);
        }
    }
}

/// The response read so far: its head, then its chunks, inflated when gzip.
struct Body {
    gzip: bool,
    /// Decoded body bytes so far.
    plain: usize,
}

impl Body {
    fn new(encoding: &str) -> Result<Body, String> {
        let gzip = match encoding {
            "" => false,
            "gzip" => true,
            other => return Err(format!("an event stream in {other} is not replayed")),
        };
        Ok(Body { gzip, plain: 0 })
    }

    /// Reads the whole of `received` from the start: `Some(bytes)` up to the end of the last
    /// complete chunk, with `plain` counting what those chunks decode to.
    fn take(&mut self, received: &[u8]) -> Result<Option<usize>, String> {
        let Some(head_end) = memchr::memmem::find(received, b"\r\n\r\n").map(|at| at + 4) else {
            return Ok(None);
        };
        let head = String::from_utf8_lossy(&received[..head_end]).to_ascii_lowercase();
        if !head.starts_with("http/1.1 200") || !head.contains("transfer-encoding: chunked") {
            return Err(format!(
                "not a chunked 200: {}",
                head.lines().next().unwrap_or("")
            ));
        }
        let mut at = head_end;
        let mut data = Vec::new();
        while let Some(line_end) = memchr::memmem::find(&received[at..], b"\r\n") {
            let size = usize::from_str_radix(
                String::from_utf8_lossy(&received[at..at + line_end]).trim(),
                16,
            )
            .map_err(|e| format!("a chunk size: {e}"))?;
            let start = at + line_end + 2;
            if received.len() < start + size + 2 {
                break;
            }
            data.extend_from_slice(&received[start..start + size]);
            at = start + size + 2;
        }
        self.plain = if self.gzip {
            // Past the 10-byte gzip header, raw deflate data.
            let deflated = data.get(10..).unwrap_or_default();
            let mut plain = Vec::with_capacity(deflated.len() * 20 + 1024);
            flate2::Decompress::new(false)
                .decompress_vec(deflated, &mut plain, flate2::FlushDecompress::Sync)
                .map_err(|e| format!("gzip: {e}"))?;
            plain.len()
        } else {
            data.len()
        };
        Ok(Some(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(parts: &[&[u8]]) -> Vec<u8> {
        let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                        transfer-encoding: chunked\r\n\r\n"
            .to_vec();
        for part in parts {
            out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
            out.extend_from_slice(part);
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    #[test]
    fn plain_chunks_count_to_the_end_of_the_last_whole_one() {
        let received = chunked(&[b"retry: 2000\n\n", b"data: 1\n\n"]);
        let mut body = Body::new("").expect("plain");
        assert_eq!(body.take(&received), Ok(Some(received.len())));
        assert_eq!(body.plain, 22);
        let mut body = Body::new("").expect("plain");
        assert_eq!(
            body.take(&received[..received.len() - 3]),
            Ok(Some(received.len() - 14))
        );
        assert_eq!(body.plain, 13);
    }

    #[test]
    fn gzip_chunks_count_what_they_inflate_to() {
        let mut deflate = flate2::Compress::new(flate2::Compression::best(), false);
        let mut segment = Vec::with_capacity(1024);
        deflate
            .compress_vec(&[b'x'; 600], &mut segment, flate2::FlushCompress::Sync)
            .expect("deflated");
        let header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        let received = chunked(&[&header, &segment]);
        let mut body = Body::new("gzip").expect("gzip");
        assert_eq!(body.take(&received), Ok(Some(received.len())));
        assert_eq!(body.plain, 600);
        assert!(Body::new("br").is_err());
    }
}
