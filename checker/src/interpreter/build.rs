//! Building catalogs from migrations: every UP section in order, and each DOWN section on a
//! copy of the catalog its UP produced (so later checks can compare it with the catalog
//! before that migration).

use std::path::Path;
use std::sync::Arc;

use super::apply::apply_statement;
use super::read_ahead::read_ahead;
use crate::analysis::Context;
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic};
use crate::migrations::{self, Section, ServiceMigrations};
use crate::policies::{Env, ForeignNames, Settings};
use crate::source::Fragment;
use crate::statements::{parse_tokens, split_tokenized};
use sqlparser::ast::Statement;

/// One migration's effect.
#[derive(Debug, Clone)]
pub struct MigrationOutcome {
    pub name: String,
    pub after_up: Catalog,
    /// The catalog after applying DOWN to `after_up` (None when there is no DOWN section).
    pub after_down: Option<Catalog>,
}

#[derive(Debug, Clone)]
pub struct ServiceCatalog {
    pub service: String,
    pub migrations: ServiceMigrations,
    /// The schema after every UP section.
    pub catalog: Catalog,
    /// The settings it was built under and the names other services own.
    pub env: Env,
    pub outcomes: Vec<MigrationOutcome>,
    /// Reading and applying errors, in migration order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Every service beside (and including) one: later checks need to know who owns what.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub services: Vec<ServiceCatalog>,
}

impl ServiceCatalog {
    /// What the service's queries are analysed against.
    pub fn context(&self) -> Context<'_> {
        Context {
            catalog: &self.catalog,
            env: &self.env,
        }
    }
}

impl Workspace {
    pub fn service(&self, name: &str) -> Option<&ServiceCatalog> {
        self.services.iter().find(|s| s.service == name)
    }
}

/// A section read ahead of applying it: split into statements and each one parsed (or the
/// error of either). Reading needs no catalog, so a build reads the next sections on a
/// second thread while it applies this one (see [`build_service_with`]).
struct ReadSection(Result<Vec<(Fragment, Parsed)>, Diagnostic>);

/// Shared from the start: the build moves it through several calls, and keeps UP's for the
/// lints (a syntax tree is kilobytes to copy at each move).
type Parsed = Result<Arc<Statement>, Diagnostic>;

fn read_section(section: &Section) -> ReadSection {
    ReadSection(
        split_tokenized(&section.file, section.range.clone()).map(|statements| {
            (statements.into_iter())
                .map(|(frag, tokens)| {
                    let parsed = crate::stack::for_statement(frag.range.len(), || {
                        parse_tokens(&frag, tokens).map(Arc::new)
                    });
                    (frag, parsed)
                })
                .collect()
        }),
    )
}

/// Applies every statement of a section, returning what went wrong.
pub fn apply_section(catalog: &mut Catalog, env: &Env, section: &Section) -> Vec<Diagnostic> {
    apply_read(catalog, env, read_section(section))
}

