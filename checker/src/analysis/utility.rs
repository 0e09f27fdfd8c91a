//! The utility statements services run as queries: `SET [LOCAL] name = value`, `SET TIME
//! ZONE`, `SET ROLE`, `SET TRANSACTION …`, `RESET name`, `SHOW name`. PostgreSQL parses
//! them without looking at the setting and fails when they run; the checker refuses what
//! would fail — an unknown setting, one that cannot change in a session, a value of the wrong
//! kind, a parameter (`SET` takes none: use `set_config`) — from `builtins::settings`.

use sqlparser::ast::{Expr, ObjectName, Reset, Set, Spanned, Statement, UnaryOperator, Value};
use sqlparser::tokenizer::Span;

use super::Analyzer;
use crate::builtins::settings::{self, Context, Kind, Setting, Unit};
use crate::catalog::types::Builtin;
use crate::catalog::{OutputColumn, SqlType};
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    pub(crate) fn utility(&mut self, stmt: &Statement) -> Result<Vec<OutputColumn>, Diagnostic> {
        match stmt {
            Statement::Set(set) => self.set(set, stmt.span()).map(|()| Vec::new()),
            Statement::Reset(r) => match &r.reset {
                Reset::ALL | Reset::SessionAuthorization => Ok(Vec::new()),
                Reset::ConfigurationParameter(name) => self.changeable(name).map(|_| Vec::new()),
            },
            Statement::ShowVariable { variable } => self.show(variable, stmt.span()),
            _ => unreachable!("only utility statements arrive here"),
        }
    }

    fn set(&mut self, set: &Set, span: Span) -> Result<(), Diagnostic> {
        match set {
            Set::SingleAssignment {
                variable, values, ..
            } => {
                if let Some(p) = values.iter().find(
                    |v| matches!(v, Expr::Value(x) if matches!(x.value, Value::Placeholder(_))),
                ) {
                    return Err(self
                        .error(Code::SyntaxError, "SET takes no parameters", p.span())
                        .with_sqlstate("42601")
                        .with_help("pass the value with `SELECT set_config('name', $1, true)` (true: for this transaction, as SET LOCAL)"));
                }
                let Some(setting) = self.changeable(variable)? else {
                    return Ok(()); // a custom `prefix.name` takes any value
                };
                self.check_values(setting, values, variable.span())
            }
            // SET TIME ZONE, ROLE, SESSION AUTHORIZATION, TRANSACTION …: PostgreSQL's
            // checks of these depend on the server's roles and time zone files.
            Set::SetTimeZone { .. }
            | Set::SetRole { .. }
            | Set::SetSessionAuthorization(_)
            | Set::SetTransaction { .. }
            | Set::SetNames { .. }
            | Set::SetNamesDefault {} => Ok(()),
            other => Err(self.unsupported(format!("`{other}`"), span)),
        }
    }

    /// The setting `name` names, when a session may change it; `None` for a custom
    /// `prefix.name`.
    fn changeable(&self, name: &ObjectName) -> Result<Option<&'static Setting>, Diagnostic> {
        let text = name.to_string();
        let span = name.span();
        if name.0.len() > 1 {
            return Ok(None);
        }
        let Some(s) = settings::setting(&text) else {
            return Err(self.unknown_setting(&text, span));
        };
        let why = match s.context {
            Context::User | Context::Superuser => return Ok(Some(s)),
            Context::Internal => "cannot be changed",
            Context::Postmaster => "cannot be changed without restarting the server",
            Context::Sighup => "cannot be changed now",
            Context::Backend | Context::SuperuserBackend => "cannot be set after connection start",
        };
        Err(self
            .error(
                Code::InvalidQuery,
                format!("parameter `{}` {why}", s.name),
                span,
            )
            .with_sqlstate("55P02")
            .with_help("set it in postgresql.conf or with ALTER SYSTEM, not in a session"))
    }

    fn unknown_setting(&self, name: &str, span: Span) -> Diagnostic {
        self.error(
            Code::InvalidQuery,
            format!("unrecognized configuration parameter `{name}`"),
            span,
        )
        .with_sqlstate("42704")
        .with_help(crate::suggest::did_you_mean(
            &name.to_ascii_lowercase(),
            settings::SETTINGS.iter().map(|s| s.name),
            || "name a PostgreSQL setting, or a custom one as `prefix.name`".to_string(),
        ))
    }

    fn check_values(&self, s: &Setting, values: &[Expr], span: Span) -> Result<(), Diagnostic> {
        let invalid = |v: &str| {
            self.error(
                Code::InvalidLiteral,
                format!("invalid value for parameter `{}`: `{v}`", s.name),
                span,
            )
            .with_sqlstate("22023")
        };
        // `SET x TO DEFAULT`
        if let [Expr::Identifier(i)] = values {
            if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("default") {
                return Ok(());
            }
        }
        if values.len() > 1 && s.kind != Kind::String {
            return Err(self
                .error(
                    Code::InvalidLiteral,
                    format!("SET {} takes only one argument", s.name),
                    span,
                )
                .with_sqlstate("22023")
                .with_help("give one value"));
        }
        let Some(text) = values.iter().map(value_text).collect::<Option<Vec<_>>>() else {
            return Err(self
                .error(
                    Code::SyntaxError,
                    format!("SET {} takes a constant", s.name),
                    span,
                )
                .with_sqlstate("42601")
                .with_help(
                    "write the value as a literal, or use set_config(…) for computed values",
                ));
        };
        let v = text.join(", ");
        match s.kind {
            Kind::String => {
                if s.name == "search_path" {
                    self.check_search_path(&text, span)?;
                }
                Ok(())
            }
            Kind::Bool if parse_bool(&v).is_some() => Ok(()),
            Kind::Bool => Err(self
                .error(
                    Code::InvalidLiteral,
                    format!("parameter `{}` requires a Boolean value", s.name),
                    span,
                )
                .with_sqlstate("22023")
                .with_help("write on or off")),
            Kind::Enum(choices) if choices.iter().any(|c| c.eq_ignore_ascii_case(&v)) => Ok(()),
            Kind::Enum(choices) => {
                Err(invalid(&v).with_help(format!("`{}` takes {}", s.name, choices.join(", "))))
            }
            Kind::Integer { min, max, unit } => match with_unit(&v, unit) {
                Some(n) if n.fract() == 0.0 || unit != Unit::None => {
                    let n = n.round();
                    if n < min as f64 || n > max as f64 {
                        return Err(self
                            .error(
                                Code::InvalidLiteral,
                                format!(
                                    "{v} is outside the valid range for parameter `{}` ({min} .. {max})",
                                    s.name
                                ),
                                span,
                            )
                            .with_sqlstate("22023")
                            .with_help("give a value in the range"));
                    }
                    Ok(())
                }
                _ => Err(invalid(&v).with_help(unit_help(unit))),
            },
            Kind::Real { min, max, unit } => match with_unit(&v, unit) {
                Some(n) if n >= min && n <= max => Ok(()),
                _ => Err(invalid(&v).with_help(unit_help(unit))),
            },
        }
    }

    /// `SET search_path`: every schema must be one the checker knows, since it checks the
    /// queries that follow against `public` and the service's own schemas alone.
    fn check_search_path(&self, schemas: &[String], span: Span) -> Result<(), Diagnostic> {
        for s in schemas {
            let s = s.trim().trim_matches('"');
            let known = s == "public"
                || s == "$user"
                || s == "pg_catalog"
                || self.catalog.schemas.iter().any(|x| x == s);
            if !known {
                return Err(self
                    .error(
                        Code::UnknownTable,
                        format!("schema `{s}` is not one of the service's schemas"),
                        span,
                    )
                    .with_sqlstate("3F000")
                    .with_help("PostgreSQL skips unknown schemas silently, so the queries after this one would resolve names differently from what the checker assumes; create the schema in a migration, or qualify names instead"));
            }
        }
        Ok(())
    }

    fn show(
        &self,
        variable: &[sqlparser::ast::Ident],
        span: Span,
    ) -> Result<Vec<OutputColumn>, Diagnostic> {
        let text = |c: &str| OutputColumn {
            name: c.to_string(),
            ty: SqlType::builtin(Builtin::Text),
            nullable: false,
        };
        let words: Vec<String> = variable
            .iter()
            .map(|i| i.value.to_ascii_lowercase())
            .collect();
        let name = match words
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["all"] => return Ok(vec![text("name"), text("setting"), text("description")]),
            ["time", "zone"] => "timezone".to_string(),
            ["transaction", "isolation", "level"] => "transaction_isolation".to_string(),
            ["session", "authorization"] => "session_authorization".to_string(),
            _ => words.join("."),
        };
        match settings::setting(&name) {
            Some(s) => Ok(vec![text(s.canonical)]),
            // A custom setting exists only once the session set it: PostgreSQL's Describe
            // fails on it otherwise.
            None => Err(self.unknown_setting(&name, span).with_help(
                "SHOW names a PostgreSQL setting; read a custom one with current_setting('prefix.name', true)",
            )),
        }
    }
}

