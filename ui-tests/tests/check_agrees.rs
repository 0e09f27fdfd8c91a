//! Every ui case through `checked-query check`'s path (`checked_query_checker::check`),
//! without rustc: each case must get the checked-query diagnostics its pinned `.stderr`
//! shows the macro reporting — the same codes — at the same place, and inside the string
//! literal where the macro's snippet points (`--> <sql>:line:column`), which the macro itself
//! cannot show rustc. Pass cases must get no error. rustc's own errors (argument types, a
//! target struct's fields) are not `check`'s to report.

#[path = "support/groups.rs"]
mod groups;

use std::path::Path;

use checked_query_checker::check::{check_source, crates, Service};
use checked_query_checker::rust::{literal, scan};
use checked_query_checker::source::SourceFile;
use checked_query_checker::verdict::{self, call};
use groups::{rs_files, GROUPS};

/// `(code, line, column)` in the case file, sorted.
type Found = Vec<(String, usize, usize)>;

#[test]
fn check_reports_what_the_macro_reports() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = ui.parent().unwrap();
    let features = crates::features(ui);
    // A crate directory with no configuration and no migrations, as trybuild's is.
    let bare = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-bare-crate");
    std::fs::create_dir_all(&bare).unwrap();
    let mut differ = Vec::new();
    let mut cases = 0;
    for group in GROUPS {
        let service = match group.migrations {
            Some(dir) => verdict::locate(ui, Some(root.join(dir))),
            None => verdict::locate(&bare, None),
        }
        .map(Service::new);
        let dirs = std::iter::once((group.fail, true)).chain(group.pass.map(|p| (p, false)));
        for (dir, fail) in dirs {
            for case in rs_files(&ui.join("tests/ui").join(dir)) {
                cases += 1;
                let text = std::fs::read_to_string(&case).unwrap();
                let file = SourceFile::new(Some(case.clone()), text.clone());
                let report = check_source(file.clone(), service.as_ref(), features);
                let mut got: Found = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| (d.code.as_str().to_string(), d.line, d.column))
                    .collect();
                got.sort();
                let mut want = if fail {
                    let stderr = std::fs::read_to_string(case.with_extension("stderr")).unwrap();
                    expected(&stderr, &file)
                } else {
                    Vec::new()
                };
                want.sort();
                if got != want {
                    differ.push(format!(
                        "{}:\n  macro: {want:?}\n  check: {got:?}",
                        case.display()
                    ));
                }
            }
        }
    }
    assert!(cases > 40, "the ui cases were not found");
    assert!(
        differ.is_empty(),
        "`check` and the macro disagree:\n{}",
        differ.join("\n")
    );
}

/// The macro's checked-query errors in a pinned `.stderr`: each `error: … [CQxxxx]` with
/// the place rustc shows (` --> case.rs:line:column`), moved inside the literal to the
/// `--> <sql>:line:column` its snippet names.
fn expected(stderr: &str, file: &SourceFile) -> Found {
    let mut out = Vec::new();
    let mut code: Option<String> = None;
    let mut sql_at: Option<(usize, usize)> = None;
    for line in stderr.lines() {
        if line.starts_with("error") || line.starts_with("warning") {
            code = line
                .starts_with("error: ")
                .then(|| line.rfind("[CQ").map(|i| line[i + 1..i + 7].to_string()))
                .flatten();
            sql_at = None;
        } else if let Some(pos) = line.trim_start().strip_prefix("--> <sql>:") {
            sql_at = line_col(pos);
        } else if let Some(pos) = line.trim_start().strip_prefix("--> ") {
            // Indented by the width of the largest line number rustc shows.
            let Some(code) = code.take() else { continue };
            let (line, column) = line_col(pos.rsplit_once(".rs:").unwrap().1).unwrap();
            let at = match sql_at {
                Some(inner) => inside_literal(file, (line, column), inner),
                None => (line, column),
            };
            out.push((code, at.0, at.1));
        }
    }
    out
}

fn line_col(s: &str) -> Option<(usize, usize)> {
    let (l, c) = s.split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

/// The file position of `inner` (line and column in the SQL) in the literal at `lit`.
fn inside_literal(file: &SourceFile, lit: (usize, usize), inner: (usize, usize)) -> (usize, usize) {
    let start = offset(&file.text, lit);
    let scanned = scan::scan(&file.text).unwrap();
    let literal = scanned
        .calls
        .iter()
        .filter_map(|c| call::Parser(c.form).parse(c.tokens.clone()).ok())
        .map(|c| c.sql.span().byte_range())
        .find(|r| r.start == start)
        .unwrap_or_else(|| panic!("no literal at {lit:?}"));
    let (value, offsets) = literal::value_offsets(&file.text[literal.clone()]).unwrap();
    let at = literal.start + offsets[offset(&value, inner)];
    file.line_col(at)
}

/// The byte offset of a 1-based line and column (in characters).
fn offset(text: &str, (line, column): (usize, usize)) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    line_start
        + text[line_start..]
            .chars()
            .take(column - 1)
            .map(char::len_utf8)
            .sum::<usize>()
}
