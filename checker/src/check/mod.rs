//! `checked-query check`: every checked macro call of a workspace, checked without rustc
//! exactly as the macro checks it (the one [`crate::verdict`] path), with each diagnostic
//! pointing inside the Rust string literal; SQL that runs unchecked through sqlx; and each
//! service's migrations linted once, as the macro's gate does.
//!
//! What stays with rustc: the types of the arguments and of `checked_query_as!`'s target.

pub mod crates;

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::rust::{literal, scan};
use crate::source::SourceFile;
use crate::verdict::{self, call, At, Features, Located};

/// A crate's service, located and built once for all its files.
pub struct Service {
    pub located: Located,
    pub built: Arc<verdict::Built>,
}

impl Service {
    pub fn new(located: Located) -> Service {
        let built = verdict::built(&located);
        Service { located, built }
    }
}

/// What `check` found.
#[derive(Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub crates: usize,
    pub files: usize,
    pub calls: usize,
}

/// Checks the crates under `paths`. `migrations` overrides every crate's service (as
/// `CHECKED_QUERY_MIGRATIONS` does for the macro). Crates are checked on as many threads
/// as the machine has cores; the report is in crate order whatever the threads did.
pub fn check_paths(paths: &[PathBuf], migrations: Option<&Path>) -> Report {
    let mut crate_dirs: Vec<PathBuf> = paths.iter().flat_map(|p| crates::crates_under(p)).collect();
    crate_dirs.sort();
    crate_dirs.dedup();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(crate_dirs.len().max(1));
    let mut done: Vec<(usize, CrateReport)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(dir) = crate_dirs.get(i) else {
                            return out;
                        };
                        out.push((i, check_crate(dir, migrations)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    let mut report = Report::default();
    let mut linted: BTreeSet<(PathBuf, String)> = BTreeSet::new();
    for (_, c) in done {
        report.crates += 1;
        report.files += c.files;
        report.calls += c.calls;
        report.diagnostics.extend(c.diagnostics);
        // The service's lints, once per service, for the crates that query it.
        if let Some(s) = c.queried {
            if linted.insert((s.located.dir.clone(), s.located.service.clone())) {
                report
                    .diagnostics
                    .extend(s.built.lints(&s.located.service).iter().cloned());
            }
        }
    }
    report
}

struct CrateReport {
    diagnostics: Vec<Diagnostic>,
    files: usize,
    calls: usize,
    /// The crate's service, when its calls query one.
    queried: Option<Service>,
}

/// One crate: its module tree from its targets' roots, file by file.
fn check_crate(dir: &Path, migrations: Option<&Path>) -> CrateReport {
    let service = verdict::locate(dir, migrations.map(Path::to_path_buf)).map(Service::new);
    let features = crates::features(dir);
    let mut report = CrateReport {
        diagnostics: Vec::new(),
        files: 0,
        calls: 0,
        queried: None,
    };
    let mut queue: Vec<(PathBuf, bool)> = crates::target_roots(dir)
        .into_iter()
        .map(|r| (r, true))
        .collect();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    while let Some((file, is_root)) = queue.pop() {
        if !seen.insert(file.clone()) {
            continue;
        }
        report.files += 1;
        let found = check_file(&file, service.as_ref(), features);
        report.calls += found.calls;
        report.diagnostics.extend(found.diagnostics);
        for m in &found.modules {
            if let Some(child) = crates::module_file(&file, is_root, m) {
                queue.push((child, false));
            }
        }
    }
    if report.calls > 0 {
        report.queried = service.ok();
    }
    report
}

/// One file's findings.
pub struct FileReport {
    pub diagnostics: Vec<Diagnostic>,
    pub calls: usize,
    /// The file's `mod name;` declarations.
    pub modules: Vec<scan::ModDecl>,
}

/// Checks one Rust file of a crate whose service is `service` (or could not be located).
pub fn check_file(
    path: &Path,
    service: Result<&Service, &Diagnostic>,
    features: Features,
) -> FileReport {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                return FileReport {
                    diagnostics: vec![Diagnostic::new(Code::Io, "the file is not UTF-8")
                        .in_file(path)
                        .with_help("Rust sources are UTF-8; rustc rejects this file too")],
                    calls: 0,
                    modules: Vec::new(),
                }
            }
        },
        Err(e) => {
            return FileReport {
                diagnostics: vec![
                    Diagnostic::new(Code::Io, format!("cannot read the file: {e}"))
                        .in_file(path)
                        .with_help("check the file's permissions"),
                ],
                calls: 0,
                modules: Vec::new(),
            }
        }
    };
    check_source(
        SourceFile::new(Some(path.to_path_buf()), text),
        service,
        features,
    )
}

