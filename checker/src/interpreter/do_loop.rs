//! What a DO block's `FOR target IN SELECT … FROM <system catalog> LOOP … END LOOP` runs
//! over, and the SQL its `EXECUTE format(…)` builds: the rows are the catalog's own (the
//! schemas and tables the migrations created so far), the SQL is built with `format`'s and
//! `quote_ident`'s rules. Multi-tenant histories use the form to change every schema or
//! table matching a pattern.

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, SelectItem, SetExpr,
    Value,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::do_block::{column, literal, system_relation, Aliases};
use crate::catalog::types::quote_ident;
use crate::catalog::{ident_name, split_key, Catalog, RelationKind};
use crate::source::Fragment;

/// One row the loop's query returns: its columns' names and values, in select order.
pub(super) type Row = Vec<(String, String)>;

/// A loop's target bound to the current row: a record (`r.col`), or scalar variables that
/// take the row's columns in order.
#[derive(Clone)]
pub(super) struct Binding {
    pub targets: Vec<String>,
    pub row: Row,
}

/// PostgreSQL's own schemas, which `information_schema.schemata` and `pg_namespace` list too.
const SYSTEM_SCHEMAS: &[&str] = &["pg_catalog", "information_schema", "pg_toast"];

/// The rows of `query`, read from the catalog: `SELECT cols FROM <schemata | pg_namespace |
/// pg_tables | information_schema.tables> [alias] [WHERE col = | <> | LIKE | NOT LIKE | IN
/// … AND …]`. A query that could return PostgreSQL's own tables (no filter keeping their
/// schemas out) is refused: their rows are not the service's to know.
pub(super) fn rows(catalog: &Catalog, query: &Fragment) -> Result<Vec<Row>, String> {
    let why = || format!("a loop over `{}`", query.text().trim());
    let q = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(query.text())
        .and_then(|mut p| p.parse_query())
        .map_err(|_| why())?;
    let SetExpr::Select(s) = q.body.as_ref() else {
        return Err(why());
    };
    let [from] = s.from.as_slice() else {
        return Err(why());
    };
    if !from.joins.is_empty() || q.order_by.is_some() || q.limit_clause.is_some() {
        return Err(why());
    }
    // Unqualified names read as pg_catalog's here: a user table is refused below by name.
    let (relation, alias) = system_relation(&from.relation).ok_or_else(why)?;
    let aliases = Aliases {
        main: alias.as_deref(),
        namespace: None,
    };
    // Every row of the relation, as (column, value) pairs, and which column is the schema.
    let schemas = || {
        (["public"]
            .iter()
            .chain(SYSTEM_SCHEMAS)
            .map(|s| s.to_string()))
        .chain(catalog.schemas.iter().cloned())
    };
    let tables = |views: bool| {
        catalog.tables.iter().map(|t| t.name.clone()).chain(
            views
                .then(|| catalog.views.iter().filter(|v| !v.materialized))
                .into_iter()
                .flatten()
                .map(|v| v.name.clone()),
        )
    };
    let in_schema = |key: String| {
        let (schema, name) = split_key(&key);
        (schema.unwrap_or("public").to_string(), name.to_string())
    };
    let (all, schema_column): (Vec<Row>, Option<&str>) = match relation.as_str() {
        "information_schema.schemata" => (
            schemas()
                .map(|s| vec![("schema_name".to_string(), s)])
                .collect(),
            None,
        ),
        "pg_catalog.pg_namespace" => (
            schemas()
                .map(|s| vec![("nspname".to_string(), s)])
                .collect(),
            None,
        ),
        "pg_catalog.pg_tables" => (
            tables(false)
                .map(in_schema)
                .map(|(s, t)| vec![("schemaname".into(), s), ("tablename".into(), t)])
                .collect(),
            Some("schemaname"),
        ),
        "information_schema.tables" => (
            tables(true)
                .map(|key| {
                    let kind = match catalog.relation_kind(&key) {
                        Some(RelationKind::View) => "VIEW",
                        _ => "BASE TABLE",
                    };
                    let (s, t) = in_schema(key);
                    vec![
                        ("table_schema".into(), s),
                        ("table_name".into(), t),
                        ("table_type".into(), kind.to_string()),
                    ]
                })
                .collect(),
            Some("table_schema"),
        ),
        _ => {
            return Err(format!(
                "a loop over the rows of `{}` (the loops followed read \
                 information_schema.schemata, pg_namespace, pg_tables or \
                 information_schema.tables)",
                from.relation
            ))
        }
    };
    let filter = |row: &Row| match &s.selection {
        None => Some(true),
        Some(w) => holds(w, &aliases, row),
    };
    // PostgreSQL's own tables are rows too: the filter must keep their schemas out.
    if let Some(col) = schema_column {
        let columns: Vec<String> = all
            .first()
            .map_or_else(Vec::new, |r| r.iter().map(|(c, _)| c.clone()).collect());
        for system in SYSTEM_SCHEMAS {
            // A system table of any name: only the schema decides.
            let probe: Row = columns
                .iter()
                .map(|c| {
                    (
                        c.clone(),
                        if c == col {
                            system.to_string()
                        } else {
                            "\u{0}".into()
                        },
                    )
                })
                .collect();
            let kept_out = match &s.selection {
                Some(w) => schema_conjunct_false(w, &aliases, col, &probe),
                None => false,
            };
            if !kept_out {
                return Err(format!(
                    "a loop over `{relation}` that PostgreSQL's own tables (schema `{system}`) may reach"
                ));
            }
        }
    }
    let mut out = Vec::new();
    for row in all {
        if filter(&row).ok_or_else(why)? {
            out.push(project(&s.projection, &aliases, &row).ok_or_else(why)?);
        }
    }
    out.sort();
    Ok(out)
}

