//! The catalog's lists of objects, shared between copies of the catalog, and found by name.
//!
//! The build keeps the catalog after each migration's UP and DOWN for the lints. With plain
//! vectors each copy cloned every table: quadratic in the number of migrations (2,000
//! one-table migrations took 8 GB). Here the list is a persistent vector (`imbl`'s RRB tree)
//! of shared objects: a copy is O(1), and a change copies O(log n) of the tree and only the
//! object it changes, so the copies kept for the lints cost what their migrations changed.
//! A failed statement leaves the catalog unchanged, as PostgreSQL's statement atomicity
//! does: the changes are made in place and recorded, to be undone ([`Objects::begin`]).
//!
//! Finding an object by a linear scan made a history of n DDL statements cost O(n²): every
//! CREATE asks whether its name is taken, every DROP which objects depend on it. So the list
//! the interpreter works on also keeps an index, PostgreSQL's name indexes and `pg_depend`
//! in one: each object's [`Key`]s (its name, the names it depends on, its constraints' names)
//! map to its slot. The index is persistent too (a copy shares it) and is kept up to date by
//! every change, which all go through the methods below. The copies kept for the lints drop
//! it ([`Objects::without_index`]): a path copy of the index per kept catalog costs more memory
//! than their few lookups save, and without an index a lookup scans, as before.
//!
//! Removing an object leaves an empty slot, so that the slots of the others (which the index
//! and [`super::TableId`] hold) stay put; the list is compacted once half of it is empty.
//!
//! Reading yields `&Arc<T>` (field access and comparisons see through the `Arc`); changing
//! goes through the methods below, which copy on write.

use std::sync::Arc;

/// What an object is found by, besides its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// The object depends on the relation, type or function of that name (a foreign key's
    /// table, a column's type, an index's table, a trigger's function…): what a DROP of
    /// that name must look at.
    Uses(String),
    /// A table has a constraint of that name.
    Constraint(String),
}

/// An object kept in an [`Objects`] list.
pub trait Keyed {
    /// The name the object is found by, unique in its list (PostgreSQL's namespaces), if
    /// it has one of its own (a trigger's or policy's is only unique per table, a function's
    /// per signature).
    fn name(&self) -> Option<&str> {
        None
    }

    /// Its other keys.
    fn keys(&self, _out: &mut Vec<Key>) {}
}

/// Slots in ascending order. Shared, like the map keys: the maps are persistent, and a change
/// copies the nodes on the path to the entry it changes, cloning every entry of those nodes.
/// With `String` keys and `Vec` slots each such clone was an allocation, and those copies
/// were a fifth of building a long history (every table of a service referencing `users`
/// puts them all under one key); with `Arc`s a clone is a reference count.
type Slots = Arc<[usize]>;
/// Hashed with foldhash, not the default SipHash: every lookup and change hashes its key,
/// and SipHash was a twentieth of building a history. Its seed is random per process, so
/// names chosen to collide cannot make the maps slow.
type Map = imbl::GenericHashMap<
    Arc<str>,
    Slots,
    foldhash::fast::RandomState,
    imbl::shared_ptr::DefaultSharedPtr,
>;

/// Name and key → the slots holding them. One map per kind of key, so that a lookup borrows
/// the name instead of building a [`Key`].
#[derive(Debug, Clone, Default, PartialEq)]
struct Index {
    names: Map,
    uses: Map,
    constraints: Map,
}

