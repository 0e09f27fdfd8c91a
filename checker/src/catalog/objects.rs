//! The catalog's lists of objects, shared between copies of the catalog.
//!
//! The interpreter copies the catalog before every statement (a failed statement leaves it
//! unchanged, as PostgreSQL's statement atomicity does) and keeps the catalog after each
//! migration's UP and DOWN for the lints. With plain vectors each copy cloned every table:
//! quadratic in the number of statements and of migrations (2,000 one-table migrations took
//! 8 GB). Here the list is a persistent vector (`imbl`'s RRB tree) of shared objects: a copy
//! is O(1), and a change copies O(log n) of the tree and only the object it changes, so the
//! copies kept for the lints cost what their migrations changed.
//!
//! Reading yields `&Arc<T>` (field access and comparisons see through the `Arc`); changing
//! goes through the methods below, which copy on write.

use std::sync::Arc;

/// A list of catalog objects with copy-on-write sharing.
#[derive(Debug)]
pub struct Objects<T>(imbl::Vector<Arc<T>>);

impl<T> Clone for Objects<T> {
    fn clone(&self) -> Self {
        Objects(self.0.clone())
    }
}

impl<T> Default for Objects<T> {
    fn default() -> Self {
        Objects(imbl::Vector::new())
    }
}

impl<T: PartialEq> PartialEq for Objects<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.ptr_eq(&other.0)
            || (self.len() == other.len()
                && self
                    .iter()
                    .zip(other.iter())
                    .all(|(a, b)| Arc::ptr_eq(a, b) || a == b))
    }
}

impl<T> std::ops::Index<usize> for Objects<T> {
    type Output = Arc<T>;
    fn index(&self, index: usize) -> &Arc<T> {
        &self.0[index]
    }
}

impl<T> FromIterator<T> for Objects<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Objects(iter.into_iter().map(Arc::new).collect())
    }
}

impl<'a, T> IntoIterator for &'a Objects<T> {
    type Item = &'a Arc<T>;
    type IntoIter = imbl::vector::Iter<'a, Arc<T>, imbl::shared_ptr::DefaultSharedPtr>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T> Objects<T> {
    pub fn iter(&self) -> imbl::vector::Iter<'_, Arc<T>, imbl::shared_ptr::DefaultSharedPtr> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Arc<T>> {
        self.0.get(index)
    }

    pub fn last(&self) -> Option<&Arc<T>> {
        self.0.last()
    }
}

impl<T: Clone> Objects<T> {
    pub fn push(&mut self, value: T) {
        self.0.push_back(Arc::new(value));
    }

    pub fn insert(&mut self, index: usize, value: T) {
        self.0.insert(index, Arc::new(value));
    }

    /// Removes and returns the object at `index`.
    pub fn remove(&mut self, index: usize) -> T {
        Arc::unwrap_or_clone(self.0.remove(index))
    }

    /// Keeps the objects `keep` accepts. Each removal is O(log n) and keeps the rest of the
    /// tree shared with other copies.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let gone: Vec<usize> = (self.0.iter().enumerate())
            .filter(|(_, t)| !keep(t))
            .map(|(i, _)| i)
            .collect();
        for i in gone.into_iter().rev() {
            self.0.remove(i);
        }
    }

    pub fn extend(&mut self, values: impl IntoIterator<Item = T>) {
        for v in values {
            self.push(v);
        }
    }

    /// The object at `index`, copied first if another catalog shares it.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.0.get_mut(index).map(Arc::make_mut)
    }

    /// The first object `pred` accepts, copied first if shared. Only that object is copied.
    pub fn find_mut(&mut self, mut pred: impl FnMut(&T) -> bool) -> Option<&mut T> {
        let index = self.0.iter().position(|t| pred(t))?;
        self.get_mut(index)
    }

    /// Applies `f` to the objects `pred` accepts, copying only those.
    pub fn update_where(&mut self, mut pred: impl FnMut(&T) -> bool, mut f: impl FnMut(&mut T)) {
        let chosen: Vec<usize> = (self.0.iter().enumerate())
            .filter(|(_, t)| pred(t))
            .map(|(i, _)| i)
            .collect();
        for i in chosen {
            f(self.get_mut(i).expect("in range"));
        }
    }

    /// The last object, copied first if shared.
    pub fn last_mut(&mut self) -> Option<&mut T> {
        let last = self.0.len().checked_sub(1)?;
        self.get_mut(last)
    }

    /// Applies `f` to every object, keeping a new copy only of those it changed: for a
    /// change that may touch any of them (a rename followed into every reference), without
    /// unsharing the rest.
    pub fn update(&mut self, mut f: impl FnMut(&mut T))
    where
        T: PartialEq,
    {
        let mut changed = Vec::new();
        for (i, t) in self.0.iter().enumerate() {
            let mut copy = T::clone(t);
            f(&mut copy);
            if copy != **t {
                changed.push((i, copy));
            }
        }
        if changed.is_empty() {
            return;
        }
        for (i, copy) in changed {
            self.0.set(i, Arc::new(copy));
        }
    }

    pub fn sort_by(&mut self, compare: impl Fn(&T, &T) -> std::cmp::Ordering) {
        self.0.sort_by(|a, b| compare(a, b));
    }
}

#[cfg(test)]
mod tests {
    use super::Objects;

    #[test]
    fn a_copy_shares_until_one_side_changes() {
        let mut a: Objects<String> = ["x", "y"].iter().map(|s| s.to_string()).collect();
        let b = a.clone();
        assert!(std::sync::Arc::ptr_eq(&a[0], &b[0]));
        *a.find_mut(|s| s == "y").unwrap() = "z".into();
        assert_eq!(b.iter().map(|s| s.as_str()).collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(a.iter().map(|s| s.as_str()).collect::<Vec<_>>(), ["x", "z"]);
        // The object not changed is still shared.
        assert!(std::sync::Arc::ptr_eq(&a[0], &b[0]));
        a.retain(|s| s != "x");
        assert_eq!(a.len(), 1);
        assert_eq!(b.len(), 2);
    }
}
