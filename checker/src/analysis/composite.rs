//! Subqueries, arrays, subscripts, row constructors and field selection in expressions.

use crate::catalog::types::Builtin;
use crate::catalog::{ident_name, SqlType};
use sqlparser::ast::{AccessExpr, Expr, Spanned, Subscript};
use sqlparser::tokenizer::Span;

use super::ops::{array_of, element_of, implicit_castable, ty};
use super::scope::Scope;
use super::{Analyzer, Origin, Typed};
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    /// Subqueries and arrays: `EXISTS`, scalar subqueries, `ARRAY[…]`, subscripts.
    pub(crate) fn composite(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let span = super::expr::span_of(e);
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
                let (mut t, rest) = self.access_root(root, access_chain, scope, span)?;
                for access in rest {
                    t = match access {
                        AccessExpr::Subscript(sub) => self.subscript(&t, sub, scope, span)?,
                        AccessExpr::Dot(Expr::Identifier(field)) => {
                            self.field(&t, &ident_name(field), field.span)?
                        }
                        AccessExpr::Dot(other) => {
                            return Err(
                                self.unsupported(format!("the field selection `.{other}`"), span)
                            )
                        }
                    };
                }
                Ok(t)
            }
            Expr::Tuple(items) => self.row_constructor(&items.iter().collect::<Vec<_>>(), scope),
            other => Err(self.unsupported(format!("the expression `{other}`"), span)),
        }
    }
}