impl Index {
    fn map<'k>(&mut self, key: &'k Key) -> (&mut Map, &'k str) {
        match key {
            Key::Uses(n) => (&mut self.uses, n),
            Key::Constraint(n) => (&mut self.constraints, n),
        }
    }

    fn get(&self, key: &Key) -> Option<&Slots> {
        match key {
            Key::Uses(n) => self.uses.get(n.as_str()),
            Key::Constraint(n) => self.constraints.get(n.as_str()),
        }
    }

    fn add(map: &mut Map, k: &str, slot: usize) {
        // Looked up before changed: `get_mut` copies the path even when nothing changes.
        let at = match map.get(k).map(|s| s.binary_search(&slot)) {
            Some(Ok(_)) => return,
            Some(Err(at)) => at,
            None => {
                map.insert(Arc::from(k), Arc::from([slot]));
                return;
            }
        };
        let slots = map.get_mut(k).expect("just found");
        let mut grown = Vec::with_capacity(slots.len() + 1);
        grown.extend_from_slice(&slots[..at]);
        grown.push(slot);
        grown.extend_from_slice(&slots[at..]);
        *slots = grown.into();
    }

    fn remove(map: &mut Map, k: &str, slot: usize) {
        match map.get(k) {
            Some(slots) if slots.len() == 1 && slots[0] == slot => {
                map.remove(k);
            }
            Some(slots) if slots.contains(&slot) => {
                let kept: Slots = slots.iter().copied().filter(|&s| s != slot).collect();
                *map.get_mut(k).expect("just found") = kept;
            }
            _ => {}
        }
    }

    fn insert<T: Keyed>(&mut self, slot: usize, t: &T) {
        if let Some(n) = t.name() {
            Self::add(&mut self.names, n, slot);
        }
        for k in keys_of(t) {
            let (map, n) = self.map(&k);
            Self::add(map, n, slot);
        }
    }

    fn erase<T: Keyed>(&mut self, slot: usize, t: &T) {
        if let Some(n) = t.name() {
            Self::remove(&mut self.names, n, slot);
        }
        for k in keys_of(t) {
            let (map, n) = self.map(&k);
            Self::remove(map, n, slot);
        }
    }

    /// Follows a change of the object in `slot` from `before` to `after`, touching only the
    /// entries the change concerns: most changes (a column, a default) change no key, and
    /// erasing and inserting every key copied the paths to all of them.
    fn reindex<T: Keyed>(&mut self, slot: usize, before: &Indexed, after: &T) {
        let name = after.name();
        if before.name.as_deref() != name {
            if let Some(old) = &before.name {
                Self::remove(&mut self.names, old, slot);
            }
            if let Some(new) = name {
                Self::add(&mut self.names, new, slot);
            }
        }
        let keys = keys_of(after);
        for k in before
            .keys
            .iter()
            .filter(|k| keys.binary_search(k).is_err())
        {
            let (map, n) = self.map(k);
            Self::remove(map, n, slot);
        }
        for k in keys
            .iter()
            .filter(|k| before.keys.binary_search(k).is_err())
        {
            let (map, n) = self.map(k);
            Self::add(map, n, slot);
        }
    }
}

/// What the index holds of an object: its name and keys, as they were before a change.
struct Indexed {
    name: Option<String>,
    keys: Vec<Key>,
}

impl Indexed {
    fn of<T: Keyed>(t: &T) -> Self {
        Indexed {
            name: t.name().map(str::to_string),
            keys: keys_of(t),
        }
    }
}

/// An object's keys, sorted and each once.
fn keys_of<T: Keyed>(t: &T) -> Vec<Key> {
    let mut out = Vec::new();
    t.keys(&mut out);
    out.sort();
    out.dedup();
    out
}

/// How many leading (`rev`: trailing) elements two sequences of leaves hold alike: a leaf
/// both hold (the same memory) is skipped whole, the rest compared one by one.
fn shared_run<'a, A: 'a>(
    mut a: impl Iterator<Item = &'a [A]>,
    mut b: impl Iterator<Item = &'a [A]>,
    rev: bool,
    same: impl Fn(&A, &A) -> bool,
) -> usize {
    let (mut x, mut y): (&[A], &[A]) = (&[], &[]);
    let mut n = 0;
    loop {
        while x.is_empty() {
            let Some(leaf) = a.next() else { return n };
            x = leaf;
        }
        while y.is_empty() {
            let Some(leaf) = b.next() else { return n };
            y = leaf;
        }
        if std::ptr::eq(x, y) {
            n += x.len();
            (x, y) = (&[], &[]);
            continue;
        }
        let (ex, ey, rest_x, rest_y) = if rev {
            let (ex, rx) = x.split_last().expect("not empty");
            let (ey, ry) = y.split_last().expect("not empty");
            (ex, ey, rx, ry)
        } else {
            let (ex, rx) = x.split_first().expect("not empty");
            let (ey, ry) = y.split_first().expect("not empty");
            (ex, ey, rx, ry)
        };
        if !same(ex, ey) {
            return n;
        }
        n += 1;
        (x, y) = (rest_x, rest_y);
    }
}