/// Whether some top-level conjunct on the schema column is false for `probe`.
fn schema_conjunct_false(e: &Expr, aliases: &Aliases, col: &str, probe: &Row) -> bool {
    match e {
        Expr::Nested(inner) => schema_conjunct_false(inner, aliases, col, probe),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            schema_conjunct_false(left, aliases, col, probe)
                || schema_conjunct_false(right, aliases, col, probe)
        }
        _ => {
            let mut mentioned = Vec::new();
            columns_of(e, aliases, &mut mentioned);
            mentioned.iter().all(|c| c == col) && holds(e, aliases, probe) == Some(false)
        }
    }
}

fn columns_of(e: &Expr, aliases: &Aliases, out: &mut Vec<String>) {
    if let Some(c) = column(e, aliases) {
        out.push(c);
        return;
    }
    match e {
        Expr::Nested(x) | Expr::UnaryOp { expr: x, .. } => columns_of(x, aliases, out),
        Expr::BinaryOp { left, right, .. } => {
            columns_of(left, aliases, out);
            columns_of(right, aliases, out);
        }
        Expr::Like { expr, .. } | Expr::ILike { expr, .. } | Expr::In { expr, .. } => {
            columns_of(expr, aliases, out)
        }
        _ => {}
    }
}

/// The WHERE clause on one row; `None` for a form not evaluated.
fn holds(e: &Expr, aliases: &Aliases, row: &Row) -> Option<bool> {
    let value = |e: &Expr| -> Option<String> {
        match column(e, aliases) {
            Some(c) => row.iter().find(|(k, _)| *k == c).map(|(_, v)| v.clone()),
            None => literal(e),
        }
    };
    Some(match e {
        Expr::Nested(inner) => holds(inner, aliases, row)?,
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::And => holds(left, aliases, row)? && holds(right, aliases, row)?,
            BinaryOperator::Or => holds(left, aliases, row)? || holds(right, aliases, row)?,
            BinaryOperator::Eq => value(left)? == value(right)?,
            BinaryOperator::NotEq => value(left)? != value(right)?,
            _ => return None,
        },
        Expr::UnaryOp {
            op: sqlparser::ast::UnaryOperator::Not,
            expr,
        } => !holds(expr, aliases, row)?,
        Expr::Like {
            negated,
            expr,
            pattern,
            escape_char: None,
            any: false,
        } => like(&value(expr)?, &value(pattern)?, false) != *negated,
        Expr::ILike {
            negated,
            expr,
            pattern,
            escape_char: None,
            any: false,
        } => like(&value(expr)?, &value(pattern)?, true) != *negated,
        Expr::In {
            expr,
            target: sqlparser::ast::InTarget::List(list),
            negated,
            global: false,
        } => {
            let v = value(expr)?;
            let mut found = false;
            for item in list {
                found |= value(item)? == v;
            }
            found != *negated
        }
        _ => return None,
    })
}

