//! A small HTTP/1.1 proxy in front of the server that can lose the answer to
//! a write after the server has committed it (the network failure that
//! idempotency keys exist for), hold writes back, and record every write's
//! idempotency key with when it was in flight, and how many are in flight now.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::Result;

/// A running proxy; dropping it stops accepting connections.
pub struct DroppingProxy {
    pub addr: SocketAddr,
    drops_left: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<Flight>>>,
    in_flight: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

/// One write that passed through: its idempotency key and when it was in flight.
#[derive(Debug, Clone)]
pub struct Flight {
    pub key: String,
    pub start: Instant,
    pub end: Instant,
}

/// How the proxy treats writes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Behaviour {
    /// Lose the answers to this many POSTs after the server has committed them.
    pub drops: usize,
    /// Hold every POST this long before forwarding it.
    pub delay: Duration,
}

impl DroppingProxy {
    /// Proxies to `upstream`, losing the answers to the next `drops` POSTs.
    pub async fn start(upstream: SocketAddr, drops: usize) -> Result<DroppingProxy> {
        DroppingProxy::with(
            upstream,
            Behaviour {
                drops,
                ..Behaviour::default()
            },
        )
        .await
    }

    /// Proxies to `upstream`, treating writes as `behaviour` says.
    pub async fn with(upstream: SocketAddr, behaviour: Behaviour) -> Result<DroppingProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let drops_left = Arc::new(AtomicUsize::new(behaviour.drops));
        let log = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let (counter, flights, open) = (drops_left.clone(), log.clone(), in_flight.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let shared = Shared {
                    drops: counter.clone(),
                    log: flights.clone(),
                    in_flight: open.clone(),
                    delay: behaviour.delay,
                };
                tokio::spawn(async move {
                    let _ = serve(client, upstream, shared).await;
                });
            }
        });
        Ok(DroppingProxy {
            addr,
            drops_left,
            log,
            in_flight,
            task,
        })
    }

    /// Every write that passed so far.
    pub fn flights(&self) -> Vec<Flight> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Keys that were in flight twice at the same time.
    pub fn overlapping_keys(&self) -> Vec<String> {
        let flights = self.flights();
        let mut keys: Vec<String> = flights
            .iter()
            .enumerate()
            .filter(|(i, a)| {
                flights
                    .iter()
                    .skip(i + 1)
                    .any(|b| b.key == a.key && b.start < a.end && a.start < b.end)
            })
            .map(|(_, f)| f.key.clone())
            .collect();
        keys.dedup();
        keys
    }

    /// How many writes are on their way through right now.
    pub fn writes_in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
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

/// What every connection of one proxy shares.
struct Shared {
    drops: Arc<AtomicUsize>,
    log: Arc<Mutex<Vec<Flight>>>,
    in_flight: Arc<AtomicUsize>,
    delay: Duration,
}

/// Counts one write as in flight while it lives.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn start(counter: &Arc<AtomicUsize>) -> InFlight {
        counter.fetch_add(1, Ordering::SeqCst);
        InFlight(counter.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Handles one client connection, one request at a time.
async fn serve(client: TcpStream, upstream: SocketAddr, shared: Shared) -> Result<()> {
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
        let key = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("idempotency-key")
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_default();
        let start = Instant::now();
        let flight = is_post.then(|| InFlight::start(&shared.in_flight));
        if is_post {
            tokio::time::sleep(shared.delay).await;
        }
        // One request per upstream connection, closed when answered.
        let head = head.replacen("\r\n\r\n", "\r\nConnection: close\r\n\r\n", 1);
        let mut server = TcpStream::connect(upstream).await?;
        server.write_all(head.as_bytes()).await?;
        server.write_all(&body).await?;
        let mut answer = Vec::new();
        server.read_to_end(&mut answer).await?;
        if is_post && let Ok(mut log) = shared.log.lock() {
            log.push(Flight {
                key,
                start,
                end: Instant::now(),
            });
        }
        drop(flight);
        let lose = is_post
            && shared
                .drops
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