/// A list of catalog objects with copy-on-write sharing and an index by name and key.
#[derive(Debug)]
pub struct Objects<T> {
    /// Slots; `None` where an object was removed.
    items: imbl::Vector<Option<Arc<T>>>,
    live: usize,
    index: Option<Index>,
    /// What undoes each change since [`Objects::begin`] (None: changes are not recorded).
    journal: Option<Vec<Undo<T>>>,
    /// The slots from here on were pushed since the innermost level began: undoing it pops
    /// them, so their changes and removals need no record (and a change need not copy an
    /// object that nothing else holds: a table is created, then its keys are added).
    fresh_from: usize,
}

/// A change to a list, as what undoes it.
#[derive(Debug)]
enum Undo<T> {
    /// The slot held this (`None`: it was empty).
    Set(usize, Option<Arc<T>>),
    /// An object was pushed.
    Push,
    /// The list was renumbered (see `compact`); it was this.
    Compacted(Box<Objects<T>>),
}

/// Where a level of recorded changes starts (see [`Objects::begin`]).
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    at: usize,
    /// Whether changes were not recorded before: the level that stops recording.
    outer: bool,
    /// The enclosing level's `fresh_from`, back in force when this level ends.
    fresh_from: usize,
}

impl<T> Clone for Objects<T> {
    /// A copy without the changes being recorded: it is another catalog.
    fn clone(&self) -> Self {
        Objects {
            items: self.items.clone(),
            live: self.live,
            index: self.index.clone(),
            journal: None,
            fresh_from: 0,
        }
    }
}

impl<T> Default for Objects<T> {
    fn default() -> Self {
        Objects {
            items: imbl::Vector::new(),
            live: 0,
            index: Some(Index::default()),
            journal: None,
            fresh_from: 0,
        }
    }
}

impl<T: PartialEq> PartialEq for Objects<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items.ptr_eq(&other.items)
            || (self.len() == other.len()
                && self
                    .iter()
                    .zip(other.iter())
                    .all(|(a, b)| Arc::ptr_eq(a, b) || a == b))
    }
}

impl<T> std::ops::Index<usize> for Objects<T> {
    type Output = Arc<T>;
    /// The object in `slot` (see [`Objects::slot_named`]).
    fn index(&self, slot: usize) -> &Arc<T> {
        self.items[slot].as_ref().expect("a slot in use")
    }
}

impl<T: Keyed> FromIterator<T> for Objects<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut out = Objects::default();
        for t in iter {
            out.push_arc(Arc::new(t));
        }
        out
    }
}

/// The objects of a list in order.
pub struct Iter<'a, T>(imbl::vector::Iter<'a, Option<Arc<T>>, imbl::shared_ptr::DefaultSharedPtr>);

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a Arc<T>;
    fn next(&mut self) -> Option<&'a Arc<T>> {
        self.0.by_ref().find_map(Option::as_ref)
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(t) = self.0.next_back()?.as_ref() {
                return Some(t);
            }
        }
    }
}

