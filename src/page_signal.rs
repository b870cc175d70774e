//! A signal that lives as long as the page and forgets the subscribers that are gone.
//!
//! A Leptos signal keeps a weak handle to every effect that ever read it until that effect
//! reads it again; an effect that is dropped (a text node of a screen that is gone) is never
//! removed, and its handle keeps the effect's allocation. A signal read by every visit's views
//! (the language, the display modes, the session) so grows with each visit, about a hundred
//! bytes per reactive text node. [`PageSignal`] notes who reads it and, whenever that list has
//! doubled, starts its subscriber set afresh from the readers still alive.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::reactive::graph::{AnySubscriber, Observer, Source};

/// Below this many readers noted, nothing is pruned.
const PRUNE_FLOOR: usize = 64;

/// A page-lifetime signal whose dropped readers are forgotten (see the module comment).
#[derive(Debug)]
pub struct PageSignal<T: 'static> {
    value: RwSignal<T>,
    readers: StoredValue<Readers>,
}

impl<T> Clone for PageSignal<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for PageSignal<T> {}

/// Every reader noted since the last pruning, dead or alive.
#[derive(Debug)]
struct Readers {
    noted: HashSet<AnySubscriber>,
    prune_at: usize,
}

impl<T: Send + Sync + 'static> PageSignal<T> {
    /// A signal holding `value`, owned by the current owner (the widget's root).
    pub fn new(value: T) -> Self {
        PageSignal {
            value: RwSignal::new(value),
            readers: StoredValue::new(Readers {
                noted: HashSet::new(),
                prune_at: PRUNE_FLOOR,
            }),
        }
    }

    /// Subscribes the current effect or memo, if any.
    pub fn track(&self) {
        if let Some(reader) = Observer::get() {
            let prune = self
                .readers
                .try_update_value(|readers| {
                    readers.noted.insert(reader);
                    readers.noted.len() >= readers.prune_at
                })
                .unwrap_or(false);
            if prune {
                self.prune();
            }
        }
        self.value.track();
    }

    /// Forgets the readers that are gone: the subscriber set is rebuilt from the living ones.
    fn prune(&self) {
        let alive = self
            .readers
            .try_update_value(|readers| {
                readers.noted.retain(|reader| reader.1.strong_count() > 0);
                readers.prune_at = (readers.noted.len() * 2).max(PRUNE_FLOOR);
                readers.noted.iter().cloned().collect::<Vec<_>>()
            })
            .unwrap_or_default();
        self.value.clear_subscribers();
        for reader in alive {
            self.value.add_subscriber(reader);
        }
    }

    /// The value (tracked).
    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.track();
        self.value.get_untracked()
    }

    /// The value, without subscribing.
    pub fn get_untracked(&self) -> T
    where
        T: Clone,
    {
        self.value.get_untracked()
    }

    /// Reads the value by reference (tracked).
    pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.track();
        self.value.with_untracked(f)
    }

    /// Replaces the value and notifies the readers.
    pub fn set(&self, value: T) {
        self.value.set(value);
    }

    /// Changes the value in place and notifies the readers.
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        self.value.update(f);
    }

    /// How many readers are noted (alive, or gone since the last pruning).
    pub fn readers_noted(&self) -> usize {
        self.readers
            .try_with_value(|readers| readers.noted.len())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_that_are_gone_are_forgotten() {
        let owner = Owner::new();
        owner.set();
        let lang = PageSignal::new(0u8);
        for visit in 0..1_000u32 {
            let reader = ArcMemo::new(move |_| lang.get());
            assert_eq!(
                reader.get_untracked(),
                lang.get_untracked(),
                "visit {visit}"
            );
        }
        assert!(
            lang.readers_noted() < 2 * PRUNE_FLOOR,
            "{} readers noted",
            lang.readers_noted()
        );
    }

    #[test]
    fn a_living_reader_still_hears_of_changes_after_pruning() {
        let owner = Owner::new();
        owner.set();
        let lang = PageSignal::new(0u32);
        let living = ArcMemo::new(move |_| lang.get());
        assert_eq!(living.get_untracked(), 0);
        for n in 1..=500u32 {
            let passing = ArcMemo::new(move |_| lang.get());
            assert_eq!(passing.get_untracked(), n - 1);
            lang.set(n);
            assert_eq!(living.get_untracked(), n);
        }
    }
}
