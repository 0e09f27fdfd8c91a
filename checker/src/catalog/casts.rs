//! User casts (`CREATE CAST`): what `pg_cast` holds beyond PostgreSQL's own rows. Analysis
//! consults them wherever PostgreSQL's coercion does (`crate::analysis::cast::castable`).

use super::{Catalog, SqlType};

/// When PostgreSQL applies a cast without being asked (`pg_cast.castcontext`). Ordered: a
/// cast usable in a context is usable in every later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CastContext {
    /// `AS IMPLICIT`: in any expression.
    Implicit,
    /// `AS ASSIGNMENT`: storing into a column (INSERT, UPDATE, ALTER COLUMN … TYPE).
    Assignment,
    /// The default: only `CAST(x AS t)` and `x::t`.
    Explicit,
}

impl CastContext {
    /// How `CREATE CAST` spells it (`explicit` is the default, written as nothing).
    pub fn name(self) -> &'static str {
        match self {
            CastContext::Implicit => "implicit",
            CastContext::Assignment => "assignment",
            CastContext::Explicit => "explicit",
        }
    }

    /// `pg_cast.castcontext`'s letter.
    pub fn letter(self) -> char {
        match self {
            CastContext::Implicit => 'i',
            CastContext::Assignment => 'a',
            CastContext::Explicit => 'e',
        }
    }
}

/// How the cast converts (`pg_cast.castmethod`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CastMethod {
    /// `WITH FUNCTION f(args)`: the function's signature, which cannot be dropped while the
    /// cast exists.
    Function(String),
    /// `WITH INOUT`: through the source's text output and the target's input.
    InOut,
}

impl CastMethod {
    /// `pg_cast.castmethod`'s letter.
    pub fn letter(&self) -> char {
        match self {
            CastMethod::Function(_) => 'f',
            CastMethod::InOut => 'i',
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cast {
    /// Without type modifiers: `pg_cast` is keyed by type alone.
    pub source: SqlType,
    pub target: SqlType,
    pub context: CastContext,
    pub method: CastMethod,
}

impl Cast {
    /// `cast from type s to type t`, as PostgreSQL names it in messages.
    pub fn describe(&self) -> String {
        format!("cast from type {} to type {}", self.source, self.target)
    }
}

impl Catalog {
    /// The user cast from `source` to `target` (modifiers ignored), if the migrations
    /// created one.
    pub fn user_cast(&self, source: &SqlType, target: &SqlType) -> Option<&Cast> {
        let (source, target) = (source.without_modifiers(), target.without_modifiers());
        self.casts
            .iter()
            .find(|c| c.source == source && c.target == target)
    }

    /// The user casts that mention type `name` (as source or target, or their element type).
    pub fn casts_of_type(&self, name: &str) -> Vec<&Cast> {
        self.casts
            .iter()
            .filter(|c| c.source.base_name() == name || c.target.base_name() == name)
            .collect()
    }
}
