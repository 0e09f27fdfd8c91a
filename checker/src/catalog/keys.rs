//! What each kind of catalog object is found by ([`Keyed`]): its name, and the names it
//! depends on, so that a DROP or RENAME finds its dependents through the index instead of
//! scanning every object (see `objects`).

use super::objects::{Key, Keyed};
use super::types::{BaseType, SqlType};
use super::{
    CompositeType, ConstraintKind, Domain, EnumType, Index, Policy, Routine, Sequence, Table,
    Trigger, View,
};

/// The user-defined type a value of type `ty` has as its own (an array's element type
/// too): what a column or attribute of that type depends on.
fn type_use(ty: &SqlType) -> Option<Key> {
    match &ty.base {
        BaseType::Enum(n) | BaseType::Composite(n) | BaseType::Domain { name: n, .. } => {
            Some(Key::Uses(n.clone()))
        }
        BaseType::Builtin { .. } => None,
    }
}

impl Keyed for Table {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn keys(&self, out: &mut Vec<Key>) {
        for c in &self.constraints {
            out.push(Key::Constraint(c.name.clone()));
            if let ConstraintKind::ForeignKey { ref_table, .. } = &c.kind {
                out.push(Key::Uses(ref_table.clone()));
            }
        }
        out.extend(self.partition_of.iter().cloned().map(Key::Uses));
        out.extend(self.columns.iter().filter_map(|c| type_use(&c.ty)));
    }
}

impl Keyed for View {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn keys(&self, out: &mut Vec<Key>) {
        out.extend(self.relations.iter().cloned().map(Key::Uses));
    }
}

impl Keyed for Index {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn keys(&self, out: &mut Vec<Key>) {
        out.push(Key::Uses(self.table.clone()));
    }
}

impl Keyed for Sequence {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn keys(&self, out: &mut Vec<Key>) {
        out.extend(self.owned_by.iter().map(|(t, _)| Key::Uses(t.clone())));
    }
}

impl Keyed for EnumType {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

impl Keyed for CompositeType {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn keys(&self, out: &mut Vec<Key>) {
        out.extend(self.attributes.iter().filter_map(|a| type_use(&a.ty)));
    }
}

impl Keyed for Domain {
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }

    fn keys(&self, out: &mut Vec<Key>) {
        out.extend(type_use(&self.base));
        out.extend(self.checks.iter().map(|(c, _)| Key::Constraint(c.clone())));
    }
}

impl Keyed for Routine {
    fn keys(&self, out: &mut Vec<Key>) {
        out.extend(self.uses.iter().cloned().map(Key::Uses));
    }
}

impl Keyed for Trigger {
    fn keys(&self, out: &mut Vec<Key>) {
        out.push(Key::Uses(self.table.clone()));
        out.push(Key::Uses(self.function.clone()));
    }
}

impl Keyed for Policy {
    fn keys(&self, out: &mut Vec<Key>) {
        out.push(Key::Uses(self.table.clone()));
    }
}
