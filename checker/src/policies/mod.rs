//! The seeds' policies as diagnostics: services own their data (a query or foreign key
//! naming another service's table is an error) and SQL runs on CockroachDB as well as
//! PostgreSQL (see [`cockroach`]). Parameterization is enforced by the macros and the
//! analysis (literal SQL only, contiguous `$1..$n`, every argument used).

pub mod cockroach;

use std::collections::BTreeMap;
use std::path::Path;

use crate::config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Rule;
use cockroach::CrdbRule;

/// Which checks apply to a service, from its configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// `targets = ["postgres"]`: the service does not run on CockroachDB.
    pub postgres_only: bool,
    /// Rules allowed (not reported).
    pub allow: Vec<Rule>,
    /// Severities overridden per rule (`severity = { table-naming = "error" }`).
    pub severities: Vec<(Rule, Severity)>,
    /// `external = [...]`: SQL applied before the first migration (see [`config::Config`]),
    /// as paths from the configuration's directory.
    pub external: Vec<std::path::PathBuf>,
    /// `[effects]`: a DO block's declared effect by migration file name and line.
    pub effects: Vec<(String, usize, String)>,
}

impl Settings {
    /// The settings a configuration gives; its relative paths start at `base` (the
    /// directory of the file that holds it).
    pub fn from_config(c: &config::Config, base: &Path) -> Settings {
        let targets = c
            .targets
            .clone()
            .unwrap_or_else(|| vec!["postgres".into(), "cockroachdb".into()]);
        // The loader validated every name and severity (`config::validate`).
        let severities = c
            .severity
            .iter()
            .flatten()
            .filter_map(|(rule, s)| Some((Rule::parse(rule)?, config::parse_severity(s)?)))
            .collect();
        Settings {
            postgres_only: !targets.iter().any(|t| t == "cockroachdb"),
            allow: c
                .allow
                .iter()
                .flatten()
                .filter_map(|r| Rule::parse(r))
                .collect(),
            severities,
            external: c.external.iter().flatten().map(|p| base.join(p)).collect(),
            effects: c
                .effects
                .iter()
                .flatten()
                .filter_map(|(k, sql)| {
                    let (file, line) = config::effect_key(k)?;
                    Some((file.to_string(), line, sql.clone()))
                })
                .collect(),
        }
    }

    /// The declared effect of the DO block starting at byte `start` of `file`, if any.
    pub fn effect_of(&self, file: &crate::source::SourceFile, start: usize) -> Option<&str> {
        let name = file.path.as_deref()?.file_name()?.to_str()?;
        let line = file.line_col(start).0;
        self.effects
            .iter()
            .find(|(f, l, _)| f == name && *l == line)
            .map(|(_, _, sql)| sql.as_str())
    }

    /// The settings of the configuration found above `dir` (defaults when there is none).
    /// A configuration that does not read or validate is the error every command and the
    /// macro report, the same located diagnostic from the one loader.
    pub fn for_dir(dir: &Path) -> Result<Settings, Diagnostic> {
        Ok(match config::find(dir)? {
            Some(loaded) => Settings::from_config(&loaded.config, &loaded.base),
            None => Settings::default(),
        })
    }

    pub fn cockroachdb(&self) -> bool {
        !self.postgres_only
    }

    /// The severity configured for `d`, if any (a CockroachDB rule's wins over its code's).
    pub fn severity_of(&self, d: &Diagnostic) -> Option<Severity> {
        let of = |rule: Rule| {
            self.severities
                .iter()
                .find(|(r, _)| *r == rule)
                .map(|(_, s)| *s)
        };
        d.policy
            .and_then(|p| of(Rule::Crdb(p)))
            .or_else(|| of(Rule::Code(d.code)))
    }

    /// Whether `d` is allowed (not reported): its code's rule or its CockroachDB rule.
    pub fn suppresses(&self, d: &Diagnostic) -> bool {
        self.allow.iter().any(|r| r.covers(d))
    }

    /// Whether a CockroachDB rule applies: the service targets CockroachDB and does not
    /// allow it.
    pub fn enforces(&self, rule: CrdbRule) -> bool {
        self.cockroachdb() && !self.allow.contains(&Rule::Crdb(rule))
    }
}

/// Who owns which names across the services of a workspace: relation and type names of the
/// *other* services, each with the service(s) that define it.
pub type ForeignNames = BTreeMap<String, Vec<String>>;

/// What a service is checked under beside its own catalog: its settings, and the names the
/// other services own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Env {
    pub settings: Settings,
    pub foreign: ForeignNames,
    /// `SET check_function_bodies = false` is in effect: `LANGUAGE sql` bodies are not
    /// checked when the routine is created.
    pub skip_function_bodies: bool,
    /// The build is applying an UP section: each statement's syntax tree is kept on its
    /// file for the lints, which read the same statements.
    pub keep_parsed: bool,
}

/// The ownership error text shared by queries and migrations.
pub fn ownership_message(kind: &str, name: &str, owners: &[String]) -> (String, String) {
    let owners_list = owners
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ");
    (
        format!("{kind} `{name}` belongs to service {owners_list}; services own their data"),
        format!(
            "call {} API for this data, or keep a local copy this service updates from its events",
            if owners.len() == 1 {
                format!("the `{}` service's", owners[0])
            } else {
                "the owning service's".to_string()
            }
        ),
    )
}
