//! Casts and typed literals: the types written in the SQL, and whether PostgreSQL has a cast
//! between two of them.

use crate::catalog::types::Builtin;
use sqlparser::ast::{CastKind, DataType, Expr, Spanned, Value};
use sqlparser::tokenizer::Span;

use super::expr::{span_of, strip};
use super::literals::check_literal;
use super::ops::{self, element_of, implicit_castable, plain, ty};
use super::scope::Scope;
use super::{Analyzer, Origin, Typed};
use crate::catalog::types::{self, Category, Serial, TypeError};
use crate::catalog::{CastContext, Catalog, SqlType};
use crate::diagnostic::{Code, Diagnostic};

/// Explicit casts PostgreSQL has between the types we model (`::`).
pub(crate) fn explicit_castable(from: &SqlType, to: &SqlType) -> bool {
    if implicit_castable(from, to) || types::assignment_castable(from, to) {
        return true;
    }
    if from.array && to.array {
        return explicit_castable(&element_of(from).unwrap(), &element_of(to).unwrap());
    }
    if from.array != to.array {
        return false;
    }
    // I/O conversion casts to and from string types exist for every type.
    if ops::is_string(from) || ops::is_string(to) {
        return true;
    }
    use Builtin as B;
    let (Some(f), Some(t)) = (from.as_builtin(), to.as_builtin()) else {
        return false;
    };
    let num = |b: B| b.category() == Category::Numeric;
    matches!((f, t), (B::Integer, B::Boolean) | (B::Boolean, B::Integer))
        || (num(f) && num(t))
        || (f == B::Jsonb && (num(t) || t == B::Boolean))
        || (from.category() == Category::DateTime && to.category() == Category::DateTime)
        || matches!((f, t), (B::Interval, B::Time) | (B::Time, B::Interval))
}

/// Whether PostgreSQL converts `from` to `to` in `context`, with the service's own casts
/// (`CREATE CAST`) as well as the built-in ones, as find_coercion_pathway looks them up:
/// domains as their base types, arrays element by element.
pub(crate) fn castable(cat: &Catalog, from: &SqlType, to: &SqlType, context: CastContext) -> bool {
    let builtin = match context {
        CastContext::Implicit => implicit_castable(from, to),
        CastContext::Assignment => {
            implicit_castable(from, to) || types::assignment_castable(from, to)
        }
        CastContext::Explicit => explicit_castable(from, to),
    };
    builtin || (!cat.casts.is_empty() && user_castable(cat, from, to, context))
}

fn user_castable(cat: &Catalog, from: &SqlType, to: &SqlType, context: CastContext) -> bool {
    let (from, to) = (from.base_type(), to.base_type());
    if cat
        .user_cast(from, to)
        .is_some_and(|c| c.context <= context)
    {
        return true;
    }
    from.array
        && to.array
        && castable(
            cat,
            &element_of(from).unwrap(),
            &element_of(to).unwrap(),
            context,
        )
}

