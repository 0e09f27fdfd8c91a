//! Migration lints from the seeds, one rule per file. [`lint_service`] runs them all over a
//! built service: the catalog's own errors (broken SQL, cross-service references,
//! CockroachDB), file-level rules, statement rules with the catalog as it was before the
//! migration, and DOWN-reverts-UP. Allow comments (`-- checked-query: allow(rule) reason`)
//! and the configuration's `allow`/`severity` apply last, in one place.

pub(crate) mod allow;
pub mod baseline;
mod column_naming;
mod down_revert;
mod enum_same_migration;
mod fk_index;
mod index_naming;
pub mod lockfile;
mod missing_down;
mod numbering;
mod required_columns;
mod risky_changes;
mod table_naming;
mod uuid_pk;

use std::sync::Arc;

use sqlparser::ast::Statement;

use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic};
use crate::interpreter::ServiceCatalog;
use crate::migrations::Migration;
use crate::policies::Settings;
use crate::source::Fragment;
use crate::statements::{parse_statement, split_statements};

/// One UP statement of a migration, with the catalog before that migration.
pub(crate) struct StatementCtx<'a> {
    pub frag: &'a Fragment,
    pub stmt: &'a Statement,
    /// The schema before this migration (what "an existing table" means).
    pub before: &'a Catalog,
    /// The schema after every migration.
    pub last: &'a Catalog,
}

impl<'a> StatementCtx<'a> {
    /// The table this statement creates, with its name: none for other statements and for
    /// a partition, which takes its parent's shape.
    pub fn created_table(&self) -> Option<(&'a sqlparser::ast::CreateTable, String)> {
        let Statement::CreateTable(ct) = self.stmt else {
            return None;
        };
        if ct.partition_of.is_some() {
            return None;
        }
        crate::catalog::object_key(&ct.name).map(|name| (ct, name))
    }

    pub fn at(
        &self,
        code: Code,
        message: impl Into<String>,
        span: sqlparser::tokenizer::Span,
    ) -> Diagnostic {
        Diagnostic::new(code, message).at_span(self.frag, span)
    }
}

/// The parsed UP statements of a migration (those that parse; the catalog reports the rest).
/// The build keeps each tree on its file ([`crate::source::SourceFile::take_parse`]); a
/// statement it did not keep is parsed again.
pub(crate) fn up_statements(m: &Migration) -> Vec<(Fragment, Arc<Statement>)> {
    let Some(up) = &m.up else { return Vec::new() };
    split_statements(&up.file, up.range.clone())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| {
            let kept = f.file.take_parse(&f.range);
            let stmt = kept.or_else(|| parse_statement(&f).ok().map(Arc::new))?;
            Some((f, stmt))
        })
        .collect()
}

/// From how many migrations a service's lints are split between two threads (below, a
/// thread costs more than it saves).
const PARALLEL_FROM: usize = 32;

/// Every lint of one service.
pub fn lint_service(service: &ServiceCatalog, settings: &Settings) -> Vec<Diagnostic> {
    let mut out = service.diagnostics.clone();
    let migrations = &service.migrations.migrations;
    out.extend(numbering::check(migrations));
    out.extend(missing_down::check(migrations));
    out.extend(lockfile::check(&service.migrations));
    let empty = Catalog::new(&service.service);
    let lint_range = |range: std::ops::Range<usize>| {
        let mut out = Vec::new();
        for (i, m) in migrations
            .iter()
            .enumerate()
            .take(range.end)
            .skip(range.start)
        {
            let before = if i == 0 {
                &empty
            } else {
                &service.outcomes[i - 1].after_up
            };
            // Walked on a stack sized by the migration's longest statement (see `crate::stack`).
            let len =
                m.up.as_ref()
                    .and_then(|up| split_statements(&up.file, up.range.clone()).ok())
                    .and_then(|s| s.iter().map(|f| f.range.len()).max())
                    .unwrap_or(0);
            crate::stack::for_statement(len, || lint_migration(&mut out, service, m, i, before));
        }
        out
    };
    // Each migration is linted on its own (against the catalogs the build kept), so a long
    // history's second half is linted on a second thread: the lints are a fifth of a cold
    // expansion, which the compiler waits for. The findings keep migration order.
    out.extend(crate::parallel::in_halves(
        migrations.len(),
        PARALLEL_FROM,
        "checked-query-lint",
        lint_range,
    ));
    let out = allow::apply(out, migrations);
    let mut out = baseline::apply(out, &service.migrations);
    out.retain(|d| !settings.suppresses(d));
    for d in &mut out {
        if let Some(sev) = settings.severity_of(d) {
            d.severity = sev;
        }
    }
    out.sort_by(|a, b| (a.file.as_deref(), a.start).cmp(&(b.file.as_deref(), b.start)));
    out.dedup_by(|a, b| {
        a.code == b.code && a.start == b.start && a.file == b.file && a.message == b.message
    });
    out
}

