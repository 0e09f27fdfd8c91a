//! A build's sections read ahead of being applied, by two threads.
//!
//! Reading a section (splitting and parsing it) needs no catalog; applying it needs the
//! catalog every earlier section made, so it goes in order on one thread. A second thread
//! reads the sections in that order, and the applying thread, when the section it needs is
//! not read yet, reads the next one nobody has claimed instead of waiting. So both threads
//! stay busy whichever of reading and applying costs more: a helper that only read kept the
//! applying thread waiting for it a quarter of a build.

use std::sync::{Condvar, Mutex, MutexGuard};

/// The sections and what has become of each.
pub(super) struct Readings<S, R> {
    sections: Vec<S>,
    read: fn(&S) -> R,
    state: Mutex<State<R>>,
    /// Signalled when a section is stored.
    stored: Condvar,
}

struct State<R> {
    /// The first section no thread has claimed to read.
    next: usize,
    /// The first section not yet taken by [`Readings::next`].
    taken: usize,
    /// Whether `next` waits for a section to be stored: a notification is a system call
    /// even when nobody waits, so one is made only then.
    waiting: bool,
    slots: Vec<Slot<R>>,
}

enum Slot<R> {
    /// Not read yet (claimed or not: see `State::next`).
    Unread,
    Read(R),
    Taken,
    /// The helper thread panicked reading it: the applying thread reads it again (and meets
    /// the same panic, on its own thread, if it was not the helper's alone).
    Abandoned,
}

/// Calls `body` with the readings of `sections`, to take in order with [`Readings::next`];
/// a second thread reads ahead meanwhile. Without it (none could be started), `next` reads
/// each section itself.
pub(super) fn read_ahead<S: Sync, R: Send, T>(
    sections: Vec<S>,
    read: fn(&S) -> R,
    body: impl FnOnce(&Readings<S, R>) -> T,
) -> T {
    let readings = Readings {
        state: Mutex::new(State {
            next: 0,
            taken: 0,
            waiting: false,
            slots: (0..sections.len()).map(|_| Slot::Unread).collect(),
        }),
        sections,
        read,
        stored: Condvar::new(),
    };
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .name("checked-query-read".into())
            .spawn_scoped(scope, || while readings.read_next() {});
        // However `body` ends, the helper claims nothing more.
        let stop = Stop(&readings);
        let out = body(&readings);
        drop(stop);
        if let Ok(helper) = helper {
            // A panic of the helper's left its section to `next` (see `Slot::Abandoned`).
            let _ = helper.join();
        }
        out
    })
}

struct Stop<'a, S, R>(&'a Readings<S, R>);

impl<S, R> Drop for Stop<'_, S, R> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.next = self.0.sections.len();
    }
}

/// Marks a claimed section abandoned if its reading panics.
struct Claim<'a, S, R> {
    readings: &'a Readings<S, R>,
    at: usize,
}

impl<S, R> Drop for Claim<'_, S, R> {
    fn drop(&mut self) {
        self.readings.store(self.at, Slot::Abandoned);
    }
}

impl<S, R> Readings<S, R> {
    fn lock(&self) -> MutexGuard<'_, State<R>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn store(&self, at: usize, slot: Slot<R>) {
        let waiting = {
            let mut state = self.lock();
            state.slots[at] = slot;
            state.waiting
        };
        if waiting {
            self.stored.notify_all();
        }
    }

    /// Claims the next unread section, if any is left.
    fn claim(state: &mut State<R>, len: usize) -> Option<usize> {
        (state.next < len).then(|| {
            state.next += 1;
            state.next - 1
        })
    }

    /// Reads the next section nobody has claimed and stores it; false when none is left.
    fn read_next(&self) -> bool {
        let Some(at) = Self::claim(&mut self.lock(), self.sections.len()) else {
            return false;
        };
        let claim = Claim { readings: self, at };
        let read = (self.read)(&self.sections[at]);
        std::mem::forget(claim);
        self.store(at, Slot::Read(read));
        true
    }

    /// The next section's reading, in order: as the other thread stored it, or read here.
    /// While the other thread is still reading it, this one reads ahead or waits.
    pub(super) fn next(&self) -> R {
        let len = self.sections.len();
        let mut state = self.lock();
        let at = state.taken;
        assert!(at < len, "every section is taken once");
        state.taken += 1;
        loop {
            match std::mem::replace(&mut state.slots[at], Slot::Taken) {
                Slot::Read(read) => return read,
                Slot::Abandoned => {
                    drop(state);
                    return (self.read)(&self.sections[at]);
                }
                Slot::Taken => unreachable!("every section is taken once"),
                Slot::Unread => state.slots[at] = Slot::Unread,
            }
            match Self::claim(&mut state, len) {
                // Nobody claimed it: read it here.
                Some(claimed) if claimed == at => {
                    drop(state);
                    return (self.read)(&self.sections[at]);
                }
                // The other thread is reading it: read a later one meanwhile.
                Some(claimed) => {
                    drop(state);
                    let read = (self.read)(&self.sections[claimed]);
                    state = self.lock();
                    state.slots[claimed] = Slot::Read(read);
                }
                None => {
                    state.waiting = true;
                    state = self.stored.wait(state).unwrap_or_else(|p| p.into_inner());
                    state.waiting = false;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::read_ahead;

    fn square(n: &u64) -> (u64, String) {
        let name = std::thread::current().name().unwrap_or("").to_string();
        // Slow enough that both threads take part.
        let mut x = *n;
        for _ in 0..20_000 {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
        std::hint::black_box(x);
        (n * n, name)
    }

    #[test]
    fn every_section_comes_in_order_once() {
        let sections: Vec<u64> = (0..500).collect();
        let (values, names) = read_ahead(sections, square, |r| {
            let mut values = Vec::new();
            let mut names = std::collections::BTreeSet::new();
            for _ in 0..500 {
                let (v, name) = r.next();
                // Applying takes a while too, as it does in a build.
                square(&v);
                values.push(v);
                names.insert(name);
            }
            (values, names)
        });
        assert_eq!(values, (0..500).map(|n| n * n).collect::<Vec<_>>());
        // Both the helper and the applying thread read some.
        assert!(names.contains("checked-query-read"), "{names:?}");
        assert!(names.len() == 2, "{names:?}");
    }

    fn panics_on_the_helper(n: &u64) -> u64 {
        if std::thread::current().name() == Some("checked-query-read") && n % 7 == 3 {
            panic!("the helper fails (a test)");
        }
        *n + 1
    }

    #[test]
    fn a_section_the_helper_fails_on_is_read_again() {
        let sections: Vec<u64> = (0..100).collect();
        let got = read_ahead(sections, panics_on_the_helper, |r| {
            (0..100).map(|_| r.next()).collect::<Vec<_>>()
        });
        assert_eq!(got, (1..=100).collect::<Vec<_>>());
    }

    #[test]
    fn stopping_early_stops_the_helper() {
        let sections: Vec<u64> = (0..10_000).collect();
        let first = read_ahead(sections, square, |r| r.next());
        assert_eq!(first.0, 0);
    }
}
