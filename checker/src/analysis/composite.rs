//! Subqueries, arrays and subscripts in expressions.

use crate::catalog::types::Builtin;
use sqlparser::ast::{AccessExpr, Expr, Spanned, Subscript};

use super::ops::{array_of, element_of, ty};
use super::scope::Scope;
use super::{Analyzer, Typed};
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    /// Subqueries and arrays: `EXISTS`, scalar subqueries, `ARRAY[…]`, subscripts.
    pub(crate) fn composite(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let span = e.span();
        match e {
            Expr::Exists { subquery, .. } => {
                self.subquery(subquery, scope)?;
                Ok(Typed::known(ty(Builtin::Boolean), false))
            }
            Expr::Subquery(q) => {
                let cols = self.subquery(q, scope)?;
                match cols.as_slice() {
                    [c] => Ok(Typed::known(c.ty.clone(), true)),
                    _ => Err(self
                        .error(
                            Code::ColumnCount,
                            "subquery must return only one column",
                            span,
                        )
                        .with_help("select exactly one column in a scalar subquery")),
                }
            }
            Expr::Array(arr) => {
                if arr.elem.is_empty() {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            "cannot determine type of empty array",
                            span,
                        )
                        .with_help("cast it, e.g. `ARRAY[]::text[]`, or use `'{}'`"));
                }
                let (t, _) =
                    self.common_of(&arr.elem.iter().collect::<Vec<_>>(), scope, "ARRAY")?;
                match t {
                    Some(t) if t.array => Err(self.unsupported("multi-dimensional arrays", span)),
                    Some(t) => Ok(Typed::known(array_of(&t), false)),
                    None => Err(self
                        .error(
                            Code::ParamType,
                            "could not determine the element type of ARRAY[…]",
                            span,
                        )
                        .with_help("cast an element, e.g. `ARRAY[$1::text]`")),
                }
            }
            Expr::CompoundFieldAccess { root, access_chain } => {
                let mut t = self.expr(root, scope)?;
                for access in access_chain {
                    let AccessExpr::Subscript(sub) = access else {
                        return Err(self.unsupported("field access on a composite value", span));
                    };
                    let Some(at) = t.ty.clone() else {
                        return Err(self
                            .error(
                                Code::ParamType,
                                "cannot subscript a value of unknown type",
                                span,
                            )
                            .with_help("cast it to an array type"));
                    };
                    if !at.array {
                        return Err(self
                            .error(
                                Code::TypeMismatch,
                                format!("cannot subscript type {at} because it is not an array"),
                                span,
                            )
                            .with_help(if at.base_name() == "jsonb" {
                                "use `->` or `->>` on jsonb"
                            } else {
                                "subscripts apply to arrays"
                            }));
                    }
                    match sub {
                        Subscript::Index { index } => {
                            let i = self.expr(index, scope)?;
                            self.coerce(&i, &ty(Builtin::Integer), index.span())?;
                            t = Typed::known(element_of(&at).unwrap(), true);
                        }
                        Subscript::Slice {
                            lower_bound,
                            upper_bound,
                            stride: None,
                        } => {
                            for b in [lower_bound, upper_bound].into_iter().flatten() {
                                let i = self.expr(b, scope)?;
                                self.coerce(&i, &ty(Builtin::Integer), b.span())?;
                            }
                            t = Typed::known(at, true);
                        }
                        _ => return Err(self.unsupported("array slices with a stride", span)),
                    }
                }
                Ok(t)
            }
            other => Err(self.unsupported(format!("the expression `{other}`"), span)),
        }
    }
}
