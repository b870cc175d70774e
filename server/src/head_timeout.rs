//! A time limit on a request's head that ends in an answer: the connection's reads are
//! watched, and once a request has begun arriving, its headers must be complete within
//! the limit. If they are not, the client is sent a 408 problem and the connection ends.
//! (hyper's own header timeout, kept longer as a backstop and for idle kept-alive
//! connections, closes without a word.)

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use omk_api::{Lang, ProblemKind};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

use crate::error::ProblemSpec;

/// What the connection's service tells the watcher: a request's head has arrived (the
/// service was called) or its answer has begun (the service returned).
#[derive(Debug, Clone, Default)]
pub struct HeadState {
    in_request: Arc<AtomicBool>,
    heads: Arc<AtomicU64>,
}

impl HeadState {
    /// A request's head is complete.
    pub fn head_received(&self) {
        self.heads.fetch_add(1, Ordering::Relaxed);
        self.in_request.store(true, Ordering::Relaxed);
    }

    /// The request's answer has begun; the next bytes start a new head.
    pub fn answered(&self) {
        self.in_request.store(false, Ordering::Relaxed);
    }
}

/// The 408 problem sent when a head takes too long, as raw HTTP/1.1.
fn timeout_answer() -> Vec<u8> {
    let problem = ProblemSpec {
        kind: ProblemKind::TimedOut,
        errors: Vec::new(),
    }
    .localise(Lang::default());
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut answer = format!(
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    answer
}

/// A connection whose request heads must arrive within `limit`.
pub struct Watched<T> {
    inner: T,
    state: HeadState,
    limit: Duration,
    /// When the head that is arriving must be complete, and how many heads had arrived
    /// before it.
    deadline: Option<(Pin<Box<Sleep>>, u64)>,
    /// The 408 answer still to be written, once the limit has passed.
    answering: Option<(Vec<u8>, usize)>,
}

impl<T> Watched<T> {
    pub fn new(inner: T, state: HeadState, limit: Duration) -> Watched<T> {
        Watched {
            inner,
            state,
            limit,
            deadline: None,
            answering: None,
        }
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let heads = this.state.heads.load(Ordering::Relaxed);
        if this
            .deadline
            .as_ref()
            .is_some_and(|(_, before)| *before != heads)
        {
            // That head arrived.
            this.deadline = None;
        }
        if let Some((deadline, _)) = &mut this.deadline
            && this.answering.is_none()
            && deadline.as_mut().poll(cx).is_ready()
        {
            this.answering = Some((timeout_answer(), 0));
        }
        if let Some((answer, written)) = &mut this.answering {
            while *written < answer.len() {
                match Pin::new(&mut this.inner).poll_write(cx, &answer[*written..]) {
                    Poll::Ready(Ok(0)) | Poll::Ready(Err(_)) => return Poll::Ready(Ok(())),
                    Poll::Ready(Ok(n)) => *written += n,
                    Poll::Pending => return Poll::Pending,
                }
            }
            let _ = Pin::new(&mut this.inner).poll_flush(cx);
            // The end of input: the connection closes with the answer sent.
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        let read = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = read
            && buf.filled().len() > before
            && this.deadline.is_none()
            && !this.state.in_request.load(Ordering::Relaxed)
        {
            let mut sleep = Box::pin(tokio::time::sleep_until(Instant::now() + this.limit));
            // Register the timer, so that the connection wakes when it fires.
            let _ = sleep.as_mut().poll(cx);
            this.deadline = Some((sleep, heads));
        }
        read
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