impl Analyzer<'_> {
    /// [`castable`] with this query's catalog.
    pub(crate) fn castable(&self, from: &SqlType, to: &SqlType, context: CastContext) -> bool {
        castable(self.catalog, from, to, context)
    }

    /// Resolves a type written in the query (casts, `DATE '…'`).
    pub fn data_type(&self, dt: &DataType, span: Span) -> Result<SqlType, Diagnostic> {
        match types::resolve(dt, &|n| self.catalog.user_type(n), &|e| {
            self.catalog.has_extension(e)
        }) {
            Ok((t, Serial::No)) => {
                if let Some(rule) = crate::policies::cockroach::type_rule(&t) {
                    if let Some(e) =
                        self.crdb_error(rule, &format!("type `{}`", t.base_name()), span)
                    {
                        return Err(e);
                    }
                }
                Ok(t)
            }
            Ok((_, Serial::Yes)) => Err(self
                .error(
                    Code::UnknownType,
                    format!("type `{dt}` does not exist"),
                    span,
                )
                .with_help("serial is only a column shorthand; use integer or bigint")),
            Err(TypeError::Unknown(n)) if self.env.foreign.contains_key(&n) => {
                Err(self.foreign("type", &n, span).unwrap())
            }
            Err(TypeError::Unknown(n)) => Err(self
                .error(Code::UnknownType, format!("unknown type `{n}`"), span)
                .with_help(crate::suggest::did_you_mean(
                    &n,
                    types::known_type_names()
                        .map(|s| s.to_string())
                        .chain(self.catalog.enums.iter().map(|e| e.name.clone()))
                        .chain(self.catalog.composites.iter().map(|c| c.name.clone()))
                        .collect::<Vec<_>>()
                        .iter()
                        .map(String::as_str),
                    || "use a PostgreSQL type or one of the service's enums".to_string(),
                ))),
            Err(TypeError::Invalid(w)) => Err(self
                .error(Code::UnknownType, format!("invalid type {w}"), span)
                .with_help("write the type as PostgreSQL spells it")),
            Err(TypeError::NeedsExtension { ty, extension }) => Err(self
                .error(
                    Code::UnknownType,
                    format!("type `{ty}` needs the `{extension}` extension"),
                    span,
                )
                .with_help(format!(
                    "create the extension in a migration: CREATE EXTENSION {extension}"
                ))),
        }
    }

    /// Typed literals (`DATE '…'`, `INTERVAL '…'`) and casts: where a value gets its type
    /// from the SQL.
    pub(crate) fn typed_value(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let span = span_of(e);
        match e {
            Expr::TypedString(ts) => {
                let t = self.data_type(&ts.data_type, span)?;
                let text = match &ts.value.value {
                    Value::SingleQuotedString(s) => s.clone(),
                    other => return Err(self.unsupported(format!("typed literal `{other}`"), span)),
                };
                check_literal(self.catalog, &t, &text).map_err(|err| {
                    self.error(Code::InvalidLiteral, err.message, span)
                        .with_help(err.help)
                })?;
                Ok(Typed::known(t, false))
            }
            Expr::Interval(iv) => {
                if iv.leading_field.is_some() || iv.last_field.is_some() {
                    return Err(self.unsupported("INTERVAL with field qualifiers", span));
                }
                match iv.value.as_ref() {
                    Expr::Value(v) => match &v.value {
                        Value::SingleQuotedString(s) => {
                            check_literal(self.catalog, &ty(Builtin::Interval), s).map_err(
                                |err| {
                                    self.error(Code::InvalidLiteral, err.message, span)
                                        .with_help(err.help)
                                },
                            )?;
                            Ok(Typed::known(ty(Builtin::Interval), false))
                        }
                        _ => Err(self.unsupported("this INTERVAL literal", span)),
                    },
                    _ => Err(self.unsupported("this INTERVAL literal", span)),
                }
            }
            Expr::Cast {
                kind,
                expr,
                data_type,
                ..
            } => {
                if !matches!(kind, CastKind::Cast | CastKind::DoubleColon) {
                    return Err(self.unsupported(format!("`{kind:?}`"), span));
                }
                let target = self.data_type(data_type, span)?;
                // `ARRAY[]::text[]`: an empty array takes its type from an array cast, as
                // PostgreSQL's transformArrayExpr does.
                if let Expr::Array(arr) = strip(expr) {
                    if arr.elem.is_empty() && target.array {
                        return Ok(Typed::known(plain(&target), false));
                    }
                    // `ARRAY[$1, $2]::int[]`: PostgreSQL casts each element to the element
                    // type (transformArrayExpr with the cast's type), so `$n` become integers.
                    if target.array && !arr.elem.iter().any(|e| matches!(strip(e), Expr::Array(_)))
                    {
                        let element = element_of(&target).expect("an array type");
                        for e in &arr.elem {
                            let v = self.expr(e, scope)?;
                            match (&v.ty, &v.origin) {
                                (None, Origin::Param(i)) => self.set_param(*i, &element, e.span())?,
                                (None, Origin::Literal(text)) => check_literal(self.catalog, &element, text)
                                    .map_err(|err| self.error(Code::InvalidLiteral, err.message, e.span()).with_help(err.help))?,
                                (Some(from), _) if !self.castable(from, &element, CastContext::Explicit) => {
                                    return Err(self
                                        .error(Code::TypeMismatch, format!("cannot cast type {from} to {element}"), e.span())
                                        .with_help("no such cast exists in PostgreSQL; convert through text or a function"))
                                }
                                _ => {}
                            }
                        }
                        return Ok(Typed::known(plain(&target), false));
                    }
                }
                let v = self.expr(expr, scope)?;
                // A cast fixes the type on both databases: the inner value's divergence
                // (integer `/`, `sum` of integers) no longer reaches the result.
                let inner = span_of(strip(expr));
                self.divergent.retain(|(s, _)| *s != inner);
                match (&v.ty, &v.origin) {
                    (_, Origin::Row(fields))
                        if target.composite_name().is_some() && !target.array =>
                    {
                        self.coerce_row(fields, &target, explicit_castable, span_of(expr))?
                    }
                    (None, Origin::Param(i)) => self.set_param(*i, &target, span_of(expr))?,
                    (None, Origin::Literal(text)) => check_literal(self.catalog, &target, text)
                        .map_err(|err| {
                            self.error(Code::InvalidLiteral, err.message, span_of(expr))
                                .with_help(err.help)
                        })?,
                    (Some(from), _) if !self.castable(from, &target, CastContext::Explicit) => return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("cannot cast type {from} to {target}"),
                            span,
                        )
                        .with_help(
                            "no such cast exists in PostgreSQL; convert through text or a function",
                        )),
                    _ => {}
                }
                Ok(Typed {
                    ty: Some(plain(&target)),
                    nullable: v.nullable,
                    origin: Origin::Value,
                })
            }
            other => Err(self.unsupported(format!("the expression `{other}`"), span)),
        }
    }
}