impl Analyzer<'_> {
    /// The value an access chain starts from. After a bare name, leading `.name`s qualify it
    /// as a column reference (`t.tags[1]`, `public.t.c`), as PostgreSQL's columnref reads
    /// them up to the first subscript; after a parenthesised value they select fields.
    fn access_root<'e>(
        &mut self,
        root: &Expr,
        chain: &'e [AccessExpr],
        scope: &Scope,
        span: Span,
    ) -> Result<(Typed, &'e [AccessExpr]), Diagnostic> {
        let Expr::Identifier(first) = root else {
            return Ok((self.expr(root, scope)?, chain));
        };
        let dots: Vec<&sqlparser::ast::Ident> = chain
            .iter()
            .map_while(|a| match a {
                AccessExpr::Dot(Expr::Identifier(i)) => Some(i),
                _ => None,
            })
            .collect();
        let qualifiers = match dots.len() {
            0 => 0,
            n if n >= 2 && ident_name(first) == "public" => 2,
            _ => 1,
        };
        let mut parts = vec![first.clone()];
        parts.extend(dots[..qualifiers].iter().map(|i| (*i).clone()));
        let r = self.resolve_column(scope, &parts, span);
        Ok((self.recover(r)?, &chain[qualifiers..]))
    }

    /// `value[i]` and `value[a:b]` on an array.
    fn subscript(
        &mut self,
        t: &Typed,
        sub: &Subscript,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        if t.is_error() {
            return Ok(Typed::error());
        }
        let Some(at) = t.ty.clone() else {
            return Err(self
                .error(
                    Code::ParamType,
                    "cannot subscript a value of unknown type",
                    span,
                )
                .with_help("cast it to an array type"));
        };
        // jsonb and hstore have subscripts of their own: `profile['key']`, `attrs['k']`.
        if at.is(Builtin::Jsonb) || at.is(Builtin::Hstore) {
            let Subscript::Index { index } = sub else {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("{at} subscript does not support slices"),
                        span,
                    )
                    .with_help("use one key or index"));
            };
            let i = self.expr(index, scope)?;
            let key = match &i.ty {
                Some(t) if at.is(Builtin::Jsonb) && t.is_integer() => ty(Builtin::Integer),
                _ => ty(Builtin::Text),
            };
            if i.ty.as_ref().is_some_and(|t| !implicit_castable(t, &key)) {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("subscript type {} is not supported", i.ty.as_ref().unwrap()),
                        index.span(),
                    )
                    .with_help("subscript with text (or an integer for jsonb arrays)"));
            }
            self.coerce(&i, &key, index.span())?;
            let result = if at.is(Builtin::Jsonb) {
                ty(Builtin::Jsonb)
            } else {
                ty(Builtin::Text)
            };
            return Ok(Typed::known(result, true));
        }
        if !at.is_array() {
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
                Ok(Typed::known(element_of(&at).unwrap(), true))
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
                // A slice of a domain over an array is of the array type.
                Ok(Typed::known(at.base_type().clone(), true))
            }
            _ => Err(self.unsupported("array slices with a stride", span)),
        }
    }

    /// `(value).field` on a composite value: the attribute's type, nullable (a field of a
    /// row may be NULL whatever the row).
    fn field(&mut self, t: &Typed, field: &str, span: Span) -> Result<Typed, Diagnostic> {
        if t.is_error() {
            return Ok(Typed::error());
        }
        if let Origin::Row(items) = &t.origin {
            // PostgreSQL names a row constructor's fields f1, f2, …
            let i = field
                .strip_prefix('f')
                .and_then(|n| n.parse::<usize>().ok());
            if let Some(item) = i.and_then(|i| i.checked_sub(1)).and_then(|i| items.get(i)) {
                if item.ty.is_none() && !item.is_error() {
                    // PostgreSQL fails here too ("failed to find conversion function from
                    // unknown to text").
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!("the type of field `{field}` of this row is not known"),
                            span,
                        )
                        .with_help("cast the field, e.g. `ROW(1, 'a'::text)`"));
                }
                return Ok(Typed {
                    nullable: true,
                    ..item.clone()
                });
            }
        }
        let name =
            t.ty.as_ref()
                .filter(|t| !t.array)
                .and_then(SqlType::composite_name);
        let Some(fields) = name.and_then(|n| self.catalog.row_fields(n)) else {
            let found =
                t.ty.as_ref()
                    .map_or("unknown".to_string(), |t| t.to_string());
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("column notation .{field} applied to type {found}, which is not a composite type"),
                    span,
                )
                .with_help("select fields of composite values; cast a record to its composite type first"));
        };
        match fields.iter().find(|(n, _)| n == field) {
            Some((_, ty)) => Ok(Typed::known(ty.clone(), true)),
            None => Err(self.unknown_column_in(
                name.unwrap_or_default(),
                fields.iter().map(|(n, _)| n.as_str()),
                field,
                span,
            )),
        }
    }

    /// `ROW(a, b)` and `(a, b)`: a `record` whose fields keep their own types until the row
    /// is coerced to a composite type.
    pub(crate) fn row_constructor(
        &mut self,
        items: &[&Expr],
        scope: &Scope,
    ) -> Result<Typed, Diagnostic> {
        let mut fields = Vec::with_capacity(items.len());
        for e in items {
            fields.push(self.expr(e, scope)?);
        }
        Ok(Typed {
            ty: Some(ty(Builtin::Record)),
            nullable: false,
            origin: Origin::Row(fields),
        })
    }

    /// A row constructor becoming composite type `target`: one field per attribute, each
    /// converted to the attribute's type by the context's casts (`castable`: implicit in
    /// expressions, assignment in INSERT/UPDATE, explicit in `::`), as PostgreSQL's
    /// coerce_record_to_complex does.
    pub(crate) fn coerce_row(
        &mut self,
        fields: &[Typed],
        target: &SqlType,
        castable: fn(&SqlType, &SqlType) -> bool,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let name = target.composite_name().unwrap_or_default();
        let Some(attributes) = self.catalog.row_fields(name) else {
            return Err(self.unsupported(format!("a row value of type {target}"), span));
        };
        if fields.len() != attributes.len() {
            let which = if fields.len() > attributes.len() {
                "too many"
            } else {
                "too few"
            };
            return Err(self
                .error(
                    Code::ColumnCount,
                    format!(
                        "cannot cast type record to {target}: {which} columns ({} for {})",
                        fields.len(),
                        attributes.len()
                    ),
                    span,
                )
                .with_help(format!("give one value per attribute of `{name}`")));
        }
        for (f, (_, t)) in fields.iter().zip(&attributes) {
            match (&f.origin, &f.ty) {
                (Origin::Row(inner), _) if t.composite_name().is_some() && !t.array => {
                    self.coerce_row(inner, t, castable, span)?
                }
                (Origin::Error, _) => {}
                (_, None) => self.coerce(f, t, span)?,
                (_, Some(from)) if castable(from, t) => {}
                (_, Some(from)) => {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("cannot cast type {from} to {t} in a row of type {target}"),
                            span,
                        )
                        .with_help("cast the field to the attribute's type"))
                }
            }
        }
        Ok(())
    }
}