/// The value as PostgreSQL's `SET` reads it: a literal, a number, or a bare word.
fn value_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::Number(s, _) => Some(s.clone()),
            Value::Boolean(b) => Some(b.to_string()),
            _ => None,
        },
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => value_text(expr).map(|v| format!("-{v}")),
        _ => None,
    }
}

/// PostgreSQL's `parse_bool`: on, off, true, false, yes, no, 1, 0, and unique prefixes.
fn parse_bool(v: &str) -> Option<bool> {
    let v = v.trim().to_ascii_lowercase();
    if v.is_empty() {
        return None;
    }
    let prefix = |word: &str| word.starts_with(v.as_str());
    match v.as_str() {
        "1" | "on" => Some(true),
        "0" | "of" | "off" => Some(false),
        _ if prefix("true") || prefix("yes") => Some(true),
        _ if prefix("false") || prefix("no") => Some(false),
        _ => None,
    }
}

/// A number with an optional unit (`'5s'`, `'64MB'`), in the setting's own unit.
fn with_unit(v: &str, unit: Unit) -> Option<f64> {
    let v = v.trim();
    let split = v
        .find(|c: char| {
            !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')
        })
        .unwrap_or(v.len());
    let (number, suffix) = v.split_at(split);
    let n: f64 = number.parse().ok()?;
    let suffix = suffix.trim();
    if suffix.is_empty() {
        return Some(n);
    }
    // Factors to the smallest unit of each kind: microseconds and bytes.
    let time = |u: &str| -> Option<f64> {
        Some(match u {
            "us" => 1.0,
            "ms" => 1e3,
            "s" => 1e6,
            "min" => 60e6,
            "h" => 3600e6,
            "d" => 86400e6,
            _ => return None,
        })
    };
    let memory = |u: &str| -> Option<f64> {
        Some(match u {
            "B" => 1.0,
            "kB" => 1024.0,
            "MB" => 1024.0 * 1024.0,
            "GB" => 1024.0 * 1024.0 * 1024.0,
            "TB" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
            _ => return None,
        })
    };
    let (from, to) = match unit {
        Unit::Ms => (time(suffix)?, 1e3),
        Unit::S => (time(suffix)?, 1e6),
        Unit::Min => (time(suffix)?, 60e6),
        Unit::B => (memory(suffix)?, 1.0),
        Unit::Kb => (memory(suffix)?, 1024.0),
        Unit::Kb8 => (memory(suffix)?, 8192.0),
        Unit::Mb => (memory(suffix)?, 1024.0 * 1024.0),
        Unit::None => return None,
    };
    Some(n * from / to)
}

fn unit_help(unit: Unit) -> String {
    match unit {
        Unit::Ms | Unit::S | Unit::Min => {
            "give a number, or a string with a time unit: '5s', '250ms', '2min' (us, ms, s, min, h, d)".to_string()
        }
        Unit::B | Unit::Kb | Unit::Kb8 | Unit::Mb => {
            "give a number, or a string with a memory unit: '64MB' (B, kB, MB, GB, TB)".to_string()
        }
        Unit::None => "give a number".to_string(),
    }
}
