//! `-- checked-query: allow(rule-name, …) reason` — allowing a rule for one statement: the
//! statement after the comment (or the one the comment ends, when it trails on the same
//! line). An allow before the first statement of a file also covers the file-level rules
//! (numbering, missing DOWN, modified). A reason is required (`allow-without-reason`, error),
//! and an allow that suppresses nothing is reported (`unused-allow`, warning) so stale ones go.
//! A rule is a diagnostic's rule (`table-naming`) or a CockroachDB rule (`serial`); a name
//! that is neither is an error (`unknown-rule`).

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::migrations::Migration;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::statements::split_statements;

struct Allow {
    file: Arc<SourceFile>,
    rules: Vec<String>,
    comment: Range<usize>,
    covers: Range<usize>,
    used: bool,
    has_reason: bool,
}

fn parse_comment(line: &str) -> Option<(Vec<String>, bool)> {
    parse_allow(line.trim().strip_prefix("--")?)
}

/// `checked-query: allow(rule, …) reason`, the body of an allow comment in SQL (`--`) or
/// Rust (`//`): the rules named, and whether a reason follows.
pub(crate) fn parse_allow(body: &str) -> Option<(Vec<String>, bool)> {
    let rest = body.trim().strip_prefix("checked-query:")?.trim();
    let rest = rest.strip_prefix("allow(")?;
    let (rules, reason) = rest.split_once(')')?;
    let rules = rules
        .split(',')
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    Some((rules, !reason.trim().is_empty()))
}

fn allows(m: &Migration) -> Vec<Allow> {
    let mut out = Vec::new();
    // Only a file with an allow comment is split (tokenizing every file for its statements
    // was half of the lints' time on a history of 200 migrations).
    for file in m.files.iter().filter(|f| f.text.contains("checked-query:")) {
        let statements: Vec<Range<usize>> = split_statements(file, 0..file.text.len())
            .map(|s| s.into_iter().map(|f| f.range).collect())
            .unwrap_or_default();
        let mut pos = 0;
        for line in file.text.split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            let Some(comment_at) = line.find("--") else {
                continue;
            };
            let Some((rules, has_reason)) = parse_comment(&line[comment_at..]) else {
                continue;
            };
            let comment = start + comment_at..start + line.trim_end().len();
            let trailing = !line[..comment_at].trim().is_empty();
            let target = if trailing {
                statements.iter().rev().find(|s| s.start <= comment.start)
            } else {
                statements.iter().find(|s| s.start >= comment.end)
            };
            let mut covers = target.cloned().unwrap_or(comment.clone());
            if statements.first().is_none_or(|s| comment.end <= s.start) {
                covers.start = 0; // before the first statement: the file-level rules too
            }
            out.push(Allow {
                file: file.clone(),
                rules,
                comment,
                covers,
                used: false,
                has_reason,
            });
        }
    }
    out
}

pub fn apply(diagnostics: Vec<Diagnostic>, migrations: &[Migration]) -> Vec<Diagnostic> {
    let mut all: Vec<Allow> = migrations.iter().flat_map(allows).collect();
    let mut out = Vec::new();
    for d in diagnostics {
        let hit = all.iter_mut().find(|a| {
            a.has_reason
                && a.file.display_path() == d.file
                && a.rules
                    .iter()
                    .filter_map(|r| Rule::parse(r))
                    .any(|r| r.covers(&d))
                && (a.covers.contains(&d.start) || (a.covers.start == 0 && d.start == 0))
        });
        match hit {
            Some(a) => a.used = true,
            None => out.push(d),
        }
    }
    for a in all {
        if let Some(unknown) = a.rules.iter().find(|r| Rule::parse(r).is_none()) {
            out.push(
                Diagnostic::new(Code::UnknownRule, format!("allow({unknown}) names no rule"))
                    .at(&a.file, a.comment.clone())
                    .with_help(Rule::unknown_help(unknown)),
            );
        } else if !a.has_reason {
            out.push(
                Diagnostic::new(Code::AllowWithoutReason, format!("allow({}) without a reason", a.rules.join(", ")))
                    .at(&a.file, a.comment.clone())
                    .with_help("say why after the parenthesis: `-- checked-query: allow(rule) the seed's schema uses TEXT ids`"),
            );
        } else if !a.used {
            out.push(
                Diagnostic::new(
                    Code::UnusedAllow,
                    format!("allow({}) suppresses nothing", a.rules.join(", ")),
                )
                .at(&a.file, a.comment.clone())
                .with_help("remove it: the statement it precedes no longer breaks that rule"),
            );
        }
    }
    out
}
