//! The seeds' policies as diagnostics: services own their data (a query or foreign key
//! naming another service's table is an error) and SQL runs on CockroachDB as well as
//! PostgreSQL (see [`cockroach`]). Parameterization is enforced by the macros and the
//! analysis (literal SQL only, contiguous `$1..$n`, every argument used).

pub mod cockroach;

use std::collections::BTreeMap;
use std::path::Path;

use crate::config;

/// Which checks apply to a service, from its configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// `targets = ["postgres"]`: the service does not run on CockroachDB.
    pub postgres_only: bool,
    /// Rules allowed (not reported): CockroachDB rule ids, lint rule names.
    pub allow: Vec<String>,
    /// Severities overridden per rule name (`severity = { table-naming = "error" }`).
    pub severities: BTreeMap<String, crate::diagnostic::Severity>,
}

impl Settings {
    pub fn from_config(c: &config::Config) -> Settings {
        let targets = c
            .targets
            .clone()
            .unwrap_or_else(|| vec!["postgres".into(), "cockroachdb".into()]);
        let severities = c
            .severity
            .iter()
            .flatten()
            .filter_map(|(rule, s)| match s.as_str() {
                "error" => Some((rule.clone(), crate::diagnostic::Severity::Error)),
                "warning" => Some((rule.clone(), crate::diagnostic::Severity::Warning)),
                _ => None,
            })
            .collect();
        Settings {
            postgres_only: !targets.iter().any(|t| t == "cockroachdb"),
            allow: c.allow.clone().unwrap_or_default(),
            severities,
        }
    }

    /// The settings of the configuration found above `dir` (defaults when there is none or
    /// it cannot be read; the commands report a broken configuration themselves).
    pub fn for_dir(dir: &Path) -> Settings {
        match config::find(dir) {
            Ok(Some(loaded)) => Settings::from_config(&loaded.config),
            _ => Settings::default(),
        }
    }

    pub fn cockroachdb(&self) -> bool {
        !self.postgres_only
    }

    pub fn severity_of(&self, rule: &str) -> Option<crate::diagnostic::Severity> {
        self.severities.get(rule).copied()
    }

    pub fn allows(&self, rule: &str) -> bool {
        self.allow.iter().any(|a| a == rule)
    }
}

/// Who owns which names across the services of a workspace: relation and type names of the
/// *other* services, each with the service(s) that define it.
pub type ForeignNames = BTreeMap<String, Vec<String>>;

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