/// Applies every statement of a section read by [`read_section`].
fn apply_read(catalog: &mut Catalog, env: &Env, read: ReadSection) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let statements = match read.0 {
        Ok(s) => s,
        Err(d) => return vec![d],
    };
    // A failed statement is skipped and the rest still applied: one build reports every
    // independent error instead of a cascade from the first.
    let mut in_transaction = false;
    // The section's own session: `SET check_function_bodies` lasts until it is reset.
    let mut session: Option<Env> = None;
    for (stmt, parsed) in statements {
        if let Some(check) = check_function_bodies_setting(stmt.text()) {
            session = (!check).then(|| Env {
                skip_function_bodies: true,
                ..env.clone()
            });
            continue;
        }
        let env = session.as_ref().unwrap_or(env);
        // The first four words, compared without case (and without allocating: every
        // statement of every migration passes here).
        let mut words = stmt.text().split_whitespace();
        let words: [&str; 4] = std::array::from_fn(|_| words.next().unwrap_or(""));
        let is = |i: usize, word: &str| words[i].eq_ignore_ascii_case(word);
        if is(0, "BEGIN") || is(0, "START") && is(1, "TRANSACTION") {
            in_transaction = true;
        } else if is(0, "COMMIT") || is(0, "END") || is(0, "ROLLBACK") {
            in_transaction = false;
        }
        // PostgreSQL refuses CONCURRENTLY inside an explicit transaction block (25001).
        let unique = is(1, "UNIQUE") as usize;
        let concurrently =
            is(0, "CREATE") && is(1 + unique, "INDEX") && is(2 + unique, "CONCURRENTLY")
                || is(0, "DROP") && is(1, "INDEX") && is(2, "CONCURRENTLY");
        if in_transaction && concurrently {
            diagnostics.push(
                Diagnostic::new(Code::InvalidDefinition, format!("{} {} CONCURRENTLY cannot run inside a transaction block", words[0].to_ascii_uppercase(), if unique == 1 { "UNIQUE INDEX" } else { "INDEX" }))
                    .at(&stmt.file, stmt.range.clone())
                    .with_help("remove the BEGIN/COMMIT around it: the migrator runs a CONCURRENTLY migration outside a transaction"),
            );
            continue;
        }
        match apply_statement(catalog, env, &stmt, Some(parsed)) {
            Ok(warnings) => diagnostics.extend(warnings),
            Err(d) => diagnostics.push(d),
        }
        // Every test's catalogs are small; a user's dev build (the macro runs with debug
        // assertions) of a long history must not pay O(n) per statement for this check.
        debug_assert!(
            catalog.tables.len() + catalog.indexes.len() > 512 || catalog.indexes_are_consistent(),
            "the catalog's index differs from its objects after {}",
            stmt.text()
        );
    }
    diagnostics
}

/// What a `SET check_function_bodies …` / `RESET check_function_bodies` statement sets it
/// to (`None` for any other statement). Values as PostgreSQL reads a boolean setting.
fn check_function_bodies_setting(sql: &str) -> Option<bool> {
    // Most statements are not settings: those are told by their first word alone.
    let first = sql.split_whitespace().next()?;
    if !first.eq_ignore_ascii_case("set") && !first.eq_ignore_ascii_case("reset") {
        return None;
    }
    let lower = sql.trim().trim_end_matches(';').to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '=')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        ["reset", "check_function_bodies"] | ["reset", "all"] => Some(true),
        ["set", rest @ ..] => {
            let rest = match rest {
                ["session" | "local", rest @ ..] => rest,
                rest => rest,
            };
            let (name, value) = match rest {
                [name, "to", value] | [name, value] => (*name, *value),
                _ => return None,
            };
            if name != "check_function_bodies" {
                return None;
            }
            match value.trim_matches('\'') {
                "false" | "off" | "no" | "0" | "f" | "n" => Some(false),
                "true" | "on" | "yes" | "1" | "t" | "y" | "default" => Some(true),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Builds the catalog of the service whose migrations are `migrations`, with default
/// settings and no knowledge of other services.
pub fn build_service(migrations: ServiceMigrations) -> ServiceCatalog {
    build_service_with(migrations, &Settings::default(), &ForeignNames::new())
}

/// Builds a service's catalog under `settings`, knowing the names other services own.
pub fn build_service_with(
    migrations: ServiceMigrations,
    settings: &Settings,
    foreign: &ForeignNames,
) -> ServiceCatalog {
    let mut catalog = Catalog::new(&migrations.service);
    let env = Env {
        settings: settings.clone(),
        foreign: foreign.clone(),
        skip_function_bodies: false,
        keep_parsed: false,
    };
    let up_env = Env {
        keep_parsed: true,
        ..env.clone()
    };
    let mut diagnostics = migrations.diagnostics.clone();
    diagnostics.extend(apply_external(&mut catalog, &env, &settings.external));
    let mut outcomes = Vec::new();
    // Reading each section (splitting and parsing it) needs no catalog, and was half of a
    // build: a second thread reads them while this one applies them, and this one reads the
    // next unclaimed section rather than wait (see `read_ahead`).
    let sections: Vec<&Section> = (migrations.migrations.iter())
        .flat_map(|m| [m.up.as_ref(), m.down.as_ref()])
        .flatten()
        .collect();
    read_ahead(
        sections,
        |s| read_section(s),
        |read| {
            for m in &migrations.migrations {
                if m.up.is_some() {
                    diagnostics.extend(apply_read(&mut catalog, &up_env, read.next()));
                }
                // DOWN is applied to the catalog itself and undone after, its result kept as
                // a copy: applied to a copy, each change copied the paths to it in the index
                // the two shared, a tenth of a build.
                let after_down = m.down.as_ref().map(|_| {
                    let mark = catalog.begin();
                    // DOWN warnings repeat UP's findings; only its errors are news.
                    diagnostics.extend(
                        apply_read(&mut catalog, &env, read.next())
                            .into_iter()
                            .filter(Diagnostic::is_error),
                    );
                    let after_down = catalog.snapshot();
                    catalog.rollback(mark);
                    after_down
                });
                outcomes.push(MigrationOutcome {
                    name: m.name.clone(),
                    after_up: catalog.snapshot(),
                    after_down,
                });
            }
        },
    );
    ServiceCatalog {
        service: migrations.service.clone(),
        migrations,
        catalog,
        env,
        outcomes,
        diagnostics,
    }
}

/// Applies the configuration's `external` SQL files (what another tool creates) to the
/// catalog before the first migration. A file that cannot be read is an error naming it.
fn apply_external(
    catalog: &mut Catalog,
    env: &Env,
    files: &[std::path::PathBuf],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for path in files {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let len = text.len();
                let file = crate::source::SourceFile::new(Some(path.clone()), text);
                diagnostics.extend(apply_section(catalog, env, &Section { file, range: 0..len }));
            }
            Err(e) => diagnostics.push(
                Diagnostic::new(
                    Code::Config,
                    format!("cannot read the external SQL file `{}`: {e}", path.display()),
                )
                .in_file(path)
                .with_help("`external` in the configuration names SQL files relative to it; fix the path or remove the entry"),
            ),
        }
    }
    diagnostics
}

