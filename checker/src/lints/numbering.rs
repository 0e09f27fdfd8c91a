//! `migration-numbering` [error]
//!
//! **What**: prefixes strictly increasing with no duplicates; plain sequence numbers
//! (`001_`, `2_`) without gaps; date-based prefixes (`YYYYMMDD_NNN_`, timestamps) ordered but
//! free to skip.
//! **Why**: the seed numbers migrations sequentially; a duplicate or a gap means a migration
//! was lost, renamed or merged twice.
//! **Instead**: rename the new file to the next number.

use crate::diagnostic::{Code, Diagnostic};
use crate::migrations::Migration;

fn date_based(v: &[u64]) -> bool {
    v.len() > 1 || v[0] >= 1_000_000
}

pub fn check(migrations: &[Migration]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for pair in migrations.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let at = |m: &Migration, message: String, help: String| {
            Diagnostic::new(Code::MigrationNumbering, message)
                .at(&m.files[0], 0..0)
                .with_help(help)
        };
        if a.version == b.version {
            out.push(at(
                b,
                format!("migration `{}` has the same number as `{}`", b.name, a.name),
                "give each migration its own number; renumber the newer one".into(),
            ));
        } else if !date_based(&a.version)
            && !date_based(&b.version)
            && b.version[0] != a.version[0] + 1
        {
            out.push(at(
                b,
                format!(
                    "migration numbers skip from {} (`{}`) to {} (`{}`)",
                    a.version[0], a.name, b.version[0], b.name
                ),
                format!(
                    "number migrations without gaps: this one should be {}",
                    a.version[0] + 1
                ),
            ));
        }
    }
    if let Some(first) = migrations.first() {
        if !date_based(&first.version) && first.version[0] > 1 {
            out.push(
                Diagnostic::new(
                    Code::MigrationNumbering,
                    format!(
                        "the first migration `{}` is number {}, not 1",
                        first.name, first.version[0]
                    ),
                )
                .at(&first.files[0], 0..0)
                .with_help("start numbering at 001"),
            );
        }
    }
    out
}