/// Checks the Rust source `file`.
pub fn check_source(
    file: Arc<SourceFile>,
    service: Result<&Service, &Diagnostic>,
    features: Features,
) -> FileReport {
    let report = check_parsed(file, service, features);
    // Spans of a parse live in a per-thread map; a long run must not keep every file's.
    proc_macro2::extra::invalidate_current_thread_spans();
    report
}

fn check_parsed(
    file: Arc<SourceFile>,
    service: Result<&Service, &Diagnostic>,
    features: Features,
) -> FileReport {
    let scanned = match scan::scan(&file.text) {
        Ok(s) => s,
        Err(e) => {
            let at = e.span().byte_range();
            return FileReport {
                diagnostics: vec![Diagnostic::new(
                    Code::SyntaxError,
                    format!("cannot read this Rust file: {e}"),
                )
                .at(&file, boundary(&file.text, at))
                .with_help("fix the Rust syntax error (cargo check shows it too)")],
                calls: 0,
                modules: Vec::new(),
            };
        }
    };
    let mut out = Vec::new();
    for c in &scanned.calls {
        out.extend(check_call(&file, c, service, features));
    }
    if let Ok(s) = service {
        out.extend(unchecked(&file, &scanned.unchecked, &s.located));
    }
    FileReport {
        diagnostics: out,
        calls: scanned.calls.len(),
        modules: scanned.modules,
    }
}

/// A byte range on character boundaries of `text`.
fn boundary(text: &str, r: Range<usize>) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(r.start);
    start..floor(r.end).max(start)
}

fn check_call(
    file: &Arc<SourceFile>,
    found: &scan::MacroCall,
    service: Result<&Service, &Diagnostic>,
    features: Features,
) -> Vec<Diagnostic> {
    let call = match call::Parser(found.form).parse(found.tokens.clone()) {
        Ok(c) => c,
        Err(e) => {
            return vec![Diagnostic::new(call::parse_error_code(&e), e.to_string())
                .at(file, boundary(&file.text, e.span().byte_range()))];
        }
    };
    let lit_range = boundary(&file.text, call.sql.span().byte_range());
    let at_literal = |d: Diagnostic| d.at(file, lit_range.clone());
    let service = match service {
        Ok(s) => s,
        Err(d) => return vec![at_literal(strip(d.clone()))],
    };
    let shapes = call.shapes();
    let sql = call.sql.value();
    let request = verdict::Request {
        sql: &sql,
        form: found.form,
        args: &shapes,
        features,
    };
    let offsets = literal::value_offsets(&file.text[lit_range.clone()])
        .filter(|(value, _)| *value == sql)
        .map(|(_, o)| o);
    // A range of the SQL as written, in bytes of the file.
    let in_file = |r: Range<usize>| -> Range<usize> {
        match &offsets {
            Some(o) => {
                let at = |i: usize| lit_range.start + o[i.min(o.len() - 1)];
                boundary(&file.text, at(r.start)..at(r.end))
            }
            None => lit_range.clone(),
        }
    };
    // A call that checks may still have warnings the macro cannot show.
    let findings = match verdict::check_call(&service.located, &service.built, &request) {
        Ok(v) => v
            .analysis
            .diagnostics
            .into_iter()
            .map(|diagnostic| verdict::Finding {
                at: At::Sql,
                diagnostic,
            })
            .collect(),
        Err(rejected) => rejected.findings,
    };
    findings
        .into_iter()
        .map(|verdict::Finding { at, diagnostic: d }| match at {
            At::Sql if d.source.is_some() => {
                let r = in_file(d.start..d.end);
                strip(d).at(file, r)
            }
            At::Sql => at_literal(strip(d)),
            At::Arg(i) => {
                let span = match &call.args[i] {
                    call::Arg::Positional(e) => e.span(),
                    call::Arg::Named(n, _) => n.span(),
                };
                strip(d).at(file, boundary(&file.text, span.byte_range()))
            }
        })
        .collect()
}

