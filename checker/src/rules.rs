//! Every rule a user can name — in `allow = [...]`, `[severity]` and allow comments — as one
//! closed set: the diagnostic codes' rule names (`table-naming`, `fk-without-index`, …) and
//! the CockroachDB policy rules (`serial`, `int-width`, …). Text becomes a [`Rule`] only in
//! [`Rule::parse`]; an unknown name is an error where it was written, never ignored.

use crate::diagnostic::{Code, Diagnostic};
use crate::policies::cockroach::{CrdbRule, RULES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    Code(Code),
    Crdb(CrdbRule),
}

impl Rule {
    pub fn parse(name: &str) -> Option<Rule> {
        Code::ALL
            .iter()
            .find(|c| c.rule() == name)
            .map(|c| Rule::Code(*c))
            .or_else(|| CrdbRule::from_id(name).map(Rule::Crdb))
    }

    pub fn name(self) -> &'static str {
        match self {
            Rule::Code(c) => c.rule(),
            Rule::Crdb(r) => r.id(),
        }
    }

    /// Every rule name, for "did you mean" suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Code::ALL
            .iter()
            .map(|c| c.rule())
            .chain(RULES.iter().map(|r| r.id))
    }

    /// The help for a name that is no rule.
    pub fn unknown_help(name: &str) -> String {
        crate::suggest::did_you_mean(name, Rule::names(), || {
            "rule names are the diagnostics' rules (`table-naming`, …) and the CockroachDB rules (`serial`, `int-width`, …); `checked-query lint --format json` shows each diagnostic's".to_string()
        })
    }

    /// Whether `d` is reported under this rule: its code's, or the policy rule it breaks.
    pub fn covers(self, d: &Diagnostic) -> bool {
        match self {
            Rule::Code(c) => d.code == c,
            Rule::Crdb(r) => d.policy == Some(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_do_not_collide() {
        let names: Vec<&str> = Rule::names().collect();
        let unique: std::collections::HashSet<&&str> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        for n in names {
            assert_eq!(Rule::parse(n).map(Rule::name), Some(n));
        }
        assert_eq!(Rule::parse("seriall"), None);
        assert!(Rule::unknown_help("seriall").contains("`serial`"));
    }
}
