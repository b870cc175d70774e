//! Caps on live streams: so many per client, so many in all. A stream holds a
//! [`StreamPermit`] for as long as it is open; a client over its cap gets 429, and a full
//! server 503, each with `Retry-After`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::client_addr::ClientKey;
use crate::error::AppError;

/// Seconds a refused client is told to wait.
pub const RETRY_AFTER: u64 = 30;

#[derive(Debug, Default)]
struct Open {
    by_client: HashMap<ClientKey, usize>,
    total: usize,
}

/// The open streams, by client; cheap to clone.
#[derive(Debug, Clone)]
pub struct StreamSlots {
    per_client: usize,
    max: usize,
    open: Arc<Mutex<Open>>,
}

impl StreamSlots {
    /// At most `per_client` streams per client and `max` in all.
    pub fn new(per_client: usize, max: usize) -> StreamSlots {
        StreamSlots {
            per_client,
            max,
            open: Arc::default(),
        }
    }

    /// A slot for one more stream of `client`, or the refusal.
    pub fn acquire(&self, client: ClientKey) -> Result<StreamPermit, AppError> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.total >= self.max {
            return Err(AppError::Overloaded(RETRY_AFTER));
        }
        let mine = open.by_client.entry(client).or_insert(0);
        if *mine >= self.per_client {
            return Err(AppError::RateLimited(RETRY_AFTER));
        }
        *mine += 1;
        open.total += 1;
        Ok(StreamPermit {
            slots: self.clone(),
            client,
        })
    }

    /// How many streams are open.
    pub fn open(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }
}

/// One open stream's slot, given back when the stream ends.
#[derive(Debug)]
pub struct StreamPermit {
    slots: StreamSlots,
    client: ClientKey,
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut open = self
            .slots
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        open.total = open.total.saturating_sub(1);
        if let Some(mine) = open.by_client.get_mut(&self.client) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                open.by_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    #[test]
    fn each_client_and_the_server_have_a_cap_and_slots_come_back() {
        let slots = StreamSlots::new(2, 3);
        let a = ClientKey::V4(Ipv4Addr::new(10, 0, 0, 1));
        let b = ClientKey::V4(Ipv4Addr::new(10, 0, 0, 2));
        let first = slots.acquire(a);
        let second = slots.acquire(a);
        assert!(first.is_ok() && second.is_ok());
        assert!(matches!(slots.acquire(a), Err(AppError::RateLimited(_))));
        let third = slots.acquire(b);
        assert!(third.is_ok());
        assert!(matches!(slots.acquire(b), Err(AppError::Overloaded(_))));
        drop(first);
        assert_eq!(slots.open(), 2);
        assert!(slots.acquire(a).is_ok());
    }
}