/// Builds the catalog of the service owning `migrations_dir` and of its sibling services.
/// Settings come from the configuration found above the directory; a broken one is an
/// error of every service (built with the defaults meanwhile).
pub fn build_workspace(migrations_dir: &Path) -> Workspace {
    match Settings::for_dir(migrations_dir) {
        Ok(settings) => build_workspace_with(migrations_dir, &settings),
        Err(d) => {
            let mut ws = build_workspace_with(migrations_dir, &Settings::default());
            for s in &mut ws.services {
                s.diagnostics.insert(0, d.clone());
            }
            ws
        }
    }
}

/// Builds every service, learning who owns which names, then builds again, knowing them,
/// each service whose first build has errors: a reference to another service's table is
/// then reported as such, not as unknown. The names others own change only the wording of
/// errors (a statement fails either way, and leaves the same catalog), so a service that
/// built without errors is kept as built, with the names recorded for its queries. Building
/// every service twice was half of a cold expansion.
pub fn build_workspace_with(migrations_dir: &Path, settings: &Settings) -> Workspace {
    let loaded: Vec<ServiceMigrations> = migrations::discover_services(migrations_dir)
        .into_iter()
        .map(|(name, dir)| migrations::load_migrations(&dir, &name))
        .collect();
    let first: Vec<ServiceCatalog> = loaded
        .iter()
        .map(|m| build_service_with(m.clone(), settings, &ForeignNames::new()))
        .collect();
    let foreign: Vec<ForeignNames> = first
        .iter()
        .map(|this| {
            let mut foreign = ForeignNames::new();
            for other in first.iter().filter(|s| s.service != this.service) {
                let c = &other.catalog;
                let names = c
                    .tables
                    .iter()
                    .map(|t| &t.name)
                    .chain(c.views.iter().map(|v| &v.name))
                    .chain(c.enums.iter().map(|e| &e.name));
                for n in names {
                    foreign
                        .entry(n.clone())
                        .or_default()
                        .push(other.service.clone());
                }
            }
            foreign
        })
        .collect();
    let services = loaded
        .into_iter()
        .zip(first)
        .zip(foreign)
        .map(|((m, mut built), foreign)| {
            if foreign.is_empty() || !built.diagnostics.iter().any(Diagnostic::is_error) {
                built.env.foreign = foreign;
                built
            } else {
                build_service_with(m, settings, &foreign)
            }
        })
        .collect();
    Workspace { services }
}