impl<'a, T> IntoIterator for &'a Objects<T> {
    type Item = &'a Arc<T>;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> Objects<T> {
    pub fn iter(&self) -> Iter<'_, T> {
        Iter(self.items.iter())
    }

    /// The objects with their slots.
    pub fn slots(&self) -> impl DoubleEndedIterator<Item = (usize, &Arc<T>)> {
        (self.items.iter().enumerate()).filter_map(|(i, t)| Some((i, t.as_ref()?)))
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The objects of `self` and of `other` that the other does not hold (the same
    /// allocation), each in order: what changed between two copies of one list, in time
    /// proportional to the change. The copies share the leaves of their trees that neither
    /// changed, and the slots keep their order, so a common prefix and suffix are skipped a
    /// leaf at a time by pointer (comparing object by object made the DOWN lint quadratic
    /// in the length of the history); only the middle is hashed.
    pub fn unshared<'a>(&'a self, other: &'a Self) -> (Vec<&'a T>, Vec<&'a T>) {
        let same = |a: &Option<Arc<T>>, b: &Option<Arc<T>>| match (a, b) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        let (mine, theirs) = (self.items.len(), other.items.len());
        let prefix = shared_run(self.items.leaves(), other.items.leaves(), false, same);
        let suffix = shared_run(
            self.items.leaves().rev(),
            other.items.leaves().rev(),
            true,
            same,
        )
        .min(mine.min(theirs) - prefix);
        let middle = |o: &'a Self, len: usize| o.raw_range(prefix..len - suffix).flatten();
        let ptrs = |o: &'a Self, len| -> std::collections::HashSet<*const T> {
            middle(o, len).map(Arc::as_ptr).collect()
        };
        let (pm, pt) = (ptrs(self, mine), ptrs(other, theirs));
        (
            (middle(self, mine))
                .filter(|t| !pt.contains(&Arc::as_ptr(t)))
                .map(|t| &**t)
                .collect(),
            (middle(other, theirs))
                .filter(|t| !pm.contains(&Arc::as_ptr(t)))
                .map(|t| &**t)
                .collect(),
        )
    }

    /// The slots in `range`, read a leaf at a time (an iterator skips to its start one
    /// slot at a time).
    fn raw_range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &Option<Arc<T>>> {
        let mut at = 0;
        self.items.leaves().flat_map(move |leaf| {
            let start = at;
            at += leaf.len();
            let lo = range.start.saturating_sub(start).min(leaf.len());
            let hi = range.end.saturating_sub(start).min(leaf.len());
            &leaf[lo..hi.max(lo)]
        })
    }

    /// The same list without its index, for a copy kept to be read rarely.
    pub fn without_index(&self) -> Self {
        Objects {
            items: self.items.clone(),
            live: self.live,
            index: None,
            journal: None,
            fresh_from: 0,
        }
    }
}

