//! Typing expressions: operators, casts, literals, parameters, CASE, subqueries, function
//! calls — with PostgreSQL's result types and nullability.

use crate::catalog::types::Builtin;
use crate::policies::cockroach::CrdbRule;
use sqlparser::ast::{BinaryOperator, Expr, Spanned, UnaryOperator, Value};
use sqlparser::tokenizer::Span;

use super::literals::check_literal;
use super::ops::{self, common_type, comparable, implicit_castable, plain, ty};
use super::scope::Scope;
use super::{Analyzer, Origin, Typed};
use crate::catalog::{CastContext, SqlType};
use crate::diagnostic::{Code, Diagnostic};

pub(crate) fn number_type(text: &str) -> SqlType {
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

pub(crate) use super::spans::span_of;

pub(crate) fn is_untyped(t: &Typed) -> bool {
    t.ty.is_none() && !t.is_error()
}

impl Analyzer<'_> {
    /// Makes an untyped value (literal, NULL, parameter) take `target`, or checks that a typed
    /// one converts to it implicitly.
    pub fn coerce(&mut self, v: &Typed, target: &SqlType, span: Span) -> Result<(), Diagnostic> {
        match &v.origin {
            Origin::Error | Origin::Null => Ok(()),
            Origin::Param(i) if v.ty.is_none() => self.set_param(*i, target, span),
            Origin::Row(fields) if target.composite_name().is_some() && !target.array => {
                self.coerce_row(fields, target, implicit_castable, span)
            }
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
                Some(t) if self.castable(t, target, CastContext::Implicit) => Ok(()),
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
    pub(crate) fn recover(&mut self, r: Result<Typed, Diagnostic>) -> Result<Typed, Diagnostic> {
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
        // Enum operators take `anyenum`, which a domain over an enum is not.
        let enum_domain = |t: &Option<SqlType>| t.as_ref().is_some_and(SqlType::is_enum_domain);
        if enum_domain(&l.ty) || enum_domain(&r.ty) {
            let name =
                |t: &Option<SqlType>| t.as_ref().map_or("unknown".to_string(), |t| t.to_string());
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("operator does not exist: {} {what} {}", name(&l.ty), name(&r.ty)),
                    ls.union(&rs),
                )
                .with_help("PostgreSQL's enum operators do not take a domain over an enum: cast it to the enum (`col::enum_type`)"));
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

    pub(crate) fn compare(
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
                        span_of(l).union(&span_of(r)),
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
        // `(a, b) = (SELECT x, y …)`: field by field against the subquery's columns.
        if let (Expr::Tuple(items), Expr::Subquery(q)) = (strip(l), strip(r)) {
            let cols = self.subquery(q, scope)?;
            if cols.len() != items.len() {
                let which = if cols.len() > items.len() {
                    "too many"
                } else {
                    "not enough"
                };
                return Err(self
                    .error(
                        Code::ColumnCount,
                        format!("subquery has {which} columns"),
                        span_of(r),
                    )
                    .with_help("select one column per entry of the row"));
            }
            for (item, c) in items.iter().zip(&cols) {
                let lt = self.expr(item, scope)?;
                let rt = Typed::known(c.ty.clone(), true);
                self.compare_values(&lt, &rt, span_of(item), span_of(r), op)?;
            }
            return Ok(Typed::known(ty(Builtin::Boolean), true));
        }
        let lt = self.expr(l, scope)?;
        let rt = self.expr(r, scope)?;
        self.compare_values(&lt, &rt, span_of(l), span_of(r), op)
    }

    /// `l op r` for two analysed values: they must resolve to one comparable type.
    pub(crate) fn compare_values(
        &mut self,
        lt: &Typed,
        rt: &Typed,
        lspan: Span,
        rspan: Span,
        op: &str,
    ) -> Result<Typed, Diagnostic> {
        // `xmax = 0`: PostgreSQL's `xid = integer` and `xid <> integer` (xideqint4), with
        // the xid on the left only.
        let xid_int = matches!(op, "=" | "<>")
            && lt.ty.as_ref().is_some_and(|t| t.is(Builtin::Xid))
            && rt.ty.as_ref().is_some_and(|t| t.is(Builtin::Integer));
        if xid_int {
            return Ok(Typed::known(
                ty(Builtin::Boolean),
                lt.nullable || rt.nullable,
            ));
        }
        let common = self.unify(lt, rt, lspan, rspan, op)?;
        if let Some(t) = &common {
            if !comparable(t) {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("operator does not exist: {t} {op} {t}"),
                        lspan.union(&rspan),
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

    /// `(start, end) OVERLAPS (start, end | length)`: PostgreSQL's `overlaps` function of
    /// four arguments. Kept out of `binary`, whose frame every nested operator pays for.
    #[inline(never)]
    fn overlaps(
        &mut self,
        l: &Expr,
        r: &Expr,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let (Expr::Tuple(a), Expr::Tuple(b)) = (strip(l), strip(r)) else {
            return Err(self
                .error(
                    Code::SyntaxError,
                    "OVERLAPS takes two pairs: `(start, end) OVERLAPS (start, end)`",
                    span,
                )
                .with_sqlstate("42601")
                .with_help("write each side as a pair in parentheses"));
        };
        if a.len() != 2 || b.len() != 2 {
            return Err(self
                .error(
                    Code::SyntaxError,
                    "wrong number of parameters on one side of OVERLAPS expression",
                    span,
                )
                .with_sqlstate("42601")
                .with_help("each side is a pair: a start and an end (or a length)"));
        }
        let mut args = Vec::new();
        let mut spans = Vec::new();
        for e in a.iter().chain(b) {
            args.push(self.expr(e, scope)?);
            spans.push(span_of(e));
        }
        self.call_function("overlaps", &args, &spans, span)
    }

    /// A condition (WHERE, ON, HAVING, CASE WHEN, AND/OR operand): must be boolean.
    pub fn condition(&mut self, e: &Expr, scope: &Scope, what: &str) -> Result<Typed, Diagnostic> {
        let t = self.expr(e, scope)?;
        if is_untyped(&t) {
            self.coerce(&t, &ty(Builtin::Boolean), span_of(e))?;
        } else if let Some(found) = &t.ty {
            if !found.is(Builtin::Boolean) {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("argument of {what} must be type boolean, not type {found}"),
                        span_of(e),
                    )
                    .with_help("write a comparison, e.g. `col = $1`"));
            }
        }
        Ok(Typed::known(ty(Builtin::Boolean), t.nullable))
    }

    pub fn expr(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let span = span_of(e);
        match e {
            Expr::Identifier(i) => {
                // `current_role`, `current_schema`: key words, never a column's name unquoted.
                if i.quote_style.is_none() {
                    let key = i.value.to_ascii_lowercase();
                    if let Some(nullable) = crate::builtins::functions::name_keyword(&key) {
                        return Ok(Typed::known(ty(Builtin::Name), nullable));
                    }
                }
                let r = self.resolve_column(scope, std::slice::from_ref(i), span);
                self.recover(r)
            }
            Expr::CompoundIdentifier(parts) => {
                let r = self.resolve_column(scope, parts, span);
                self.recover(r)
            }
            Expr::Nested(inner) => self.expr(inner, scope),
            Expr::Value(v) => self.value(&v.value, v.span),
            Expr::TypedString(_) | Expr::Interval(_) | Expr::Cast { .. } => {
                self.typed_value(e, scope)
            }
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right, scope, span),
            Expr::UnaryOp { .. } => self.unary(e, scope),
            Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsTrue(_)
            | Expr::IsFalse(_)
            | Expr::IsNotTrue(_)
            | Expr::IsNotFalse(_)
            | Expr::IsUnknown(_)
            | Expr::IsNotUnknown(_)
            | Expr::IsDistinctFrom(..)
            | Expr::IsNotDistinctFrom(..)
            | Expr::Between { .. }
            | Expr::In { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::SimilarTo { .. }
            | Expr::AnyOp { .. }
            | Expr::AllOp { .. } => self.predicate(e, scope),
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
            Expr::Exists { .. }
            | Expr::Subquery(_)
            | Expr::Array(_)
            | Expr::CompoundFieldAccess { .. } => self.composite(e, scope),
            Expr::Extract { .. }
            | Expr::Ceil { .. }
            | Expr::Floor { .. }
            | Expr::Position { .. }
            | Expr::Overlay { .. }
            | Expr::Substring { .. }
            | Expr::Trim { .. }
            | Expr::AtTimeZone { .. } => self.special_function(e, scope),
            Expr::Collate { expr, collation } => self.collate(expr, collation, scope, span),
            Expr::Tuple(_) => self.composite(e, scope),
            Expr::Wildcard(_) | Expr::QualifiedWildcard(..) => Err(self
                .error(Code::InvalidQuery, "`*` is not allowed here", span)
                .with_help("name the columns")),
            other => Err(self.unsupported(format!("the expression `{other}`"), span)),
        }
    }

    /// `x COLLATE name`: a collation the server has, on a collatable (string) value; an
    /// untyped one becomes text.
    fn collate(
        &mut self,
        expr: &Expr,
        collation: &sqlparser::ast::ObjectName,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let v = self.expr(expr, scope)?;
        let name = crate::catalog::object_key(collation).unwrap_or_else(|| collation.to_string());
        if !self.catalog.collation_known(&name) {
            return Err(self
                .error(
                    Code::UnknownCollation,
                    format!("unknown collation `{name}`"),
                    collation.span(),
                )
                .with_help(crate::suggest::did_you_mean(
                    &name,
                    self.catalog.collations.iter().map(String::as_str),
                    || crate::catalog::Catalog::UNKNOWN_COLLATION_HELP.to_string(),
                )));
        }
        match &v.ty {
            Some(t)
                if ops::is_string(t) || ops::element_of(t).is_some_and(|e| ops::is_string(&e)) =>
            {
                Ok(v)
            }
            Some(t) => Err(self
                .error(
                    Code::TypeMismatch,
                    format!("collations are not supported by type {t}"),
                    span,
                )
                .with_help("collate text values")),
            None if v.is_error() => Ok(v),
            None => {
                let text = ty(Builtin::Text);
                self.coerce(&v, &text, span_of(expr))?;
                Ok(Typed::known(text, v.nullable))
            }
        }
    }

    pub(crate) fn value(&mut self, v: &Value, span: Span) -> Result<Typed, Diagnostic> {
        Ok(match v {
            Value::Number(n, _) if !super::literals::numeric_fits(n) => {
                return Err(self
                    .error(Code::InvalidLiteral, "value overflows numeric format", span)
                    .with_sqlstate("22003")
                    .with_help(format!(
                        "numeric holds {} digits before the point and {} after it",
                        crate::catalog::limits::MAX_NUMERIC_WEIGHT + 1,
                        crate::catalog::limits::MAX_NUMERIC_DSCALE
                    )))
            }
            Value::Number(n, _) => Typed::known(number_type(n), false),
            // B'101' and X'1f' are bit strings of their length (the lexer checked the digits).
            Value::SingleQuotedByteStringLiteral(s) | Value::HexStringLiteral(s) => {
                let bits = if matches!(v, Value::HexStringLiteral(_)) {
                    s.len() * 4
                } else {
                    s.len()
                };
                let t = SqlType {
                    base: crate::catalog::types::BaseType::Builtin {
                        ty: Builtin::Bit,
                        modifiers: vec![bits as i64],
                    },
                    array: false,
                };
                Typed::known(t, false)
            }
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
                // Checked before anything is sized by `n` (`$4294967295` must not allocate).
                if n > crate::catalog::limits::MAX_PARAMS {
                    return Err(self
                        .error(Code::ParamType, format!("there is no parameter ${n}"), span)
                        .with_sqlstate("42P02")
                        .with_help(format!(
                            "a statement takes at most {} parameters ($1 … ${})",
                            crate::catalog::limits::MAX_PARAMS,
                            crate::catalog::limits::MAX_PARAMS
                        )));
                }
                if let Some(r) = self.routine.as_ref().filter(|r| n > r.args.len()) {
                    return Err(self
                        .error(Code::ParamType, format!("there is no parameter ${n}"), span)
                        .with_help(format!(
                            "function `{}` takes {} argument(s)",
                            r.name,
                            r.args.len()
                        )));
                }
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

    /// Prefix operators: `NOT`, `-`, `+`.
    pub(crate) fn unary(&mut self, e: &Expr, scope: &Scope) -> Result<Typed, Diagnostic> {
        let span = span_of(e);
        match e {
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
            other => Err(self.unsupported(format!("the expression `{other}`"), span)),
        }
    }

    pub(crate) fn binary(
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
            B::Overlaps => self.overlaps(l, r, scope, span),
            B::AtAt => match self.crdb_error(CrdbRule::FullTextSearch, "the `@@` operator", span) {
                Some(e) => Err(e),
                None => self.operator(l, "@@", r, scope, span),
            },
            other => match ops::operator_symbol(other) {
                Some(symbol) => self.operator(l, symbol, r, scope, span),
                None => Err(self.unsupported(format!("the operator `{other}`"), span)),
            },
        }
    }

    /// An operator of the operator table: both operands analysed, then resolved as
    /// PostgreSQL resolves it.
    pub(crate) fn operator(
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
        let (result, _) = self.call_operator(symbol, [(&a, span_of(l)), (&b, span_of(r))], span)?;
        // Integer division truncates on PostgreSQL and gives a decimal on CockroachDB.
        if symbol == "/" && both_integer {
            self.divergent.push((span, CrdbRule::IntegerDivision));
        }
        Ok(result)
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
            &exprs.iter().map(|e| span_of(e)).collect::<Vec<_>>(),
            what,
        )
    }

    pub fn common_of_typed(
        &mut self,
        typed: &[Typed],
        spans: &[Span],
        what: &str,
    ) -> Result<(Option<SqlType>, bool), Diagnostic> {
        self.common_of_typed_as(typed, spans, what, SqlType::clone)
    }

    /// [`Self::common_of_typed`], with untyped members given `param_type` of the common type
    /// (NULLIF compares with `=`, so its parameters take the operator's input type).
    pub fn common_of_typed_as(
        &mut self,
        typed: &[Typed],
        spans: &[Span],
        what: &str,
        param_type: fn(&SqlType) -> SqlType,
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
            let target = param_type(c);
            for (t, s) in typed.iter().zip(spans) {
                if t.ty.is_none() {
                    self.coerce(t, &target, *s)?;
                }
            }
        }
        Ok((common, nullable))
    }

    pub(crate) fn case(
        &mut self,
        operand: Option<&Expr>,
        conditions: &[sqlparser::ast::CaseWhen],
        else_result: Option<&Expr>,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        // The operand of a simple CASE is analysed once; PostgreSQL's transformCaseExpr
        // makes an untyped one text before comparing it with each WHEN value, so
        // `CASE $1 WHEN true …` is `text = boolean`, an error.
        let operand = match operand {
            Some(op) => {
                let v = self.expr(op, scope)?;
                let v = if v.ty.is_none() && !v.is_error() {
                    let text = ty(Builtin::Text);
                    self.coerce(&v, &text, span_of(op))?;
                    Typed::known(text, v.nullable)
                } else {
                    v
                };
                Some((v, span_of(op)))
            }
            None => None,
        };
        for w in conditions {
            match &operand {
                Some((v, at)) => {
                    let c = self.expr(&w.condition, scope)?;
                    self.compare_values(v, &c, *at, span_of(&w.condition), "=")?;
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
}

/// An expression without redundant parentheses.
pub fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Nested(inner) => strip(inner),
        other => other,
    }
}
