//! A keep-alive HTTP/1.1 connection over a plain `TcpStream`, for loopback load generation.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::wire::{self, Chunked, Framing, Head};

/// One open connection to a server.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    /// Connects, with Nagle's algorithm off.
    pub async fn connect(addr: SocketAddr) -> Result<Conn, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connecting to {addr}: {e}"))?;
        let _ = stream.set_nodelay(true);
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(4096),
        })
    }

    /// Sends a complete request and reads the whole response; returns its status.
    pub async fn request(&mut self, request: &[u8]) -> Result<u16, String> {
        self.stream
            .write_all(request)
            .await
            .map_err(|e| format!("sending: {e}"))?;
        let head = self.read_head().await?;
        match head.body {
            Framing::Length(len) => {
                while self.buf.len() < len {
                    self.fill().await?;
                }
                self.buf.drain(..len);
            }
            Framing::Chunked => {
                let mut decoder = Chunked::new();
                let mut body = Vec::new();
                loop {
                    decoder.feed(&self.buf, &mut body)?;
                    self.buf.clear();
                    if decoder.is_done() {
                        break;
                    }
                    self.fill().await?;
                }
            }
            Framing::UntilClose => {
                return Err("a response without a length on a keep-alive connection".to_owned());
            }
        }
        Ok(head.status)
    }

    /// Sends a `GET` and reads the response head; the open connection then carries the body.
    pub async fn open_stream(mut self, host: &str, path: &str) -> Result<Stream, String> {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n");
        self.stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| format!("sending: {e}"))?;
        let head = self.read_head().await?;
        if head.status != 200 {
            return Err(format!("GET {path} answered {}", head.status));
        }
        Ok(Stream {
            stream: self.stream,
            pending: std::mem::take(&mut self.buf),
            chunked: (head.body == Framing::Chunked).then(Chunked::new),
        })
    }

    /// Reads until a whole head is buffered, and removes it from the buffer.
    async fn read_head(&mut self) -> Result<Head, String> {
        loop {
            if let Some(head) = wire::parse_head(&self.buf)? {
                self.buf.drain(..head.len);
                return Ok(head);
            }
            self.fill().await?;
        }
    }

    /// Reads more bytes into the buffer; an error at the end of the stream.
    async fn fill(&mut self) -> Result<(), String> {
        let mut chunk = [0u8; 8192];
        let n = self
            .stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("reading: {e}"))?;
        if n == 0 {
            return Err("the server closed the connection".to_owned());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

/// A response body that keeps coming (an event stream), already past its head.
pub struct Stream {
    stream: TcpStream,
    pending: Vec<u8>,
    chunked: Option<Chunked>,
}

impl Stream {
    /// The next body bytes (de-chunked); `Ok(false)` at the end of the stream.
    pub async fn next(&mut self, out: &mut Vec<u8>) -> Result<bool, String> {
        out.clear();
        while out.is_empty() {
            if self.pending.is_empty() {
                let mut chunk = [0u8; 8192];
                let n = self
                    .stream
                    .read(&mut chunk)
                    .await
                    .map_err(|e| format!("reading: {e}"))?;
                if n == 0 {
                    return Ok(false);
                }
                self.pending.extend_from_slice(&chunk[..n]);
            }
            match &mut self.chunked {
                Some(decoder) => {
                    decoder.feed(&self.pending, out)?;
                    self.pending.clear();
                    if decoder.is_done() {
                        return Ok(!out.is_empty());
                    }
                }
                None => out.append(&mut self.pending),
            }
        }
        Ok(true)
    }
}