impl<T: Keyed> Objects<T> {
    /// The slot of the object named `name`.
    pub fn slot_named(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.names.get(name).and_then(|s| s.first().copied()),
            None => self
                .slots()
                .find(|(_, t)| t.name() == Some(name))
                .map(|(i, _)| i),
        }
    }

    /// The slot of the first object `pred` accepts (a scan).
    pub fn slot_where(&self, mut pred: impl FnMut(&T) -> bool) -> Option<usize> {
        self.slots().find(|(_, t)| pred(t)).map(|(i, _)| i)
    }

    pub fn named(&self, name: &str) -> Option<&Arc<T>> {
        self.slot_named(name).map(|i| &self[i])
    }

    /// The slots of the objects that have `key`, in order.
    pub fn slots_with(&self, key: &Key) -> Vec<usize> {
        match &self.index {
            Some(index) => index.get(key).map(|s| s.to_vec()).unwrap_or_default(),
            None => self
                .slots()
                .filter(|(_, t)| keys_of(&***t).contains(key))
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The slots of the objects that depend on any of `names` (`Key::Uses`), in order and
    /// each once: what a DROP or RENAME of those names must look at.
    pub fn slots_using<S: AsRef<str>>(&self, names: &[S]) -> Vec<usize> {
        let mut slots: Vec<usize> = (names.iter())
            .flat_map(|n| self.slots_with(&Key::Uses(n.as_ref().to_string())))
            .collect();
        slots.sort_unstable();
        slots.dedup();
        slots
    }

    /// The objects that have `key`, in order.
    pub fn with_key(&self, key: &Key) -> Vec<&Arc<T>> {
        self.slots_with(key).into_iter().map(|i| &self[i]).collect()
    }

    pub fn has_key(&self, key: &Key) -> bool {
        match &self.index {
            Some(index) => index.get(key).is_some(),
            None => self.iter().any(|t| keys_of(&**t).contains(key)),
        }
    }

    fn push_arc(&mut self, value: Arc<T>) {
        let slot = self.items.len();
        if let Some(index) = &mut self.index {
            index.insert(slot, &*value);
        }
        self.items.push_back(Some(value));
        self.live += 1;
        self.record(|| Undo::Push);
    }

    fn record(&mut self, undo: impl FnOnce() -> Undo<T>) {
        if let Some(journal) = &mut self.journal {
            journal.push(undo());
        }
    }

    /// Whether a change to `slot` must be recorded: changes are, and the slot holds an
    /// object from before the innermost level (its undo would not pop it).
    fn records(&self, slot: usize) -> bool {
        self.journal.is_some() && slot < self.fresh_from
    }

    /// Starts a level of recorded changes, to be kept ([`Objects::commit`]) or undone
    /// ([`Objects::rollback`]): a statement's changes are undone when it fails, as
    /// PostgreSQL's statement atomicity does. Levels nest (a DO block's subtransactions).
    /// Changes are made in place: copying the catalog before every statement instead made
    /// every change copy the paths to it in the shared trees, and drop them again.
    pub fn begin(&mut self) -> Mark {
        let outer = self.journal.is_none();
        let mark = Mark {
            at: self.journal.get_or_insert_with(Vec::new).len(),
            outer,
            fresh_from: self.fresh_from,
        };
        self.fresh_from = self.items.len();
        mark
    }

    /// Keeps the changes since `mark` (an outer level may still undo them: what this level
    /// pushed is fresh to it too).
    pub fn commit(&mut self, mark: Mark) {
        if mark.outer {
            self.journal = None;
        }
        self.fresh_from = mark.fresh_from;
    }

    /// Undoes the changes since `mark`, latest first.
    pub fn rollback(&mut self, mark: Mark) {
        while let Some(undo) = (self.journal.as_mut())
            .filter(|j| j.len() > mark.at)
            .and_then(Vec::pop)
        {
            self.undo(undo);
        }
        self.commit(mark);
    }

    fn undo(&mut self, undo: Undo<T>) {
        match undo {
            Undo::Set(slot, old) => {
                let now = self.items.set(slot, old.clone());
                if let Some(index) = &mut self.index {
                    if let Some(t) = &now {
                        index.erase(slot, &**t);
                    }
                    if let Some(t) = &old {
                        index.insert(slot, &**t);
                    }
                }
                self.live += usize::from(old.is_some());
                self.live -= usize::from(now.is_some());
            }
            Undo::Push => {
                let slot = self.items.len() - 1;
                if let Some(Some(t)) = self.items.pop_back() {
                    if let Some(index) = &mut self.index {
                        index.erase(slot, &*t);
                    }
                    self.live -= 1;
                }
            }
            Undo::Compacted(old) => {
                let journal = self.journal.take();
                *self = *old;
                self.journal = journal;
            }
        }
    }

    /// Whether the index agrees with the objects (a check for tests and debug builds).
    pub fn index_is_consistent(&self) -> bool {
        let Some(index) = &self.index else {
            return true;
        };
        let mut fresh = Index::default();
        for (i, t) in self.slots() {
            fresh.insert(i, &**t);
        }
        fresh == *index
    }
}

impl<T: Keyed + Clone> Objects<T> {
    pub fn push(&mut self, value: T) {
        self.push_arc(Arc::new(value));
    }

    /// Removes and returns the object in `slot` (shared: a copy kept from before may hold it,
    /// and a caller rarely needs it as its own).
    pub fn remove(&mut self, slot: usize) -> Arc<T> {
        let t = self.items.set(slot, None).expect("a slot in use");
        if self.records(slot) {
            self.record(|| Undo::Set(slot, Some(t.clone())));
        }
        if let Some(index) = &mut self.index {
            index.erase(slot, &*t);
        }
        self.live -= 1;
        self.compact();
        t
    }

    /// Removes the objects in `slots`.
    pub fn remove_slots(&mut self, slots: impl IntoIterator<Item = usize>) {
        for slot in slots {
            let Some(t) = self.items.set(slot, None) else {
                continue;
            };
            if let Some(index) = &mut self.index {
                index.erase(slot, &*t);
            }
            if self.records(slot) {
                self.record(|| Undo::Set(slot, Some(t)));
            }
            self.live -= 1;
        }
        self.compact();
    }

    /// Removes the object named `name`, if any.
    pub fn remove_named(&mut self, name: &str) -> Option<Arc<T>> {
        self.slot_named(name).map(|i| self.remove(i))
    }

    /// Once more than half the slots are empty, renumbers the objects (and rebuilds the
    /// index): the cost is paid once per as many removals as there are objects left.
    fn compact(&mut self) {
        let empty = self.items.len() - self.live;
        if empty <= 32 || empty <= self.live {
            return;
        }
        let journal = self.journal.take();
        let had_index = self.index.is_some();
        let old = std::mem::replace(
            self,
            Objects {
                items: imbl::Vector::new(),
                live: 0,
                index: had_index.then(Index::default),
                journal: None,
                fresh_from: 0,
            },
        );
        for t in old.iter() {
            self.push_arc(t.clone());
        }
        self.journal = journal;
        self.record(|| Undo::Compacted(Box::new(old)));
        // Undoing the level restores the list as it was before (`old`), whatever became of
        // these objects, so none of them needs a record now. (They are shared with `old`, so
        // a change still copies them.)
        self.fresh_from = 0;
    }

    /// Keeps the objects `keep` accepts. Each removal is O(log n) and keeps the rest of the
    /// tree shared with other copies; the scan is O(n), so a lookup by key is the way for a
    /// removal that has one.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let gone: Vec<usize> = self
            .slots()
            .filter(|(_, t)| !keep(t))
            .map(|(i, _)| i)
            .collect();
        if !gone.is_empty() {
            self.remove_slots(gone);
        }
    }

    pub fn extend(&mut self, values: impl IntoIterator<Item = T>) {
        for v in values {
            self.push(v);
        }
    }

    /// The object in `slot`, copied first if another catalog shares it.
    pub fn get_mut(&mut self, slot: usize) -> Option<ObjectMut<'_, T>> {
        self.items.get(slot)?.as_ref()?;
        Some(ObjectMut::new(self, slot))
    }

    /// The object named `name`, copied first if shared.
    pub fn named_mut(&mut self, name: &str) -> Option<ObjectMut<'_, T>> {
        let slot = self.slot_named(name)?;
        self.get_mut(slot)
    }

    /// The first object `pred` accepts, copied first if shared. Only that object is copied.
    pub fn find_mut(&mut self, mut pred: impl FnMut(&T) -> bool) -> Option<ObjectMut<'_, T>> {
        let slot = self.slots().find(|(_, t)| pred(t))?.0;
        self.get_mut(slot)
    }

    /// Applies `f` to the objects `pred` accepts, copying only those.
    pub fn update_where(&mut self, mut pred: impl FnMut(&T) -> bool, mut f: impl FnMut(&mut T)) {
        let chosen: Vec<usize> = self
            .slots()
            .filter(|(_, t)| pred(t))
            .map(|(i, _)| i)
            .collect();
        self.update_slots(chosen, &mut f);
    }

    /// Applies `f` to the objects in `slots`, copying only those.
    pub fn update_slots(
        &mut self,
        slots: impl IntoIterator<Item = usize>,
        mut f: impl FnMut(&mut T),
    ) {
        for slot in slots {
            if let Some(mut t) = self.get_mut(slot) {
                f(&mut t);
            }
        }
    }

    /// Applies `f` to the objects that depend on `name` (have `Key::Uses(name)`): what a
    /// rename must follow, found without a scan.
    pub fn update_users(&mut self, name: &str, f: impl FnMut(&mut T)) {
        let slots = self.slots_with(&Key::Uses(name.to_string()));
        self.update_slots(slots, f);
    }

    /// The last object, copied first if shared.
    pub fn last_mut(&mut self) -> Option<ObjectMut<'_, T>> {
        let slot = self.slots().next_back()?.0;
        self.get_mut(slot)
    }

    /// Applies `f` to every object, keeping a new copy only of those it changed: for a
    /// change that may touch any of them (a rename followed into every reference), without
    /// unsharing the rest.
    pub fn update(&mut self, mut f: impl FnMut(&mut T))
    where
        T: PartialEq,
    {
        let mut changed = Vec::new();
        for (i, t) in self.slots() {
            let mut copy = T::clone(t);
            f(&mut copy);
            if copy != **t {
                changed.push((i, copy));
            }
        }
        for (i, copy) in changed {
            if let Some(index) = &mut self.index {
                index.reindex(
                    i,
                    &Indexed::of(&**self.items[i].as_ref().expect("a slot in use")),
                    &copy,
                );
            }
            let old = self.items.set(i, Some(Arc::new(copy)));
            if self.records(i) {
                self.record(|| Undo::Set(i, old));
            }
        }
    }
}

