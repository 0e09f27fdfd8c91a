//! ORDER BY: against the select list (output names and positions) or the FROM scope.

use sqlparser::ast::{Expr, OrderBy, OrderByKind, Select, SelectItem, Spanned, Value};

use super::colname::column_name;
use super::expr::strip;
use super::query::Column;
use super::scope::Scope;
use super::Analyzer;
use crate::catalog::ident_name;
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    pub(crate) fn order_by_select(
        &mut self,
        ob: &OrderBy,
        scope: &Scope,
        cols: &[Column],
        distinct: bool,
        s: &Select,
    ) -> Result<(), Diagnostic> {
        let OrderByKind::Expressions(items) = &ob.kind else {
            return Err(self.unsupported("ORDER BY ALL", ob.span()));
        };
        self.level().windows_allowed = true;
        self.level().aggregates_allowed = true;
        for item in items {
            if item.with_fill.is_some() {
                return Err(self.unsupported("WITH FILL", item.span()));
            }
            let e = strip(&item.expr);
            if let Expr::Value(v) = e {
                if let Value::Number(n, _) = &v.value {
                    let i: usize = n.parse().unwrap_or(0);
                    if i == 0 || i > cols.len() {
                        return Err(self
                            .error(
                                Code::InvalidQuery,
                                format!("ORDER BY position {n} is not in select list"),
                                e.span(),
                            )
                            .with_help(format!("use a position from 1 to {}", cols.len())));
                    }
                    continue;
                }
            }
            if let Expr::Identifier(i) = e {
                let name = ident_name(i);
                let hits = cols.iter().filter(|c| c.name == name).count();
                if hits == 1 {
                    continue;
                }
                if hits > 1 {
                    return Err(self
                        .error(
                            Code::AmbiguousColumn,
                            format!("ORDER BY `{name}` is ambiguous"),
                            e.span(),
                        )
                        .with_help("order by position or a qualified column"));
                }
            }
            if distinct {
                let text = e.to_string();
                let in_list = s.projection.iter().any(|p| match p {
                    SelectItem::UnnamedExpr(x) | SelectItem::ExprWithAlias { expr: x, .. } => {
                        strip(x).to_string() == text
                    }
                    _ => true,
                });
                if !in_list {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                            e.span(),
                        )
                        .with_help("add the expression to the SELECT list"));
                }
            }
            let is_group_expr = self
                .level()
                .grouping
                .as_ref()
                .is_some_and(|g| !g.exprs.is_empty() && g.exprs.contains(&e.to_string()));
            if is_group_expr {
                self.level().grouped_expr += 1;
            }
            let r = self.expr(e, scope);
            if is_group_expr {
                self.level().grouped_expr -= 1;
            }
            let t = r?;
            if let Some(x) = &t.ty {
                if !super::ops::comparable(x) {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("could not identify an ordering operator for type {x}"),
                            e.span(),
                        )
                        .with_help("order by a comparable value (jsonb instead of json)"));
                }
            }
        }
        Ok(())
    }

    /// ORDER BY of a set operation: only output names and positions.
    pub(crate) fn order_by_outputs(
        &mut self,
        ob: &OrderBy,
        cols: &[Column],
    ) -> Result<(), Diagnostic> {
        let OrderByKind::Expressions(items) = &ob.kind else {
            return Err(self.unsupported("ORDER BY ALL", ob.span()));
        };
        for item in items {
            let e = strip(&item.expr);
            let ok = match e {
                Expr::Value(v) => {
                    matches!(&v.value, Value::Number(n, _) if n.parse::<usize>().is_ok_and(|i| i >= 1 && i <= cols.len()))
                }
                Expr::Identifier(i) => cols.iter().any(|c| c.name == ident_name(i)),
                _ => false,
            };
            if !ok {
                return Err(self
                    .error(
                        Code::InvalidQuery,
                        "invalid UNION/INTERSECT/EXCEPT ORDER BY clause",
                        e.span(),
                    )
                    .with_help("order a set operation by a result column's name or position"));
            }
        }
        Ok(())
    }

    pub(crate) fn column_name_of(&self, e: &Expr) -> String {
        let catalog = self.catalog;
        column_name(e, &|dt| {
            crate::catalog::types::resolve(dt, &|n| catalog.user_type(n), &|x| {
                catalog.has_extension(x)
            })
            .ok()
            .map(|(t, _)| t)
        })
        .unwrap_or_else(|| "?column?".to_string())
    }
}
