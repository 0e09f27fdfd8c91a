//! SQL-standard syntax for functions: `EXTRACT`, `CEIL`/`FLOOR`, `POSITION`, `SUBSTRING`,
//! `TRIM` and `AT TIME ZONE`, each resolved as the function PostgreSQL calls for it.

use crate::catalog::types::Builtin;
use sqlparser::ast::{CeilFloorKind, Expr, Spanned, TrimWhereField};
use sqlparser::tokenizer::Span;

use super::ops::ty;
use super::scope::Scope;
use super::{Analyzer, Typed};
use crate::catalog::SqlType;
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    /// SQL-standard syntax for functions (`EXTRACT(f FROM x)`, `TRIM(LEADING …)`, `x AT TIME ZONE z`):
    /// each becomes the function PostgreSQL calls for it.
    pub(crate) fn special_function(
        &mut self,
        e: &Expr,
        scope: &Scope,
    ) -> Result<Typed, Diagnostic> {
        let span = super::expr::span_of(e);
        match e {
            Expr::Extract { expr, .. } => self.extract(expr, scope, span),
            Expr::Ceil { expr, field } | Expr::Floor { expr, field } => {
                if !matches!(
                    field,
                    CeilFloorKind::DateTimeField(sqlparser::ast::DateTimeField::NoDateTime)
                ) {
                    return Err(self.unsupported("CEIL/FLOOR with a field", span));
                }
                let name = if matches!(e, Expr::Ceil { .. }) {
                    "ceil"
                } else {
                    "floor"
                };
                let a = self.expr(expr, scope)?;
                let t = self.call_function(name, &[a], &[expr.span()], span)?;
                Ok(t)
            }
            // `OVERLAY(s PLACING t FROM n [FOR m])`: pg_proc's `overlay`.
            Expr::Overlay {
                expr,
                overlay_what,
                overlay_from,
                overlay_for,
            } => {
                let parts = [
                    Some(expr),
                    Some(overlay_what),
                    Some(overlay_from),
                    overlay_for.as_ref(),
                ];
                let mut args = Vec::new();
                let mut spans = Vec::new();
                for part in parts.into_iter().flatten() {
                    args.push(self.expr(part, scope)?);
                    spans.push(part.span());
                }
                self.call_function("overlay", &args, &spans, span)
            }
            Expr::Position { expr, r#in } => {
                let a = self.expr(expr, scope)?;
                let b = self.expr(r#in, scope)?;
                let t = self.call_function("strpos", &[b, a], &[r#in.span(), expr.span()], span)?;
                Ok(t)
            }
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                shorthand,
                ..
            } => self.substring(
                expr,
                [substring_from, substring_for],
                *shorthand,
                scope,
                span,
            ),
            Expr::Trim {
                trim_where,
                trim_what,
                expr,
                trim_characters,
            } => self.trim(
                trim_where.as_ref(),
                trim_what.as_deref(),
                expr,
                trim_characters.is_some(),
                scope,
                span,
            ),
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => self.at_time_zone(timestamp, time_zone, scope, span),
            other => Err(self.unsupported(format!("the expression `{other}`"), span)),
        }
    }

    /// `EXTRACT(field FROM x)`: numeric, for dates, times, timestamps and intervals.
    fn extract(&mut self, expr: &Expr, scope: &Scope, span: Span) -> Result<Typed, Diagnostic> {
        let t = self.expr(expr, scope)?;
        match &t.ty {
            Some(x)
                if matches!(
                    x.as_builtin(),
                    Some(
                        Builtin::Date
                            | Builtin::Timestamp
                            | Builtin::Timestamptz
                            | Builtin::Interval
                            | Builtin::Time
                            | Builtin::TimeTz
                    )
                ) =>
            {
                Ok(Typed::known(ty(Builtin::Numeric), t.nullable))
            }
            Some(x) => Err(self
                .error(
                    Code::TypeMismatch,
                    format!("function extract(unknown, {x}) does not exist"),
                    span,
                )
                .with_help("extract works on dates, times, timestamps and intervals")),
            None if t.is_error() => Ok(t),
            // date, time, timestamp(tz) and interval all take it: PostgreSQL cannot
            // choose for an untyped value.
            None => Err(self
                .error(
                    Code::ParamType,
                    "function extract(unknown, unknown) is not unique",
                    expr.span(),
                )
                .with_help("cast the value, e.g. `$1::timestamptz` or `'2024-01-31'::date`")),
        }
    }

    /// `SUBSTRING(x FROM a FOR b)` and `SUBSTR(x, a, b)`.
    fn substring(
        &mut self,
        expr: &Expr,
        bounds: [&Option<Box<Expr>>; 2],
        shorthand: bool,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let mut args = vec![self.expr(expr, scope)?];
        let mut spans = vec![expr.span()];
        for x in bounds.into_iter().flatten() {
            args.push(self.expr(x, scope)?);
            spans.push(x.span());
        }
        // `substr(…)` has only the positional forms; `substring(x, pattern)` and
        // `substring(x FROM pattern)` also the regular-expression ones.
        let name = if shorthand { "substr" } else { "substring" };
        let t = self.call_function(name, &args, &spans, span)?;
        Ok(t)
    }

    /// `TRIM([LEADING | TRAILING | BOTH] [what FROM] x)`: `ltrim`, `rtrim` or `btrim`.
    fn trim(
        &mut self,
        trim_where: Option<&TrimWhereField>,
        trim_what: Option<&Expr>,
        expr: &Expr,
        has_characters: bool,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        if has_characters {
            return Err(self.unsupported("TRIM with a character list", span));
        }
        let name = match trim_where {
            Some(TrimWhereField::Leading) => "ltrim",
            Some(TrimWhereField::Trailing) => "rtrim",
            _ => "btrim",
        };
        let mut args = vec![self.expr(expr, scope)?];
        let mut spans = vec![expr.span()];
        if let Some(w) = trim_what {
            args.push(self.expr(w, scope)?);
            spans.push(w.span());
        }
        let t = self.call_function(name, &args, &spans, span)?;
        Ok(t)
    }

    /// `x AT TIME ZONE z`: timestamptz becomes timestamp and the other way round.
    fn at_time_zone(
        &mut self,
        timestamp: &Expr,
        time_zone: &Expr,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let t = self.expr(timestamp, scope)?;
        let z = self.expr(time_zone, scope)?;
        self.coerce(&z, &ty(Builtin::Text), time_zone.span())?;
        let out = match t.ty.as_ref().and_then(SqlType::as_builtin) {
            Some(Builtin::Timestamptz) => ty(Builtin::Timestamp),
            Some(Builtin::Timestamp) => ty(Builtin::Timestamptz),
            _ => {
                return Err(self
                    .error(Code::TypeMismatch, "AT TIME ZONE needs a timestamp", span)
                    .with_help("apply it to a timestamp or timestamptz value"))
            }
        };
        Ok(Typed::known(out, t.nullable || z.nullable))
    }
}