/// A changeable object of a list: it reads and writes as `&mut T`; when dropped, the list's
/// index follows whatever the change did to the object's name and keys.
pub struct ObjectMut<'a, T: Keyed + Clone> {
    list: &'a mut Objects<T>,
    slot: usize,
    /// What the index holds of the object (None when the list has no index).
    before: Option<Indexed>,
    /// Whether the object as it was is in the list's journal.
    recorded: bool,
}

impl<'a, T: Keyed + Clone> ObjectMut<'a, T> {
    fn new(list: &'a mut Objects<T>, slot: usize) -> Self {
        let object = &**list.items[slot].as_ref().expect("a slot in use");
        let before = list.index.is_some().then(|| Indexed::of(object));
        ObjectMut {
            list,
            slot,
            before,
            recorded: false,
        }
    }
}

impl<T: Keyed + Clone> std::ops::Deref for ObjectMut<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.list.items[self.slot].as_ref().expect("a slot in use")
    }
}

impl<T: Keyed + Clone> std::ops::DerefMut for ObjectMut<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        if !self.recorded && self.list.records(self.slot) {
            self.recorded = true;
            // The journal holds the object as it was, so `make_mut` changes a copy.
            let old = self.list.items[self.slot].clone();
            self.list.record(|| Undo::Set(self.slot, old));
        }
        let slot = self.list.items.get_mut(self.slot).expect("a slot in use");
        Arc::make_mut(slot.as_mut().expect("a slot in use"))
    }
}

