//! `missing-down` [error]
//!
//! **What**: a migration without a DOWN part (no `-- +migrate Down` section, no `.down.sql`).
//! **Why**: the seed requires UP and DOWN, and rollbacks tested before committing.
//! **Instead**: add the DOWN section that reverts the UP.

use crate::diagnostic::{Code, Diagnostic};
use crate::migrations::Migration;

pub fn check(migrations: &[Migration]) -> Vec<Diagnostic> {
    migrations
        .iter()
        .filter(|m| m.down.is_none() && m.up.is_some())
        .map(|m| {
            Diagnostic::new(Code::MissingDown, format!("migration `{}` has no DOWN part", m.name))
                .at(&m.files[0], 0..0)
                .with_help("add `-- +migrate Down` with the statements that revert the UP part (or a `.down.sql` file)")
        })
        .collect()
}