/// SQL's LIKE: `%` any run, `_` one character, `\` escapes.
fn like(text: &str, pattern: &str, fold: bool) -> bool {
    let fold = |s: &str| {
        if fold {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let (t, p): (Vec<char>, Vec<char>) = (
        fold(text).chars().collect(),
        fold(pattern).chars().collect(),
    );
    // Iterative matching with backtracking to the last `%` (no recursion: hostile patterns
    // stay linear in practice and never overflow the stack).
    let (mut ti, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let escaped = p.get(pi) == Some(&'\\');
        let pc = if escaped { p.get(pi + 1) } else { p.get(pi) };
        match pc {
            Some('%') if !escaped => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some(c) if (*c == '_' && !escaped) || *c == t[ti] => {
                pi += if escaped { 2 } else { 1 };
                ti += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == '%')
}

/// The selected columns of a row: plain or qualified columns, aliased or not, or `*`.
fn project(items: &[SelectItem], aliases: &Aliases, row: &Row) -> Option<Row> {
    let mut out = Vec::new();
    for item in items {
        match item {
            SelectItem::Wildcard(_) => out.extend(row.iter().cloned()),
            SelectItem::UnnamedExpr(e) => {
                let c = column(e, aliases)?;
                out.push(row.iter().find(|(k, _)| *k == c)?.clone());
            }
            SelectItem::ExprWithAlias { expr, alias } => {
                let c = column(expr, aliases)?;
                let v = row.iter().find(|(k, _)| *k == c)?.1.clone();
                out.push((ident_name(alias), v));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The text an `EXECUTE expr` runs, from string literals, the loop's variables, `||`,
/// `format(…)` and `quote_ident`/`quote_literal`; `None` for anything else.
pub(super) fn dynamic_sql(expr: &Fragment, vars: &[Binding]) -> Option<String> {
    let e = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(expr.text())
        .and_then(|mut p| p.parse_expr())
        .ok()?;
    text(&e, vars)
}

fn text(e: &Expr, vars: &[Binding]) -> Option<String> {
    match e {
        Expr::Nested(inner) => text(inner, vars),
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            Value::DollarQuotedString(d) => Some(d.value.clone()),
            _ => None,
        },
        Expr::Cast { expr, .. } => text(expr, vars),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::StringConcat,
            right,
        } => Some(text(left, vars)? + &text(right, vars)?),
        Expr::Identifier(i) => {
            let name = ident_name(i);
            vars.iter().rev().find_map(|b| {
                let at = b.targets.iter().position(|t| *t == name)?;
                // One target is a record when the query has several columns; a scalar
                // target takes the column at its position.
                b.row.get(at).map(|(_, v)| v.clone())
            })
        }
        Expr::CompoundIdentifier(parts) => match parts.as_slice() {
            [record, field] => {
                let (record, field) = (ident_name(record), ident_name(field));
                vars.iter().rev().find_map(|b| {
                    (b.targets.as_slice() == [record.clone()])
                        .then(|| {
                            b.row
                                .iter()
                                .find(|(k, _)| *k == field)
                                .map(|(_, v)| v.clone())
                        })
                        .flatten()
                })
            }
            _ => None,
        },
        Expr::Function(f) => {
            let name = crate::catalog::object_key(&f.name)?;
            let FunctionArguments::List(list) = &f.args else {
                return None;
            };
            let args: Vec<String> = list
                .args
                .iter()
                .map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => text(e, vars),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            match (name.as_str(), args.as_slice()) {
                ("quote_ident", [s]) => Some(quote_ident(s).into_owned()),
                ("quote_literal", [s]) => Some(quote_literal(s)),
                ("format", [template, rest @ ..]) => format(template, rest),
                _ => None,
            }
        }
        _ => None,
    }
}

/// PostgreSQL's `format`: `%s`, `%I`, `%L`, `%%`, and `%n$…` positions.
fn format(template: &str, args: &[String]) -> Option<String> {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        let index = if digits.is_empty() {
            next
        } else {
            if chars.next() != Some('$') {
                return None; // widths and flags are not read
            }
            digits.parse::<usize>().ok()?.checked_sub(1)?
        };
        let arg = args.get(index)?;
        next = index + 1;
        match chars.next()? {
            's' => out.push_str(arg),
            'I' => out.push_str(&quote_ident(arg)),
            'L' => out.push_str(&quote_literal(arg)),
            _ => return None,
        }
    }
    Some(out)
}

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_matches_as_sql_does() {
        assert!(like("sgd12", "sgd%", false));
        assert!(!like("public", "sgd%", false));
        assert!(like("a_b", "a\\_b", false));
        assert!(!like("axb", "a\\_b", false));
        assert!(like("axb", "a_b", false));
        assert!(like("abcabc", "%b%c", false));
        assert!(like("ABC", "a%", true));
        assert!(!like("ab", "abc%", false));
    }

    #[test]
    fn format_and_quoting_follow_postgres() {
        let a = |s: &str| s.to_string();
        assert_eq!(
            format(
                "ALTER TABLE %I.domain ADD %s %L %%",
                &[a("Sgd1"), a("x"), a("it's")]
            )
            .unwrap(),
            "ALTER TABLE \"Sgd1\".domain ADD x 'it''s' %"
        );
        assert_eq!(format("%2$s %1$s", &[a("a"), a("b")]).unwrap(), "b a");
        assert_eq!(format("%s %s", &[a("a")]), None);
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("sgd1"), "sgd1");
    }
}
