//! Which crates and files `check` reads: the crates under the given paths (or the workspace
//! around the current directory), each crate's `.rs` files (not `target/`, not a nested
//! crate's), and the `checked-query` features each enables.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::verdict::Features;

/// The directory of the workspace around `start`: the nearest ancestor whose `Cargo.toml`
/// has `[workspace]` listing the crate `start` is in as a member, else that crate, else
/// `start`.
pub fn workspace_root(start: &Path) -> PathBuf {
    let abs = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    let nearest = abs.ancestors().find(|d| d.join("Cargo.toml").is_file());
    let Some(nearest) = nearest else {
        return abs;
    };
    for dir in nearest.ancestors() {
        if let Some(members) = workspace_members(dir) {
            if dir == nearest || members.iter().any(|m| m == nearest) {
                return dir.to_path_buf();
            }
        }
    }
    nearest.to_path_buf()
}

fn manifest(text: &str) -> Option<toml::Table> {
    toml::from_str(text).ok()
}

/// The crates `path` stands for: a workspace's members (and its root package); else the
/// crates (directories with a `Cargo.toml` that has `[package]`) at or below it; for a
/// path inside a crate, that crate.
pub fn crates_under(path: &Path) -> Vec<PathBuf> {
    if let Some(members) = workspace_members(path) {
        return members;
    }
    let mut out = Vec::new();
    walk_dirs(path, &mut |dir| {
        if is_crate(dir) {
            out.push(dir.to_path_buf());
        }
    });
    if out.is_empty() {
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(dir) = abs.ancestors().find(|d| is_crate(d)) {
            out.push(dir.to_path_buf());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The member crates of the workspace whose root is `dir` (`members` with `*` globs, less
/// `exclude`), or `None` when `dir` is no workspace root.
fn workspace_members(dir: &Path) -> Option<Vec<PathBuf>> {
    let m = manifest(&std::fs::read_to_string(dir.join("Cargo.toml")).ok()?)?;
    let ws = m.get("workspace")?;
    let exclude: Vec<PathBuf> = strings(ws.get("exclude"))
        .iter()
        .map(|e| dir.join(e))
        .collect();
    let mut out: Vec<PathBuf> = Vec::new();
    if m.get("package").is_some() {
        out.push(dir.to_path_buf());
    }
    for member in strings(ws.get("members")) {
        out.extend(expand_glob(dir, &member));
    }
    out.retain(|c| is_crate(c) && !exclude.contains(c));
    out.sort();
    out.dedup();
    Some(out)
}

/// A member pattern: path components, `*` matching within one component.
fn expand_glob(base: &Path, pattern: &str) -> Vec<PathBuf> {
    let mut dirs = vec![base.to_path_buf()];
    for part in pattern.split('/').filter(|p| !p.is_empty() && *p != ".") {
        let mut next = Vec::new();
        for d in &dirs {
            if !part.contains('*') {
                next.push(d.join(part));
                continue;
            }
            let (head, tail) = part.split_once('*').unwrap_or((part, ""));
            if let Ok(entries) = std::fs::read_dir(d) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if name.starts_with(head) && name.ends_with(tail) && e.path().is_dir() {
                        next.push(e.path());
                    }
                }
            }
        }
        dirs = next;
    }
    dirs
}

fn is_crate(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .ok()
        .and_then(|t| manifest(&t))
        .is_some_and(|m| m.get("package").is_some())
}

/// Directories not to enter: build output, VCS and hidden directories.
fn skipped(name: &str) -> bool {
    name == "target" || name.starts_with('.')
}

fn walk_dirs(dir: &Path, f: &mut dyn FnMut(&Path)) {
    // Crates are found by walking directories; a crate's files by its module tree.
    if !dir.is_dir() {
        return;
    }
    f(dir);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut subdirs: Vec<PathBuf> = entries
        .flatten()
        // Symlinked directories are not followed: a link to `..` would never end.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !skipped(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    subdirs.sort();
    for d in subdirs {
        walk_dirs(&d, f);
    }
}

/// The files cargo compiles as roots of the crate's targets: `src/lib.rs`, `src/main.rs`,
/// `src/bin/`, `tests/`, `examples/`, `benches/` (a file, or a directory with `main.rs`),
/// `build.rs`, and the paths the manifest names. Files the module tree reaches from them
/// ([`module_file`]) are the rest of the crate; a `.rs` file nothing reaches (a trybuild
/// case, a fixture) is not compiled, so it is not checked.
pub fn target_roots(crate_dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ["src/lib.rs", "src/main.rs", "build.rs"]
        .iter()
        .map(|p| crate_dir.join(p))
        .filter(|p| p.is_file())
        .collect();
    for dir in ["src/bin", "tests", "examples", "benches"] {
        let Ok(entries) = std::fs::read_dir(crate_dir.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "rs") && p.is_file() {
                out.push(p);
            } else if p.join("main.rs").is_file() {
                out.push(p.join("main.rs"));
            }
        }
    }
    if let Some(m) = std::fs::read_to_string(crate_dir.join("Cargo.toml"))
        .ok()
        .and_then(|t| manifest(&t))
    {
        let mut named = |v: Option<&toml::Value>| {
            if let Some(p) = v.and_then(|v| v.get("path")).and_then(toml::Value::as_str) {
                out.push(crate_dir.join(p));
            }
        };
        named(m.get("lib"));
        for section in ["bin", "test", "example", "bench"] {
            if let Some(items) = m.get(section).and_then(toml::Value::as_array) {
                items.iter().for_each(|t| named(Some(t)));
            }
        }
        if let Some(b) = m
            .get("package")
            .and_then(|p| p.get("build"))
            .and_then(toml::Value::as_str)
        {
            out.push(crate_dir.join(b));
        }
    }
    out.retain(|p| p.is_file());
    out.sort();
    out.dedup();
    out
}

/// The file of `mod name;` declared in `parent`, as rustc finds it: beside a `mod.rs`-like
/// file (`lib.rs`, `main.rs`, `mod.rs`, a target root), else in the directory named after
/// `parent`; inline modules add directories; `#[path]` is relative to the declaring file's
/// directory (or its inline modules' directory).
pub fn module_file(
    parent: &Path,
    is_root: bool,
    decl: &crate::rust::scan::ModDecl,
) -> Option<PathBuf> {
    let dir = parent.parent()?;
    let stem = parent.file_stem()?.to_string_lossy();
    let mod_rs = is_root || stem == "mod";
    let mut base = if mod_rs {
        dir.to_path_buf()
    } else {
        dir.join(stem.as_ref())
    };
    if let Some(p) = &decl.path {
        let mut from = if decl.within.is_empty() {
            dir.to_path_buf()
        } else {
            base.clone()
        };
        decl.within.iter().for_each(|w| from.push(w));
        let file = from.join(p);
        return file.is_file().then_some(file);
    }
    decl.within.iter().for_each(|w| base.push(w));
    [
        base.join(format!("{}.rs", decl.name)),
        base.join(&decl.name).join("mod.rs"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// The features the crate enables on its `checked-query` dependency (its defaults unless
/// `default-features = false`), from its manifest and, for `workspace = true`, the
/// workspace's. Cargo may unify more features from other crates; the macro sees those,
/// so a type that needs one another crate enables is reported here and not there.
pub fn features(crate_dir: &Path) -> Features {
    let Some(m) = std::fs::read_to_string(crate_dir.join("Cargo.toml"))
        .ok()
        .and_then(|t| manifest(&t))
    else {
        return Features::default();
    };
    let dep = ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .find_map(|section| m.get(*section)?.get("checked-query").cloned());
    let Some(dep) = dep else {
        return Features::default();
    };
    let mut names: Vec<String> = strings(dep.get("features"));
    let mut defaults = dep
        .get("default-features")
        .and_then(toml::Value::as_bool)
        .unwrap_or(true);
    if dep.get("workspace").and_then(toml::Value::as_bool) == Some(true) {
        let root = workspace_root(crate_dir);
        if let Some(ws_dep) = std::fs::read_to_string(root.join("Cargo.toml"))
            .ok()
            .and_then(|t| manifest(&t))
            .and_then(|w| {
                w.get("workspace")?
                    .get("dependencies")?
                    .get("checked-query")
                    .cloned()
            })
        {
            names.extend(strings(ws_dep.get("features")));
            defaults = ws_dep
                .get("default-features")
                .and_then(toml::Value::as_bool)
                .unwrap_or(true);
        }
    }
    if defaults {
        names.extend(["uuid", "chrono", "json"].map(String::from));
    }
    names.extend(enabled_by_default(&m));
    Features::from_names(names.iter().map(String::as_str))
}

/// The `checked-query` features the crate's own default features turn on
/// (`std-types = ["checked-query/chrono"]` under `default`), as `cargo check` builds it.
fn enabled_by_default(m: &toml::Table) -> Vec<String> {
    let Some(table) = m.get("features").and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut queue = vec!["default".to_string()];
    while let Some(f) = queue.pop() {
        if !seen.insert(f.clone()) {
            continue;
        }
        for entry in strings(table.get(&f)) {
            match entry.split_once('/') {
                Some((dep, feature)) if dep.trim_end_matches('?') == "checked-query" => {
                    out.push(feature.to_string())
                }
                Some(_) => {}
                None if !entry.starts_with("dep:") => queue.push(entry),
                None => {}
            }
        }
    }
    out
}

fn strings(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