/// The lints of migration `i`, with `before` the catalog before it.
fn lint_migration(
    out: &mut Vec<Diagnostic>,
    service: &ServiceCatalog,
    m: &Migration,
    i: usize,
    before: &Catalog,
) {
    let statements = up_statements(m);
    for (frag, stmt) in &statements {
        let cx = StatementCtx {
            frag,
            stmt,
            before,
            last: &service.catalog,
        };
        out.extend(table_naming::check(&cx));
        out.extend(column_naming::check(&cx));
        out.extend(index_naming::check(&cx));
        out.extend(required_columns::check(&cx));
        out.extend(uuid_pk::check(&cx));
        out.extend(fk_index::check(&cx));
        out.extend(risky_changes::check(&cx));
    }
    out.extend(enum_same_migration::check(&statements));
    if let (Some(outcome), Some(down)) = (service.outcomes.get(i), &m.down) {
        out.extend(down_revert::check(
            m,
            before,
            outcome.after_down.as_ref(),
            down,
        ));
    }
}

/// snake_case: lower-case letters, digits and single underscores, starting with a letter.
pub(crate) fn is_snake_case(name: &str) -> bool {
    let mut prev_underscore = false;
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| {
            let ok = c.is_ascii_lowercase() || c.is_ascii_digit() || (c == '_' && !prev_underscore);
            prev_underscore = c == '_';
            ok
        })
        && !name.ends_with('_')
}

const IRREGULAR: &[(&str, &str)] = &[
    ("people", "person"),
    ("children", "child"),
    ("men", "man"),
    ("women", "woman"),
    ("data", "datum"),
    ("media", "medium"),
    ("criteria", "criterion"),
    ("indices", "index"),
    ("series", "series"),
    ("news", "news"),
    ("staff", "staff"),
];

/// Whether the last word of a table name is plural: `users`, `auth_codes`, `people`.
pub(crate) fn is_plural(name: &str) -> bool {
    let last = name.rsplit('_').next().unwrap_or(name);
    IRREGULAR.iter().any(|(p, _)| *p == last)
        || (last.ends_with('s')
            && !last.ends_with("ss")
            && !last.ends_with("us")
            && !last.ends_with("is"))
}

/// The singular of a plural table name, for `{table_singular}_id`.
pub(crate) fn singular(name: &str) -> String {
    let (head, last) = match name.rsplit_once('_') {
        Some((h, l)) => (format!("{h}_"), l),
        None => (String::new(), name),
    };
    let one = if let Some((_, s)) = IRREGULAR.iter().find(|(p, _)| *p == last) {
        s.to_string()
    } else if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if last.ends_with("sses")
        || last.ends_with("xes")
        || last.ends_with("ches")
        || last.ends_with("shes")
    {
        last[..last.len() - 2].to_string()
    } else if let Some(stem) = last.strip_suffix('s') {
        stem.to_string()
    } else {
        last.to_string()
    };
    format!("{head}{one}")
}

#[cfg(test)]
mod tests;
