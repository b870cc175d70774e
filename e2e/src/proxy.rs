//! A small HTTP/1.1 proxy in front of the server that can lose the answer to
//! a write after the server has committed it: the network failure that
//! idempotency keys exist for.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::Result;

/// A running proxy; dropping it stops accepting connections.
pub struct DroppingProxy {
    pub addr: SocketAddr,
    drops_left: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl DroppingProxy {
    /// Proxies to `upstream`, losing the answers to the next `drops` POSTs.
    pub async fn start(upstream: SocketAddr, drops: usize) -> Result<DroppingProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let drops_left = Arc::new(AtomicUsize::new(drops));
        let counter = drops_left.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let _ = serve(client, upstream, counter).await;
                });
            }
        });
        Ok(DroppingProxy {
            addr,
            drops_left,
            task,
        })
    }

    /// How many answers are still to be lost.
    pub fn drops_left(&self) -> usize {
        self.drops_left.load(Ordering::SeqCst)
    }

    /// The origin, for example `http://127.0.0.1:40125`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for DroppingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Handles one client connection, one request at a time.
async fn serve(client: TcpStream, upstream: SocketAddr, drops: Arc<AtomicUsize>) -> Result<()> {
    let (read, mut write) = client.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let end = line == "\r\n";
            if !line.to_ascii_lowercase().starts_with("connection:") {
                head.push_str(&line);
            }
            if end {
                break;
            }
        }
        let length = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await?;
        let is_post = head.starts_with("POST ");
        // One request per upstream connection, closed when answered.
        let head = head.replacen("\r\n\r\n", "\r\nConnection: close\r\n\r\n", 1);
        let mut server = TcpStream::connect(upstream).await?;
        server.write_all(head.as_bytes()).await?;
        server.write_all(&body).await?;
        let mut answer = Vec::new();
        server.read_to_end(&mut answer).await?;
        let lose = is_post
            && drops
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok();
        if lose {
            // The server has committed; the client never hears of it.
            return Ok(());
        }
        write.write_all(&answer).await?;
        if String::from_utf8_lossy(&answer)
            .to_ascii_lowercase()
            .contains("connection: close")
        {
            return Ok(());
        }
    }
}
