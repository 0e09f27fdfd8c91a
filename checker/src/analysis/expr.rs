//! Typing expressions: operators, casts, literals, parameters, CASE, subqueries, function
//! calls — with PostgreSQL's result types and nullability.

use crate::catalog::types::Builtin;
use crate::policies::cockroach::CrdbRule;
use sqlparser::ast::{
    AccessExpr, BinaryOperator, CastKind, CeilFloorKind, DataType, Expr, FunctionArg,
    FunctionArgExpr, FunctionArgumentClause, FunctionArguments, Spanned, Subscript, TrimWhereField,
    UnaryOperator, Value,
};
use sqlparser::tokenizer::Span;

use super::literals::check_literal;
use super::ops::{
    self, array_of, common_type, comparable, element_of, implicit_castable, plain, ty,
};
use super::scope::Scope;
use super::{Analyzer, Origin, Typed};
use crate::builtins::functions::{self, Kind};
use crate::catalog::types::{self, Category, Serial, TypeError};
use crate::catalog::SqlType;
use crate::diagnostic::{Code, Diagnostic};

/// Explicit casts PostgreSQL has between the types we model (`::`).
fn explicit_castable(from: &SqlType, to: &SqlType) -> bool {
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

fn number_type(text: &str) -> SqlType {
    if text.contains(['.', 'e', 'E']) {
        ty(Builtin::Numeric)
    } else if text.parse::<i32>().is_ok() {
        ty(Builtin::Integer)
    } else if text.parse::<i64>().is_ok() {
        ty(Builtin::BigInt)
    } else {
        ty(Builtin::Numeric)
    }
}

fn is_untyped(t: &Typed) -> bool {
    t.ty.is_none() && !t.is_error()
}

impl Analyzer<'_> {
    /// Resolves a type written in the query (casts, `DATE '…'`).
    pub fn data_type(&self, dt: &DataType, span: Span) -> Result<SqlType, Diagnostic> {
        match types::resolve(dt, &|n| self.catalog.enum_type(n).is_some(), &|e| {
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

    /// Makes an untyped value (literal, NULL, parameter) take `target`, or checks that a typed
    /// one converts to it implicitly.
    pub fn coerce(&mut self, v: &Typed, target: &SqlType, span: Span) -> Result<(), Diagnostic> {
        match &v.origin {
            Origin::Error | Origin::Null => Ok(()),
            Origin::Param(i) if v.ty.is_none() => self.set_param(*i, target, span),
            Origin::Literal(text) => {
                // A bad literal does not stop the analysis: report it and go on, so one
                // build shows every error of the query.
                if let Err(e) = check_literal(self.catalog, target, text) {
                    let d = self
                        .error(Code::InvalidLiteral, e.message, span)
                        .with_help(e.help);
                    self.diagnostics.push(d);
                }
                Ok(())
            }
            _ => match &v.ty {
                Some(t) if implicit_castable(t, target) => Ok(()),
                Some(t) => Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("expected {target}, found {t}"),
                        span,
                    )
                    .with_help(format!(
                        "cast explicitly if this is intended: `::{}`",
                        target.with_modifiers()
                    ))),
                None => Ok(()),
            },
        }
    }

    /// Name errors are reported and analysis goes on with an error value, which stays
    /// silent wherever it flows: one build shows every unknown or ambiguous column.
    fn recover(&mut self, r: Result<Typed, Diagnostic>) -> Result<Typed, Diagnostic> {
        match r {
            Err(d) if matches!(d.code, Code::UnknownColumn | Code::AmbiguousColumn) => {
                self.diagnostics.push(d);
                Ok(Typed::error())
            }
            other => other,
        }
    }

    /// An untyped value left without context: literals and NULL become text, as in
    /// PostgreSQL's result columns; parameters stay undecided (an error later).
    pub fn settle(&mut self, v: Typed) -> Typed {
        match (&v.ty, &v.origin) {
            (None, Origin::Literal(_) | Origin::Null) => Typed {
                ty: Some(ty(Builtin::Text)),
                ..v
            },
            (None, Origin::Param(i)) => {
                // An untyped parameter as a result column resolves as text.
                let i = *i;
                let _ = self.set_param(i, &ty(Builtin::Text), Span::empty());
                Typed {
                    ty: self.params[i].clone(),
                    ..v
                }
            }
            _ => v,
        }
    }

    /// Two values that must have one type (comparison operands): returns that type.
    pub fn unify(
        &mut self,
        l: &Typed,
        r: &Typed,
        ls: Span,
        rs: Span,
        what: &str,
    ) -> Result<Option<SqlType>, Diagnostic> {
        if l.is_error() || r.is_error() {
            return Ok(None);
        }
        match (&l.ty, &r.ty) {
            (Some(a), Some(b)) => match common_type(a, b) {
                Some(t) => Ok(Some(t)),
                None => Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("operator does not exist: {a} {what} {b}"),
                        ls.union(&rs),
                    )
                    .with_help("compare values of the same type, or cast one side explicitly")),
            },
            (Some(a), None) => {
                let a = ops::operator_input(a);
                self.coerce(r, &a, rs)?;
                Ok(Some(a))
            }
            (None, Some(b)) => {
                let b = ops::operator_input(b);
                self.coerce(l, &b, ls)?;
                Ok(Some(b))
            }
            (None, None) => {
                // 'a' = 'b' compares as text, and so do two untyped parameters.
                let text = ty(Builtin::Text);
                self.coerce(l, &text, ls)?;
                self.coerce(r, &text, rs)?;
                Ok(Some(text))
            }
        }
    }

    fn compare(
        &mut self,
        l: &Expr,
        r: &Expr,
        scope: &Scope,
        op: &str,
    ) -> Result<Typed, Diagnostic> {
        if let (Expr::Tuple(a), Expr::Tuple(b)) = (strip(l), strip(r)) {
            if a.len() != b.len() {
                return Err(self
                    .error(
                        Code::ColumnCount,
                        "unequal number of entries in row expressions",
                        l.span().union(&r.span()),
                    )
                    .with_help("compare rows of the same length"));
            }
            let mut nullable = false;
            for (x, y) in a.iter().zip(b) {
                let t = self.compare(x, y, scope, op)?;
                nullable |= t.nullable;
            }
            return Ok(Typed::known(ty(Builtin::Boolean), nullable));
        }
        let lt = self.expr(l, scope)?;
        let rt = self.expr(r, scope)?;
        let common = self.unify(&lt, &rt, l.span(), r.span(), op)?;
        if let Some(t) = &common {
            if !comparable(t) {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("operator does not exist: {t} {op} {t}"),
                        l.span().union(&r.span()),
                    )
                    .with_help(if t.base_name() == "json" {
                        "json has no comparison operators; use jsonb"
                    } else {
                        "these values cannot be compared"
                    }));
            }
        }
        Ok(Typed::known(
            ty(Builtin::Boolean),
            lt.nullable || rt.nullable,
        ))
    }

    /// A condition (WHERE, ON, HAVING, CASE WHEN, AND/OR operand): must be boolean.
    pub fn condition(&mut self, e: &Expr, scope: &Scope, what: &str) -> Result<Typed, Diagnostic> {
        let t = self.expr(e, scope)?;
        if is_untyped(&t) {
            self.coerce(&t, &ty(Builtin::Boolean), e.span())?;
        } else if let Some(found) = &t.ty {
            if !found.is(Builtin::Boolean) {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("argument of {what} must be type boolean, not type {found}"),
                        e.span(),
                    )
                    .with_help("write a comparison, e.g. `col = $1`"));
            }
        }
        Ok(Typed::known(ty(Builtin::Boolean), t.nullable))
    }

    pub fn expr(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let span = e.span();
        match e {
            Expr::Identifier(i) => {
                let r = self.resolve_column(scope, std::slice::from_ref(i), span);
                self.recover(r)
            }
            Expr::CompoundIdentifier(parts) => {
                let r = self.resolve_column(scope, parts, span);
                self.recover(r)
            }
            Expr::Nested(inner) => self.expr(inner, scope),
            Expr::Value(v) => self.value(&v.value, v.span),
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
                let v = self.expr(expr, scope)?;
                // A cast fixes the type on both databases: the inner value's divergence
                // (integer `/`, `sum` of integers) no longer reaches the result.
                let inner = strip(expr).span();
                self.divergent.retain(|(s, _)| *s != inner);
                match (&v.ty, &v.origin) {
                    (None, Origin::Param(i)) => self.set_param(*i, &target, expr.span())?,
                    (None, Origin::Literal(text)) => check_literal(self.catalog, &target, text)
                        .map_err(|err| {
                            self.error(Code::InvalidLiteral, err.message, expr.span())
                                .with_help(err.help)
                        })?,
                    (Some(from), _) if !explicit_castable(from, &target) => return Err(self
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
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right, scope, span),
            Expr::UnaryOp { op, expr } => {
                match op {
                    UnaryOperator::Not => {
                        let t = self.condition(expr, scope, "NOT")?;
                        Ok(t)
                    }
                    UnaryOperator::Minus | UnaryOperator::Plus => {
                        // `-1` is a negative number literal.
                        if let Expr::Value(v) = expr.as_ref() {
                            if let Value::Number(n, _) = &v.value {
                                return Ok(Typed::known(number_type(&format!("-{n}")), false));
                            }
                        }
                        let t = self.expr(expr, scope)?;
                        match &t.ty {
                            Some(x)
                                if ops::numeric_rank(x).is_some() || x.is(Builtin::Interval) =>
                            {
                                Ok(Typed::known(plain(x), t.nullable))
                            }
                            Some(x) => Err(self
                                .error(
                                    Code::TypeMismatch,
                                    format!("operator does not exist: {op} {x}"),
                                    span,
                                )
                                .with_help("negate a number or an interval")),
                            None if t.is_error() => Ok(t),
                            None => Err(self
                                .error(
                                    Code::ParamType,
                                    "could not determine the type of the operand",
                                    span,
                                )
                                .with_help("add a cast, e.g. `$1::numeric`")),
                        }
                    }
                    other => Err(self.unsupported(format!("the operator `{other}`"), span)),
                }
            }
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
                ..
            }
            | Expr::ILike {
                expr,
                pattern,
                escape_char,
                any,
                ..
            } => {
                if *any {
                    return Err(self.unsupported("LIKE ANY", span));
                }
                if let Some(esc) = escape_char {
                    // `ESCAPE c` is `like_escape(pattern, c)`: c is text.
                    let v = self.expr(esc, scope)?;
                    self.coerce(&v, &ty(Builtin::Text), esc.span())?;
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
                    self.coerce(&v, &ty(Builtin::Text), esc.span())?;
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
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => self.case(
                operand.as_deref(),
                conditions,
                else_result.as_deref(),
                scope,
                span,
            ),
            Expr::Function(f) => self.function(f, scope, span),
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
            Expr::Extract { expr, .. } => {
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
                        .with_help(
                            "cast the value, e.g. `$1::timestamptz` or `'2024-01-31'::date`",
                        )),
                }
            }
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
                let (t, _) = self.call_function(name, &[a], &[expr.span()], span)?;
                Ok(t)
            }
            Expr::Position { expr, r#in } => {
                let a = self.expr(expr, scope)?;
                let b = self.expr(r#in, scope)?;
                let (t, _) =
                    self.call_function("strpos", &[b, a], &[r#in.span(), expr.span()], span)?;
                Ok(t)
            }
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                special,
                shorthand,
            } => {
                let mut args = vec![self.expr(expr, scope)?];
                let mut spans = vec![expr.span()];
                for x in [substring_from, substring_for].into_iter().flatten() {
                    args.push(self.expr(x, scope)?);
                    spans.push(x.span());
                }
                // `substr(…)` has only the positional forms; `substring(x, pattern)` and
                // `substring(x FROM pattern)` also the regular-expression ones.
                let _ = special;
                let name = if *shorthand { "substr" } else { "substring" };
                let (t, _) = self.call_function(name, &args, &spans, span)?;
                Ok(t)
            }
            Expr::Trim {
                trim_where,
                trim_what,
                expr,
                trim_characters,
            } => {
                if trim_characters.is_some() {
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
                let (t, _) = self.call_function(name, &args, &spans, span)?;
                Ok(t)
            }
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => {
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
            Expr::Collate { expr, .. } => self.expr(expr, scope),
            Expr::Tuple(_) => Err(self.unsupported("row constructors outside comparisons", span)),
            Expr::Wildcard(_) | Expr::QualifiedWildcard(..) => Err(self
                .error(Code::InvalidQuery, "`*` is not allowed here", span)
                .with_help("name the columns")),
            other => Err(self.unsupported(format!("the expression `{other}`"), span)),
        }
    }

    fn value(&mut self, v: &Value, span: Span) -> Result<Typed, Diagnostic> {
        Ok(match v {
            Value::Number(n, _) => Typed::known(number_type(n), false),
            Value::SingleQuotedString(s) | Value::EscapedStringLiteral(s) => Typed {
                ty: None,
                nullable: false,
                origin: Origin::Literal(s.clone()),
            },
            Value::DollarQuotedString(d) => Typed {
                ty: None,
                nullable: false,
                origin: Origin::Literal(d.value.clone()),
            },
            Value::Boolean(_) => Typed::known(ty(Builtin::Boolean), false),
            Value::Null => Typed {
                ty: None,
                nullable: true,
                origin: Origin::Null,
            },
            Value::Placeholder(p) => {
                let Some(n) = p
                    .strip_prefix('$')
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|n| *n >= 1)
                else {
                    return Err(self
                        .error(
                            Code::SyntaxError,
                            format!("unknown placeholder `{p}`"),
                            span,
                        )
                        .with_help("use numbered parameters $1, $2, …"));
                };
                self.note_param(n - 1, span);
                if self.params[n - 1].is_none() {
                    self.untyped_refs[n - 1] += 1;
                }
                Typed {
                    ty: self.params[n - 1].clone(),
                    nullable: true,
                    origin: Origin::Param(n - 1),
                }
            }
            other => return Err(self.unsupported(format!("the literal `{other}`"), span)),
        })
    }

    fn binary(
        &mut self,
        l: &Expr,
        op: &BinaryOperator,
        r: &Expr,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        use BinaryOperator as B;
        match op {
            B::And | B::Or => {
                let name = if *op == B::And { "AND" } else { "OR" };
                let a = self.condition(l, scope, name)?;
                let b = self.condition(r, scope, name)?;
                Ok(Typed::known(ty(Builtin::Boolean), a.nullable || b.nullable))
            }
            B::Eq => self.compare(l, r, scope, "="),
            B::NotEq => self.compare(l, r, scope, "<>"),
            B::Lt => self.compare(l, r, scope, "<"),
            B::Gt => self.compare(l, r, scope, ">"),
            B::LtEq => self.compare(l, r, scope, "<="),
            B::GtEq => self.compare(l, r, scope, ">="),
            B::AtAt => Err(self
                .crdb_error(CrdbRule::FullTextSearch, "the `@@` operator", span)
                .unwrap_or_else(|| self.unsupported("full-text search (`@@`)", span))),
            other => match ops::operator_symbol(other) {
                Some(symbol) => self.operator(l, symbol, r, scope, span),
                None => Err(self.unsupported(format!("the operator `{other}`"), span)),
            },
        }
    }

    /// An operator of the operator table: both operands analysed, then resolved as
    /// PostgreSQL resolves it.
    fn operator(
        &mut self,
        l: &Expr,
        symbol: &'static str,
        r: &Expr,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let a = self.expr(l, scope)?;
        let b = self.expr(r, scope)?;
        if a.is_error() || b.is_error() {
            return Ok(Typed::error());
        }
        let both_integer = [&a, &b]
            .iter()
            .all(|t| t.ty.as_ref().is_some_and(SqlType::is_integer));
        let (result, _) = self.call_operator(symbol, [(&a, l.span()), (&b, r.span())], span)?;
        // Integer division truncates on PostgreSQL and gives a decimal on CockroachDB.
        if symbol == "/" && both_integer {
            self.divergent.push((span, CrdbRule::IntegerDivision));
        }
        Ok(result)
    }

    fn in_expr(
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
                    if !comparable(t) {
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
                            q.span(),
                        )
                        .with_help(format!(
                            "select {} columns, one per value on the left",
                            items.len()
                        )));
                }
                for (item, c) in items.iter().zip(&cols) {
                    let left = self.expr(item, scope)?;
                    let right = Typed::known(c.ty.clone(), c.nullable);
                    self.unify(&left, &right, item.span(), q.span(), "=")?;
                }
                Ok(Typed::known(ty(Builtin::Boolean), true))
            }
            InTarget::Subquery(q) => {
                let left = self.expr(e, scope)?;
                let cols = self.subquery(q, scope)?;
                let [c] = cols.as_slice() else {
                    return Err(self
                        .error(Code::ColumnCount, "subquery has too many columns", q.span())
                        .with_help("select one column in an IN subquery"));
                };
                let right = Typed::known(c.ty.clone(), c.nullable);
                self.unify(&left, &right, e.span(), q.span(), "=")?;
                Ok(Typed::known(ty(Builtin::Boolean), true))
            }
            InTarget::Unnest(_) => Err(self.unsupported("IN UNNEST", span)),
            _ => Err(self.unsupported("this IN form", span)),
        }
    }

    fn any_all(
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
                    .error(Code::ColumnCount, "subquery has too many columns", r.span())
                    .with_help("select one column"));
            };
            let right = Typed::known(c.ty.clone(), true);
            self.unify(&a, &right, l.span(), r.span(), &op.to_string())?;
            return Ok(Typed::known(ty(Builtin::Boolean), true));
        }
        let b = self.expr(r, scope)?;
        match (&a.ty, &b.ty) {
            (Some(x), None) => {
                let x = ops::operator_input(x);
                self.coerce(&b, &array_of(&x), r.span())?;
            }
            (Some(x), Some(y)) => {
                if !y.array {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("op ANY/ALL (array) requires array on right side, found {y}"),
                            r.span(),
                        )
                        .with_help("pass an array, e.g. `= ANY($1)` with a Vec"));
                }
                let elem = Typed::known(element_of(y).unwrap(), true);
                let x = Typed::known(x.clone(), true);
                self.unify(&x, &elem, l.span(), r.span(), &op.to_string())?;
            }
            (None, Some(y)) if y.array => {
                let elem = element_of(y).unwrap();
                self.coerce(&a, &elem, l.span())?;
            }
            (None, Some(y)) => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("op ANY/ALL (array) requires array on right side, found {y}"),
                        r.span(),
                    )
                    .with_help("pass an array"));
            }
            (None, None) => {
                if a.is_error() || b.is_error() {
                    return Ok(Typed::error());
                }
                // Both untyped: text = ANY(text[]), as PostgreSQL resolves it.
                let _ = span;
                self.coerce(&a, &ty(Builtin::Text), l.span())?;
                self.coerce(&b, &array_of(&ty(Builtin::Text)), r.span())?;
            }
        }
        Ok(Typed::known(ty(Builtin::Boolean), true))
    }

    /// The common type of several expressions (IN lists, CASE results, COALESCE, ARRAY[…]);
    /// untyped members take it. Returns (type, any member nullable).
    pub fn common_of(
        &mut self,
        exprs: &[&Expr],
        scope: &Scope,
        what: &str,
    ) -> Result<(Option<SqlType>, bool), Diagnostic> {
        let mut typed = Vec::new();
        for e in exprs {
            typed.push(self.expr(e, scope)?);
        }
        self.common_of_typed(
            &typed,
            &exprs.iter().map(|e| e.span()).collect::<Vec<_>>(),
            what,
        )
    }

    pub fn common_of_typed(
        &mut self,
        typed: &[Typed],
        spans: &[Span],
        what: &str,
    ) -> Result<(Option<SqlType>, bool), Diagnostic> {
        let nullable = typed.iter().any(|t| t.nullable);
        let mut common: Option<SqlType> = None;
        for (t, s) in typed.iter().zip(spans) {
            if let Some(x) = &t.ty {
                common = match &common {
                    None => Some(plain(x)),
                    Some(c) => match common_type(c, x) {
                        Some(n) => Some(n),
                        None => {
                            return Err(self
                                .error(
                                    Code::TypeMismatch,
                                    format!("{what} types {c} and {x} cannot be matched"),
                                    *s,
                                )
                                .with_help("make every member the same type, or cast explicitly"))
                        }
                    },
                };
            }
        }
        let common = match common {
            Some(c) => Some(c),
            // PostgreSQL's select_common_type: inputs all of unknown type (literals, NULLs,
            // untyped parameters) resolve as text.
            None if typed.iter().any(|t| {
                matches!(
                    t.origin,
                    Origin::Literal(_) | Origin::Null | Origin::Param(_)
                )
            }) =>
            {
                Some(ty(Builtin::Text))
            }
            None => None,
        };
        if let Some(c) = &common {
            for (t, s) in typed.iter().zip(spans) {
                if t.ty.is_none() {
                    self.coerce(t, c, *s)?;
                }
            }
        }
        Ok((common, nullable))
    }

    fn case(
        &mut self,
        operand: Option<&Expr>,
        conditions: &[sqlparser::ast::CaseWhen],
        else_result: Option<&Expr>,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        for w in conditions {
            match operand {
                Some(op) => {
                    self.compare(op, &w.condition, scope, "=")?;
                }
                None => {
                    self.condition(&w.condition, scope, "CASE/WHEN")?;
                }
            }
        }
        let mut results: Vec<&Expr> = conditions.iter().map(|w| &w.result).collect();
        if let Some(e) = else_result {
            results.push(e);
        }
        let (t, nullable) = self.common_of(&results, scope, "CASE")?;
        match t {
            Some(t) => Ok(Typed::known(t, nullable || else_result.is_none())),
            None => Err(self
                .error(
                    Code::ParamType,
                    "could not determine the type of CASE",
                    span,
                )
                .with_help("cast a result, e.g. `$1::text`")),
        }
    }

    fn function(
        &mut self,
        f: &sqlparser::ast::Function,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let parts: Vec<String> = f
            .name
            .0
            .iter()
            .filter_map(|p| p.as_ident())
            .map(crate::catalog::ident_name)
            .collect();
        let name = match parts.as_slice() {
            [n] => n.clone(),
            [s, n] if s == "pg_catalog" || s == "public" => n.clone(),
            _ => return Err(self.unsupported(format!("the function `{}`", f.name), span)),
        };
        if let Some(rule) = crate::policies::cockroach::function_rule(&name) {
            if let Some(e) = self.crdb_error(rule, &format!("`{name}`"), span) {
                return Err(e);
            }
        }
        if f.filter.is_some() && !functions::is_aggregate_name(&name) {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    format!("FILTER specified, but {name} is not an aggregate function"),
                    span,
                )
                .with_help("use FILTER only with aggregates"));
        }
        let ordered_set = functions::ORDERED_SET.contains(&name.as_str());
        if ordered_set && f.within_group.is_empty() {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    format!("WITHIN GROUP is required for ordered-set aggregate {name}"),
                    span,
                )
                .with_help(format!("write `{name}(…) WITHIN GROUP (ORDER BY …)`")));
        }
        if !ordered_set && !f.within_group.is_empty() {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    format!(
                        "{name} is not an ordered-set aggregate, so it cannot have WITHIN GROUP"
                    ),
                    span,
                )
                .with_help("remove WITHIN GROUP"));
        }
        if ordered_set && f.over.is_some() {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    format!("OVER is not supported for ordered-set aggregate {name}"),
                    span,
                )
                .with_help("aggregate with GROUP BY instead"));
        }
        if f.null_treatment.is_some() || !matches!(f.parameters, FunctionArguments::None) {
            return Err(self.unsupported(format!("this form of `{name}`"), span));
        }
        let keyword = functions::KEYWORD_FUNCTIONS.contains(&name.as_str());
        match (&f.args, keyword) {
            (FunctionArguments::List(_), true) => {
                return Err(self
                    .error(
                        Code::SyntaxError,
                        format!("syntax error: `{name}` takes no parentheses"),
                        span,
                    )
                    .with_help(format!("write `{name}` without `()`")));
            }
            (FunctionArguments::None, false) => {
                return Err(self.unsupported(format!("`{name}` without an argument list"), span));
            }
            _ => {}
        }
        let (args, clauses): (Vec<&FunctionArg>, Vec<&FunctionArgumentClause>) = match &f.args {
            FunctionArguments::None => (Vec::new(), Vec::new()),
            FunctionArguments::List(l) => (l.args.iter().collect(), l.clauses.iter().collect()),
            FunctionArguments::Subquery(q) if name == "array" => {
                let cols = self.subquery(q, scope)?;
                let [c] = cols.as_slice() else {
                    return Err(self
                        .error(
                            Code::ColumnCount,
                            "subquery must return only one column",
                            span,
                        )
                        .with_help("select one column inside ARRAY(…)"));
                };
                // An array of arrays is a multi-dimensional array of the same type.
                return Ok(Typed::known(array_of(&c.ty), false));
            }
            FunctionArguments::Subquery(_) => {
                return Err(self.unsupported("a subquery as function arguments", span))
            }
        };
        // Special forms PostgreSQL parses itself.
        match name.as_str() {
            "coalesce" | "greatest" | "least" | "nullif" => {
                let exprs = self.plain_args(&args, &name, span)?;
                if exprs.is_empty() || (name == "nullif" && exprs.len() != 2) {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("wrong number of arguments for {name}"),
                            span,
                        )
                        .with_help("check the call"));
                }
                let typed: Vec<Typed> = exprs
                    .iter()
                    .map(|e| self.expr(e, scope))
                    .collect::<Result<_, _>>()?;
                let spans: Vec<Span> = exprs.iter().map(|e| e.span()).collect();
                let (t, _) = self.common_of_typed(&typed, &spans, &name.to_uppercase())?;
                let Some(t) = t else {
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!("could not determine the type of {name}(…)"),
                            span,
                        )
                        .with_help("cast an argument, e.g. `$1::text`"));
                };
                if name != "coalesce" && name != "nullif" && !comparable(&t) {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("could not identify a comparison function for type {t}"),
                            span,
                        )
                        .with_help("use comparable types"));
                }
                let result_type = if name == "nullif" {
                    typed[0].ty.clone().map(|x| plain(&x)).unwrap_or(t)
                } else {
                    t
                };
                let nullable = match name.as_str() {
                    "nullif" => true,
                    _ => typed.iter().all(|x| x.nullable),
                };
                return Ok(Typed::known(result_type, nullable));
            }
            _ => {}
        }
        let def_kind = functions::FUNCTIONS
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.kind);
        let is_agg = def_kind == Some(Kind::Aggregate);
        if f.over.is_some() {
            if !self.level().windows_allowed {
                return Err(self
                    .error(
                        Code::InvalidQuery,
                        "window functions are not allowed here",
                        span,
                    )
                    .with_help("use window functions in the SELECT list or ORDER BY"));
            }
            if def_kind.is_some() && !matches!(def_kind, Some(Kind::Window | Kind::Aggregate)) {
                return Err(self.error(Code::InvalidQuery, format!("OVER specified, but {name} is not a window function nor an aggregate function"), span).with_help("remove OVER"));
            }
        } else if def_kind == Some(Kind::Window) {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    format!("window function {name} requires an OVER clause"),
                    span,
                )
                .with_help(format!("write `{name}() OVER (ORDER BY …)`")));
        }
        if is_agg && f.over.is_none() {
            if !self.level().aggregates_allowed {
                return Err(self.error(Code::InvalidQuery, "aggregate functions are not allowed here", span).with_help("aggregate in the SELECT list or HAVING, or filter groups with HAVING instead of WHERE"));
            }
            if self.level().in_aggregate > 0 {
                return Err(self
                    .error(
                        Code::InvalidQuery,
                        "aggregate function calls cannot be nested",
                        span,
                    )
                    .with_help("aggregate in a subquery first"));
            }
        }
        if let Some(w) = &f.over {
            self.window_spec(w, scope, span)?;
        }
        let counts_as_aggregate = is_agg && f.over.is_none();
        if counts_as_aggregate {
            self.level().in_aggregate += 1;
        }
        let saved_windows = self.level().windows_allowed;
        self.level().windows_allowed = false;
        let result = (|| {
            for c in &clauses {
                match c {
                    FunctionArgumentClause::OrderBy(items) if is_agg => {
                        for o in items {
                            self.expr(&o.expr, scope)?;
                        }
                    }
                    _ => return Err(self.unsupported(format!("`{c}` in a function call"), span)),
                }
            }
            if let Some(filter) = &f.filter {
                self.condition(filter, scope, "FILTER")?;
            }
            if name == "count" && super::colname::is_star_call(f) {
                return Ok(Typed::known(ty(Builtin::BigInt), false));
            }
            if name == "make_interval" {
                return self.make_interval(&args, scope, span);
            }
            let mut exprs = self.plain_args(&args, &name, span)?;
            let direct = if ordered_set { exprs.len() } else { 0 };
            // The ordered argument of an ordered-set aggregate follows its direct arguments.
            exprs.extend(f.within_group.iter().map(|o| &o.expr));
            let mut typed: Vec<Typed> = Vec::new();
            for (i, e) in exprs.iter().enumerate() {
                // Direct arguments are evaluated once per group, outside the aggregate: they
                // may use only grouped columns.
                let outside = i < direct && counts_as_aggregate;
                if outside {
                    self.level().in_aggregate -= 1;
                }
                let v = self.expr(e, scope);
                if outside {
                    self.level().in_aggregate += 1;
                }
                typed.push(v?);
            }
            if typed.iter().any(|t| t.is_error()) {
                return Ok(Typed::error());
            }
            let spans: Vec<Span> = exprs.iter().map(|e| e.span()).collect();
            let (t, _) = self.call_function(&name, &typed, &spans, span)?;
            if name == "sum"
                && typed
                    .first()
                    .and_then(|a| a.ty.as_ref())
                    .is_some_and(|x| x.is_integer())
            {
                self.divergent.push((span, CrdbRule::SumOfIntegers));
            }
            Ok(t)
        })();
        self.level().windows_allowed = saved_windows;
        if counts_as_aggregate {
            self.level().in_aggregate -= 1;
        }
        result
    }

    /// `make_interval(years, months, weeks, days, hours, mins, secs)`: every argument has a
    /// default, so it is called with a prefix of them or by name (`make_interval(days => $1)`).
    fn make_interval(
        &mut self,
        args: &[&FunctionArg],
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        use sqlparser::ast::FunctionArgOperator as Op;
        const PARAMS: [(&str, Builtin); 7] = [
            ("years", Builtin::Integer),
            ("months", Builtin::Integer),
            ("weeks", Builtin::Integer),
            ("days", Builtin::Integer),
            ("hours", Builtin::Integer),
            ("mins", Builtin::Integer),
            ("secs", Builtin::Float8),
        ];
        let no_such = |this: &Self, why: String| {
            Err(this
                .error(Code::UnknownFunction, format!("function make_interval({why}) does not exist"), span)
                .with_help("make_interval takes years, months, weeks, days, hours, mins (integer) and secs (double precision), by position or as `days => …`"))
        };
        let mut given: Vec<usize> = Vec::new();
        let mut named_seen = false;
        let mut nullable = false;
        for (i, a) in args.iter().enumerate() {
            // The PostgreSQL dialect parses `name => value` as an expression-named argument.
            let named = match a {
                FunctionArg::Named {
                    name,
                    arg: FunctionArgExpr::Expr(e),
                    operator: Op::RightArrow | Op::Assignment,
                } => Some((name, e)),
                FunctionArg::ExprNamed {
                    name: Expr::Identifier(name),
                    arg: FunctionArgExpr::Expr(e),
                    operator: Op::RightArrow | Op::Assignment,
                } => Some((name, e)),
                _ => None,
            };
            let (slot, e) = match (a, named) {
                (_, Some((name, e))) => {
                    named_seen = true;
                    let n = crate::catalog::ident_name(name);
                    let Some(slot) = PARAMS.iter().position(|(p, _)| *p == n) else {
                        return no_such(self, format!("{n} => …"));
                    };
                    if given.contains(&slot) {
                        return Err(self
                            .error(
                                Code::InvalidQuery,
                                format!("argument name `{n}` used more than once"),
                                name.span,
                            )
                            .with_help("give each argument once"));
                    }
                    (slot, e)
                }
                (FunctionArg::Unnamed(FunctionArgExpr::Expr(e)), None) => {
                    if named_seen {
                        return Err(self
                            .error(
                                Code::InvalidQuery,
                                "positional argument cannot follow named argument",
                                e.span(),
                            )
                            .with_help("put positional arguments first"));
                    }
                    if i >= PARAMS.len() {
                        return no_such(self, format!("{} arguments", args.len()));
                    }
                    (i, e)
                }
                _ => return Err(self.unsupported("this argument form of `make_interval`", span)),
            };
            given.push(slot);
            let v = self.expr(e, scope)?;
            nullable |= v.nullable;
            self.coerce(&v, &ty(PARAMS[slot].1), e.span())?;
        }
        Ok(Typed::known(ty(Builtin::Interval), nullable))
    }

    fn plain_args<'e>(
        &self,
        args: &[&'e FunctionArg],
        name: &str,
        span: Span,
    ) -> Result<Vec<&'e Expr>, Diagnostic> {
        args.iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Ok(e),
                FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => Err(self
                    .error(Code::InvalidQuery, format!("{name}(*) is not valid"), span)
                    .with_help("only count(*) takes `*`")),
                _ => Err(self.unsupported(
                    format!("named or qualified-wildcard arguments to `{name}`"),
                    span,
                )),
            })
            .collect()
    }

    fn window_spec(
        &mut self,
        w: &sqlparser::ast::WindowType,
        scope: &Scope,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let spec = match w {
            sqlparser::ast::WindowType::WindowSpec(spec) => self.resolve_window(spec, span)?,
            sqlparser::ast::WindowType::NamedWindow(name) => self.named_window(name)?,
        };
        self.analyse_window(&spec, scope)
    }

    /// A window named in `OVER w` or `OVER (w …)`, defined in this SELECT's WINDOW clause.
    fn named_window(
        &mut self,
        name: &sqlparser::ast::Ident,
    ) -> Result<sqlparser::ast::WindowSpec, Diagnostic> {
        let n = crate::catalog::ident_name(name);
        match self.level().windows.iter().find(|(w, _)| *w == n) {
            Some((_, spec)) => Ok(spec.clone()),
            None => Err(self
                .error(
                    Code::InvalidQuery,
                    format!("window `{n}` does not exist"),
                    name.span,
                )
                .with_help(
                    "define it in this SELECT: `WINDOW name AS (PARTITION BY … ORDER BY …)`",
                )),
        }
    }

    /// `(w ORDER BY …)` copies window `w` and adds to it, under PostgreSQL's rules: it may not
    /// replace the PARTITION BY, nor an ORDER BY `w` has, nor copy a frame.
    fn resolve_window(
        &mut self,
        spec: &sqlparser::ast::WindowSpec,
        span: Span,
    ) -> Result<sqlparser::ast::WindowSpec, Diagnostic> {
        let Some(base_name) = &spec.window_name else {
            return Ok(spec.clone());
        };
        let base = self.named_window(base_name)?;
        let n = crate::catalog::ident_name(base_name);
        let refuse = |this: &Self, message: String| {
            Err(this
                .error(Code::InvalidQuery, message, span)
                .with_help(format!(
                    "define a new window with the clauses you need instead of copying `{n}`"
                )))
        };
        if !spec.partition_by.is_empty() {
            return refuse(
                self,
                format!("cannot override PARTITION BY clause of window `{n}`"),
            );
        }
        if !spec.order_by.is_empty() && !base.order_by.is_empty() {
            return refuse(
                self,
                format!("cannot override ORDER BY clause of window `{n}`"),
            );
        }
        if base.window_frame.is_some() {
            return refuse(
                self,
                format!("cannot copy window `{n}` because it has a frame clause"),
            );
        }
        Ok(sqlparser::ast::WindowSpec {
            window_name: None,
            partition_by: base.partition_by,
            order_by: if spec.order_by.is_empty() {
                base.order_by
            } else {
                spec.order_by.clone()
            },
            window_frame: spec.window_frame.clone(),
        })
    }

    /// Registers and checks a SELECT's `WINDOW` definitions (PostgreSQL checks unused ones too).
    pub fn window_definitions(
        &mut self,
        defs: &[sqlparser::ast::NamedWindowDefinition],
        scope: &Scope,
    ) -> Result<(), Diagnostic> {
        self.level().windows.clear();
        for def in defs {
            let name = crate::catalog::ident_name(&def.0);
            let span = def.0.span;
            if self.level().windows.iter().any(|(w, _)| *w == name) {
                return Err(self
                    .error(
                        Code::InvalidQuery,
                        format!("window `{name}` is already defined"),
                        span,
                    )
                    .with_help("give each window its own name"));
            }
            let sqlparser::ast::NamedWindowExpr::WindowSpec(spec) = &def.1 else {
                return Err(self.unsupported("`WINDOW name AS other_name`", span));
            };
            let spec = self.resolve_window(spec, span)?;
            self.analyse_window(&spec, scope)?;
            self.level().windows.push((name, spec));
        }
        Ok(())
    }

    fn analyse_window(
        &mut self,
        spec: &sqlparser::ast::WindowSpec,
        scope: &Scope,
    ) -> Result<(), Diagnostic> {
        let saved = self.level().windows_allowed;
        self.level().windows_allowed = false;
        let result = (|| {
            for e in &spec.partition_by {
                self.expr(e, scope)?;
            }
            for o in &spec.order_by {
                self.expr(&o.expr, scope)?;
            }
            if let Some(frame) = &spec.window_frame {
                use sqlparser::ast::WindowFrameBound as B;
                for bound in std::iter::once(&frame.start_bound).chain(frame.end_bound.as_ref()) {
                    if let B::Preceding(Some(e)) | B::Following(Some(e)) = bound {
                        let t = self.expr(e, scope)?;
                        match frame.units {
                            sqlparser::ast::WindowFrameUnits::Range => {}
                            _ => self.coerce(&t, &ty(Builtin::BigInt), e.span())?,
                        }
                    }
                }
            }
            Ok(())
        })();
        self.level().windows_allowed = saved;
        result
    }
}

/// An expression without redundant parentheses.
pub fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip(inner),
        other => other,
    }
}
