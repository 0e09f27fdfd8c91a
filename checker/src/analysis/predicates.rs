//! Predicates: null and truth tests, `IS DISTINCT FROM`, `BETWEEN`, `IN` lists and
//! subqueries, pattern matching and `op ANY/ALL (…)`.

use crate::catalog::types::Builtin;
use sqlparser::ast::{BinaryOperator, Expr};
use sqlparser::tokenizer::Span;

use super::expr::{span_of, strip};
use super::ops::{self, array_of, comparable, element_of, ty};
use super::scope::Scope;
use super::spans::query_span;
use super::{Analyzer, Origin, Typed};
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    /// Predicates: `IS [NOT] NULL/TRUE/…`, `IS DISTINCT FROM`, `BETWEEN`, `IN`, the pattern
    /// matches and `op ANY/ALL`.
    pub(crate) fn predicate(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let span = span_of(e);
        match e {
            Expr::IsNull(inner) | Expr::IsNotNull(inner) => {
                let t = self.expr(inner, scope)?;
                if let (None, Origin::Param(_)) = (&t.ty, &t.origin) {
                    // PostgreSQL cannot type `$1 IS NULL` alone.
                }
                Ok(Typed::known(ty(Builtin::Boolean), false))
            }
            Expr::IsTrue(inner)
            | Expr::IsFalse(inner)
            | Expr::IsNotTrue(inner)
            | Expr::IsNotFalse(inner)
            | Expr::IsUnknown(inner)
            | Expr::IsNotUnknown(inner) => {
                self.condition(inner, scope, "IS TRUE")?;
                Ok(Typed::known(ty(Builtin::Boolean), false))
            }
            Expr::IsDistinctFrom(l, r) | Expr::IsNotDistinctFrom(l, r) => {
                self.compare(l, r, scope, "IS DISTINCT FROM")?;
                Ok(Typed::known(ty(Builtin::Boolean), false))
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                let a = self.compare(expr, low, scope, ">=")?;
                let b = self.compare(expr, high, scope, "<=")?;
                Ok(Typed::known(ty(Builtin::Boolean), a.nullable || b.nullable))
            }
            Expr::In { expr, target, .. } => self.in_expr(expr, target, scope, span),
            Expr::Like {
                expr,
                pattern,
                escape_char,
                any,
                negated,
            }
            | Expr::ILike {
                expr,
                pattern,
                escape_char,
                any,
                negated,
            } => {
                // sqlparser reads `LIKE ALL (array)` as a call of a function `all`.
                let all_of = match strip(pattern) {
                    Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("all") => {
                        match &f.args {
                            sqlparser::ast::FunctionArguments::List(l)
                                if l.args.len() == 1 && l.clauses.is_empty() =>
                            {
                                match &l.args[0] {
                                    sqlparser::ast::FunctionArg::Unnamed(
                                        sqlparser::ast::FunctionArgExpr::Expr(e),
                                    ) => Some(e),
                                    _ => None,
                                }
                            }
                            _ => None,
                        }
                    }
                    _ => None,
                };
                if *any || all_of.is_some() {
                    // `a LIKE ANY (array)` is `a ~~ ANY (array)`, ALL alike.
                    if escape_char.is_some() {
                        return Err(self.unsupported("LIKE ANY with ESCAPE", span));
                    }
                    use BinaryOperator as B;
                    let op = match (matches!(e, Expr::Like { .. }), *negated) {
                        (true, false) => B::PGLikeMatch,
                        (true, true) => B::PGNotLikeMatch,
                        (false, false) => B::PGILikeMatch,
                        (false, true) => B::PGNotILikeMatch,
                    };
                    let array = all_of.unwrap_or(strip(pattern));
                    return self.any_all(expr, &op, array, scope, span);
                }
                if let Some(esc) = escape_char {
                    // `ESCAPE c` is `like_escape(pattern, c)`: c is text.
                    let v = self.expr(esc, scope)?;
                    self.coerce(&v, &ty(Builtin::Text), span_of(esc))?;
                }
                let symbol = if matches!(e, Expr::Like { .. }) {
                    "~~"
                } else {
                    "~~*"
                };
                self.operator(expr, symbol, pattern, scope, span)
            }
            Expr::SimilarTo {
                expr,
                pattern,
                escape_char,
                ..
            } => {
                if let Some(esc) = escape_char {
                    let v = self.expr(esc, scope)?;
                    self.coerce(&v, &ty(Builtin::Text), span_of(esc))?;
                }
                // PostgreSQL rewrites `a SIMILAR TO b` as `a ~ similar_to_escape(b)`.
                self.operator(expr, "~", pattern, scope, span)
            }
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            }
            | Expr::AllOp {
                left,
                compare_op,
                right,
            } => self.any_all(left, compare_op, right, scope, span),
            other => Err(self.unsupported(format!("the expression `{other}`"), span)),
        }
    }

    pub(crate) fn in_expr(
        &mut self,
        e: &Expr,
        target: &sqlparser::ast::InTarget,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        use sqlparser::ast::InTarget;
        match target {
            InTarget::List(list) => {
                if matches!(strip(e), Expr::Tuple(_)) {
                    let mut nullable = false;
                    for item in list {
                        nullable |= self.compare(e, item, scope, "=")?.nullable;
                    }
                    return Ok(Typed::known(ty(Builtin::Boolean), nullable));
                }
                let mut all: Vec<&Expr> = vec![e];
                all.extend(list.iter());
                let (t, nullable) = self.common_of(&all, scope, "IN")?;
                if let Some(t) = &t {
                    if !comparable(t) || t.is_enum_domain() {
                        return Err(self
                            .error(
                                Code::TypeMismatch,
                                format!("operator does not exist: {t} = {t}"),
                                span,
                            )
                            .with_help("these values cannot be compared"));
                    }
                }
                Ok(Typed::known(ty(Builtin::Boolean), nullable))
            }
            InTarget::Subquery(q) if matches!(strip(e), Expr::Tuple(_)) => {
                // `(a, b) IN (SELECT x, y …)`: column by column.
                let Expr::Tuple(items) = strip(e) else {
                    unreachable!()
                };
                let cols = self.subquery(q, scope)?;
                if cols.len() != items.len() {
                    let which = if cols.len() > items.len() {
                        "many"
                    } else {
                        "few"
                    };
                    return Err(self
                        .error(
                            Code::ColumnCount,
                            format!("subquery has too {which} columns"),
                            query_span(q),
                        )
                        .with_help(format!(
                            "select {} columns, one per value on the left",
                            items.len()
                        )));
                }
                for (item, c) in items.iter().zip(&cols) {
                    let left = self.expr(item, scope)?;
                    let right = Typed::known(c.ty.clone(), c.nullable);
                    self.unify(&left, &right, span_of(item), query_span(q), "=")?;
                }
                Ok(Typed::known(ty(Builtin::Boolean), true))
            }
            InTarget::Subquery(q) => {
                let left = self.expr(e, scope)?;
                let cols = self.subquery(q, scope)?;
                let [c] = cols.as_slice() else {
                    return Err(self
                        .error(
                            Code::ColumnCount,
                            "subquery has too many columns",
                            query_span(q),
                        )
                        .with_help("select one column in an IN subquery"));
                };
                let right = Typed::known(c.ty.clone(), c.nullable);
                self.unify(&left, &right, span_of(e), query_span(q), "=")?;
                Ok(Typed::known(ty(Builtin::Boolean), true))
            }
            InTarget::Unnest(_) => Err(self.unsupported("IN UNNEST", span)),
            _ => Err(self.unsupported("this IN form", span)),
        }
    }

    pub(crate) fn any_all(
        &mut self,
        l: &Expr,
        op: &BinaryOperator,
        r: &Expr,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let a = self.expr(l, scope)?;
        if let Expr::Subquery(q) = strip(r) {
            let cols = self.subquery(q, scope)?;
            let [c] = cols.as_slice() else {
                return Err(self
                    .error(
                        Code::ColumnCount,
                        "subquery has too many columns",
                        span_of(r),
                    )
                    .with_help("select one column"));
            };
            let right = Typed::known(c.ty.clone(), true);
            self.unify(&a, &right, span_of(l), span_of(r), &op.to_string())?;
            return Ok(Typed::known(ty(Builtin::Boolean), true));
        }
        let b = self.expr(r, scope)?;
        match (&a.ty, &b.ty) {
            (Some(x), None) => {
                let x = ops::operator_input(x);
                self.coerce(&b, &array_of(&x), span_of(r))?;
            }
            (Some(x), Some(y)) => {
                if !y.is_array() {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("op ANY/ALL (array) requires array on right side, found {y}"),
                            span_of(r),
                        )
                        .with_help("pass an array, e.g. `= ANY($1)` with a Vec"));
                }
                let elem = Typed::known(element_of(y).unwrap(), true);
                let x = Typed::known(x.clone(), true);
                self.unify(&x, &elem, span_of(l), span_of(r), &op.to_string())?;
            }
            (None, Some(y)) if y.is_array() => {
                // The operator's input type: `$1 = ANY(varchar_array)` is `text = text`.
                let elem = ops::operator_input(&element_of(y).unwrap());
                self.coerce(&a, &elem, span_of(l))?;
            }
            (None, Some(y)) => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("op ANY/ALL (array) requires array on right side, found {y}"),
                        span_of(r),
                    )
                    .with_help("pass an array"));
            }
            (None, None) => {
                if a.is_error() || b.is_error() {
                    return Ok(Typed::error());
                }
                // Both untyped: text = ANY(text[]), as PostgreSQL resolves it.
                let _ = span;
                self.coerce(&a, &ty(Builtin::Text), span_of(l))?;
                self.coerce(&b, &array_of(&ty(Builtin::Text)), span_of(r))?;
            }
        }
        Ok(Typed::known(ty(Builtin::Boolean), true))
    }
}
