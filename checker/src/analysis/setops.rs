//! Set operations and VALUES: UNION/INTERSECT/EXCEPT column merging (select_common_type)
//! and VALUES rows.

use sqlparser::ast::{SetExpr, SetOperator, Spanned};
use sqlparser::tokenizer::Span;

use super::query::Column;
use super::scope::Scope;
use super::{Analyzer, Typed};
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    pub(crate) fn set_expr(
        &mut self,
        body: &SetExpr,
        parent: Option<&Scope>,
    ) -> Result<Vec<Column>, Diagnostic> {
        match body {
            SetExpr::Select(s) => self.select(s, parent, None),
            SetExpr::Query(q) => self.query(q, parent),
            SetExpr::SetOperation {
                op,
                left,
                right,
                set_quantifier,
            } => {
                let l = self.set_expr(left, parent)?;
                let r = self.set_expr(right, parent)?;
                let distinct = !matches!(set_quantifier, sqlparser::ast::SetQuantifier::All);
                let what = match op {
                    SetOperator::Union => "UNION",
                    SetOperator::Intersect => "INTERSECT",
                    SetOperator::Except => "EXCEPT",
                    _ => return Err(self.unsupported(format!("`{op}`"), body.span())),
                };
                let cols = self.merge_set_columns(l, r, what, &|| body.span())?;
                if distinct {
                    self.require_equality(&cols)?;
                }
                Ok(cols)
            }
            SetExpr::Values(values) => self.values(values, parent),
            other => Err(self.unsupported(
                "this query form (data-modifying statements in WITH, TABLE …)",
                other.span(),
            )),
        }
    }

    /// The columns of `a UNION b`: same arity, each pair resolved to a common type.
    pub(crate) fn merge_set_columns(
        &mut self,
        l: Vec<Column>,
        r: Vec<Column>,
        what: &str,
        // Asked for on error only: a set operation's span walks both sides, and chains of
        // them nest to the left.
        span: &dyn Fn() -> Span,
    ) -> Result<Vec<Column>, Diagnostic> {
        if l.len() != r.len() {
            return Err(self
                .error(
                    Code::ColumnCount,
                    format!("each {what} query must have the same number of columns"),
                    span(),
                )
                .with_help(format!(
                    "the left side has {} columns, the right side {}",
                    l.len(),
                    r.len()
                )));
        }
        let mut out = Vec::new();
        for (a, b) in l.into_iter().zip(r) {
            let (t, _) =
                self.common_of_typed(&[a.value.clone(), b.value.clone()], &[a.span, b.span], what)?;
            let nullable = a.value.nullable || b.value.nullable;
            let value = match t {
                Some(t) => Typed::known(t, nullable),
                None => Typed {
                    ty: None,
                    nullable,
                    origin: a.value.origin.clone(),
                },
            };
            out.push(Column {
                name: a.name,
                value,
                span: a.span,
            });
        }
        Ok(out)
    }

    pub(crate) fn values(
        &mut self,
        values: &sqlparser::ast::Values,
        parent: Option<&Scope>,
    ) -> Result<Vec<Column>, Diagnostic> {
        let scope = Scope::new(self.new_scope_id(), parent);
        let width = values.rows.first().map_or(0, |r| r.content.len());
        let mut per_column: Vec<(Vec<Typed>, Vec<Span>)> = vec![(Vec::new(), Vec::new()); width];
        for row in &values.rows {
            let row = &row.content;
            if row.len() != width {
                return Err(self
                    .error(
                        Code::ColumnCount,
                        "VALUES lists must all be the same length",
                        values.span(),
                    )
                    .with_help("give every row the same number of values"));
            }
            for (i, e) in row.iter().enumerate() {
                let t = self.expr(e, &scope)?;
                per_column[i].0.push(t);
                per_column[i].1.push(e.span());
            }
        }
        let mut out = Vec::new();
        for (i, (typed, spans)) in per_column.into_iter().enumerate() {
            let (t, nullable) = self.common_of_typed(&typed, &spans, "VALUES")?;
            let value = match t {
                Some(t) => Typed::known(t, nullable),
                None => typed[0].clone(),
            };
            out.push(Column {
                name: format!("column{}", i + 1),
                value,
                span: spans[0],
            });
        }
        Ok(out)
    }
}