/// The diagnostic without its position (it is about to get one in the Rust file).
fn strip(mut d: Diagnostic) -> Diagnostic {
    d.source = None;
    d.file = None;
    d
}

/// `unchecked-sql` findings not allowed by a `// checked-query: allow(unchecked-sql) reason`
/// comment on the call's line or the comment lines right above it. As for migrations, an
/// allow needs a reason (`allow-without-reason`) and one that allows nothing is reported
/// (`unused-allow`), so stale ones go.
fn unchecked(
    file: &Arc<SourceFile>,
    found: &[scan::Unchecked],
    located: &Located,
) -> Vec<Diagnostic> {
    use crate::rules::Rule;
    if Rule::parse(Code::UncheckedSql.rule()).is_some_and(|r| located.settings.allow.contains(&r)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for u in found {
        let range = boundary(&file.text, u.range.clone());
        match allow_comment(&file.text, range.start) {
            Some((comment, true)) => {
                used.insert(comment.start);
                continue;
            }
            Some((comment, false)) => {
                used.insert(comment.start);
                out.push(
                    Diagnostic::new(Code::AllowWithoutReason, "an allow needs a reason")
                        .at(file, comment)
                        .with_help("say why the SQL cannot be checked: `// checked-query: allow(unchecked-sql) the table name comes from the tenant`"),
                )
            }
            None => {}
        }
        let built = match u.built {
            Some(how) => format!(
                ", and it is built with `{how}`: a value written into SQL text is an injection risk"
            ),
            None => String::new(),
        };
        out.push(
            Diagnostic::new(
                Code::UncheckedSql,
                format!("SQL runs through `{}` without being checked{built}", u.via),
            )
            .at(file, range)
            .with_help("use `checked_query!` (values as `$1`/`:name` parameters); if the SQL cannot be a literal, allow it with a reason: `// checked-query: allow(unchecked-sql) why`"),
        );
    }
    let mut start = 0;
    for line in file.text.split_inclusive('\n') {
        if let Some((comment, _)) = allow_in_line(start, line) {
            if !used.contains(&comment.start) {
                out.push(
                    Diagnostic::new(
                        Code::UnusedAllow,
                        "this allow of `unchecked-sql` allows nothing",
                    )
                    .at(file, comment)
                    .with_help("remove it: no unchecked SQL runs on the line it covers"),
                );
            }
        }
        start += line.len();
    }
    out
}

/// The allow comment of `unchecked-sql` in `line` (which starts at byte `start`): its range
/// and whether it gives a reason.
fn allow_in_line(start: usize, line: &str) -> Option<(Range<usize>, bool)> {
    let c = line.find("//")?;
    let (rules, reason) = crate::lints::allow::parse_allow(&line[c + 2..])?;
    rules
        .iter()
        .any(|r| r == Code::UncheckedSql.rule())
        .then(|| (start + c..start + line.trim_end().len(), reason))
}

/// The `// checked-query: allow(unchecked-sql) …` comment that covers the line of `at`: on
/// that line, or in the comment lines directly above it. Its range, and whether it gives
/// a reason.
fn allow_comment(text: &str, at: usize) -> Option<(Range<usize>, bool)> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if let Some(found) = allow_in_line(line_start, &text[line_start..line_end]) {
        return Some(found);
    }
    let mut end = line_start;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[start..end - 1];
        if !line.trim_start().starts_with("//") {
            return None;
        }
        if let Some(found) = allow_in_line(start, line) {
            return Some(found);
        }
        end = start;
    }
    None
}