impl<T: Keyed + Clone> Drop for ObjectMut<'_, T> {
    fn drop(&mut self) {
        let object = &**self.list.items[self.slot].as_ref().expect("a slot in use");
        if let (Some(index), Some(before)) = (&mut self.list.index, &self.before) {
            index.reindex(self.slot, before, object);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Key, Keyed, Objects};

    #[derive(Debug, Clone, PartialEq)]
    struct Obj {
        name: String,
        uses: Vec<String>,
    }

    impl Keyed for Obj {
        fn name(&self) -> Option<&str> {
            Some(&self.name)
        }
        fn keys(&self, out: &mut Vec<Key>) {
            out.extend(self.uses.iter().cloned().map(Key::Uses));
        }
    }

    fn obj(name: &str, uses: &[&str]) -> Obj {
        Obj {
            name: name.into(),
            uses: uses.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn names(o: &Objects<Obj>) -> Vec<&str> {
        o.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn a_copy_shares_until_one_side_changes() {
        let mut a: Objects<Obj> = [obj("x", &[]), obj("y", &[])].into_iter().collect();
        let b = a.clone();
        assert!(std::sync::Arc::ptr_eq(&a[0], &b[0]));
        a.find_mut(|s| s.name == "y").unwrap().name = "z".into();
        assert_eq!(names(&b), ["x", "y"]);
        assert_eq!(names(&a), ["x", "z"]);
        // The object not changed is still shared.
        assert!(std::sync::Arc::ptr_eq(&a[0], &b[0]));
        a.retain(|s| s.name != "x");
        assert_eq!(a.len(), 1);
        assert_eq!(b.len(), 2);
        assert!(a.index_is_consistent() && b.index_is_consistent());
        assert_eq!(a.named("z").map(|o| o.name.as_str()), Some("z"));
        assert!(a.named("y").is_none() && b.named("y").is_some());
    }

    /// `unshared` against its definition: the objects of each side whose allocation the other
    /// does not hold, in order.
    #[test]
    fn unshared_is_what_each_copy_does_not_hold() {
        fn naive<'a>(a: &'a Objects<Obj>, b: &'a Objects<Obj>) -> Vec<&'a str> {
            a.iter()
                .filter(|x| !b.iter().any(|y| std::sync::Arc::ptr_eq(x, y)))
                .map(|x| x.name.as_str())
                .collect()
        }
        let base: Objects<Obj> = (0..300).map(|i| obj(&format!("t{i}"), &[])).collect();
        type Change<'a> = &'a dyn Fn(&mut Objects<Obj>);
        let changes: [Change; 6] = [
            &|_| {},
            &|o| o.push(obj("new", &[])),
            &|o| drop(o.remove_named("t150")),
            &|o| o.named_mut("t7").unwrap().uses = vec!["x".into()],
            &|o| {
                o.remove_named("t0");
                o.named_mut("t299").unwrap().name = "last".into();
            },
            // Most removed: the list compacts, and every slot moves.
            &|o| o.retain(|t| t.name.ends_with('3')),
        ];
        for change in changes {
            let mut after = base.clone();
            change(&mut after);
            let (gone, new) = base.unshared(&after);
            let gone: Vec<&str> = gone.into_iter().map(|t| t.name.as_str()).collect();
            let new: Vec<&str> = new.into_iter().map(|t| t.name.as_str()).collect();
            assert_eq!(gone, naive(&base, &after));
            assert_eq!(new, naive(&after, &base));
        }
    }

    /// A level's undo restores the list as it was, whether the objects it changed were there
    /// before it (recorded) or pushed within it (not recorded: the undo pops them), through
    /// nested levels and compaction.
    #[test]
    fn rollback_restores_what_each_level_began_with() {
        let start: Objects<Obj> = (0..40).map(|i| obj(&format!("t{i}"), &["base"])).collect();
        type Change<'a> = &'a dyn Fn(&mut Objects<Obj>);
        let changes: [Change; 5] = [
            // Pushed, then changed and removed within the same level.
            &|o| {
                o.push(obj("new", &["base"]));
                o.named_mut("new").unwrap().uses = vec!["other".into()];
                o.push(obj("gone", &[]));
                o.remove_named("gone");
            },
            // An older object changed, renamed, removed.
            &|o| {
                o.named_mut("t3").unwrap().name = "three".into();
                o.update(|t| t.uses.retain(|u| u != "base"));
                o.remove_named("t4");
            },
            // Most removed: the list compacts, then its objects change.
            &|o| {
                o.push(obj("new", &[]));
                o.retain(|t| t.name.ends_with('1') || t.name == "new");
                o.named_mut("t11").unwrap().uses.push("x".into());
                o.named_mut("new").unwrap().name = "renamed".into();
            },
            // An inner level changes what the outer one pushed, and is undone; the outer one
            // then changes it too.
            &|o| {
                o.push(obj("outer", &[]));
                let inner = o.begin();
                o.named_mut("outer").unwrap().uses.push("inner".into());
                o.remove_named("t1");
                o.rollback(inner);
                assert_eq!(o.named("outer").unwrap().uses, Vec::<String>::new());
                assert!(o.named("t1").is_some() && o.index_is_consistent());
                o.named_mut("outer").unwrap().uses.push("kept".into());
            },
            // An inner level that compacts and commits, undone with the outer one.
            &|o| {
                o.push(obj("outer", &[]));
                let inner = o.begin();
                o.retain(|t| t.name.ends_with('2') || t.name == "outer");
                o.commit(inner);
                o.named_mut("outer").unwrap().name = "after".into();
                o.named_mut("t12").unwrap().uses.clear();
            },
        ];
        for change in changes {
            let mut list = start.clone();
            let untouched = start.clone();
            let mark = list.begin();
            change(&mut list);
            assert!(list.index_is_consistent());
            list.rollback(mark);
            assert_eq!(list, untouched);
            assert_eq!(names(&list), names(&untouched));
            assert!(list.index_is_consistent());
            // The copy kept from before shares every object, and saw no change.
            assert!((list.iter().zip(untouched.iter())).all(|(a, b)| std::sync::Arc::ptr_eq(a, b)));
        }
    }

    #[test]
    fn the_index_follows_every_change() {
        let mut a: Objects<Obj> = (0..100).map(|i| obj(&format!("t{i}"), &["base"])).collect();
        let uses = Key::Uses("base".into());
        assert_eq!(a.slots_with(&uses).len(), 100);
        a.named_mut("t5").unwrap().uses = vec!["other".into()];
        a.update_where(|o| o.name == "t6", |o| o.name = "six".into());
        a.update(|o| {
            if o.name == "t7" {
                o.uses.clear()
            }
        });
        a.remove_named("t8");
        assert!(a.index_is_consistent());
        assert_eq!(a.slots_with(&uses).len(), 97);
        assert!(a.named("six").is_some() && a.named("t6").is_none());
        assert!(a.has_key(&Key::Uses("other".into())));
        // Removing most objects compacts the slots; the order and index stay right.
        a.retain(|o| o.name.ends_with('9'));
        assert!(a.index_is_consistent());
        assert_eq!(names(&a)[..3], ["t9", "t19", "t29"]);
        assert_eq!(a.named("t49").map(|o| o.name.as_str()), Some("t49"));
        assert_eq!(a.iter().next_back().map(|o| o.name.as_str()), Some("t99"));
        // Without an index, lookups scan and find the same.
        let plain = a.without_index();
        assert_eq!(plain.named("t49"), a.named("t49"));
        assert_eq!(plain.slots_with(&uses), a.slots_with(&uses));
    }
}
