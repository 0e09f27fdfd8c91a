//! Function calls as written: aggregates and their `FILTER`/`DISTINCT`/`ORDER BY`,
//! ordered-set aggregates, window functions and `OVER`, named arguments (`make_interval`).

use crate::catalog::types::Builtin;
use crate::policies::cockroach::CrdbRule;
use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArgumentClause, FunctionArguments, Spanned,
};
use sqlparser::tokenizer::Span;

use super::ops::{array_of, comparable, ty};
use super::scope::Scope;
use super::{Analyzer, Typed};
use crate::builtins::functions::{self, Kind};
use crate::diagnostic::{Code, Diagnostic};

impl Analyzer<'_> {
    pub(crate) fn function(
        &mut self,
        f: &sqlparser::ast::Function,
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let parts = f.name.0.len();
        let Some(name) = call_key(&f.name) else {
            return Err(self.unsupported(format!("the function `{}`", f.name), span));
        };
        // A `VARIADIC arr` no function call took as its last argument.
        if name == crate::variadic_call::MARKER {
            return Err(self
                .error(Code::SyntaxError, "syntax error at `VARIADIC`", span)
                .with_sqlstate("42601")
                .with_help("VARIADIC marks the last argument of a call to a variadic function: `format('%s', VARIADIC $1)`"));
        }
        if let Some(rule) = crate::policies::cockroach::function_rule(&name) {
            if let Some(e) = self.crdb_error(rule, &format!("`{name}`"), span) {
                return Err(e);
            }
        }
        if let (1, FunctionArguments::None, Some(nullable)) =
            (parts, &f.args, functions::name_keyword(&name))
        {
            return Ok(Typed::known(ty(Builtin::Name), nullable));
        }
        if name == "grouping" && parts == 1 {
            return self.grouping_function(f, span);
        }
        if name == "row" && parts == 1 {
            if let FunctionArguments::List(l) = &f.args {
                let items: Option<Vec<&Expr>> = l
                    .args
                    .iter()
                    .map(|a| match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                        _ => None,
                    })
                    .collect();
                if let (Some(items), true) = (items, l.clauses.is_empty()) {
                    return self.row_constructor(&items, scope);
                }
            }
        }
        let ordered_set = self.check_call_form(f, &name, span)?;
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
        if matches!(name.as_str(), "coalesce" | "greatest" | "least" | "nullif") {
            return self.conditional(&name, &args, scope, span);
        }
        let is_agg = self.check_placement(f, &name, span)?;
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
            let named = args.iter().any(|a| !matches!(a, FunctionArg::Unnamed(_)));
            if named {
                return self.named_call(&name, &args, scope, span).map(|(t, _)| t);
            }
            let mut exprs = self.plain_args(&args, &name, span)?;
            // `f(…, VARIADIC arr)`, rewritten before parsing (see `crate::variadic_call`).
            let variadic_array = match exprs.last().copied() {
                Some(Expr::Function(v)) if v.name.to_string() == crate::variadic_call::MARKER => {
                    match &v.args {
                        FunctionArguments::List(l) if l.args.len() == 1 => match &l.args[0] {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(inner)) => {
                                *exprs.last_mut().expect("a last argument") = inner;
                                true
                            }
                            _ => false,
                        },
                        _ => false,
                    }
                }
                _ => false,
            };
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
            let spans: Vec<Span> = exprs.iter().map(|e| super::expr::span_of(e)).collect();
            let t = self.call_function_with(&name, &typed, &spans, span, variadic_array)?;
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

    /// The clauses a call may carry for what the function is: FILTER for aggregates only,
    /// WITHIN GROUP exactly for ordered-set aggregates, no parentheses after SQL's keyword
    /// functions. Returns whether it is an ordered-set aggregate.
    fn check_call_form(
        &self,
        f: &sqlparser::ast::Function,
        name: &str,
        span: Span,
    ) -> Result<bool, Diagnostic> {
        if f.filter.is_some() && !super::query::is_aggregate(self.catalog, &f.name) {
            return Err(self
                .error(
                    Code::InvalidQuery,
                    format!("FILTER specified, but {name} is not an aggregate function"),
                    span,
                )
                .with_help("use FILTER only with aggregates"));
        }
        let ordered_set = functions::ORDERED_SET.contains(&name);
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
        let keyword = functions::KEYWORD_FUNCTIONS.contains(&name)
            || (name != "current_schema" && functions::name_keyword(name).is_some());
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
        Ok(ordered_set)
    }

    /// `COALESCE`, `GREATEST`, `LEAST` and `NULLIF`: not functions in PostgreSQL but
    /// expressions whose arguments resolve to one common type.
    fn conditional(
        &mut self,
        name: &str,
        args: &[&FunctionArg],
        scope: &Scope,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let exprs = self.plain_args(args, name, span)?;
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
        let spans: Vec<Span> = exprs.iter().map(|e| super::expr::span_of(e)).collect();
        let param_type = if name == "nullif" {
            super::ops::operator_input
        } else {
            crate::catalog::SqlType::clone
        };
        let (t, _) = self.common_of_typed_as(&typed, &spans, &name.to_uppercase(), param_type)?;
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
        // NULLIF's value is its first argument as the `=` it runs takes it: a varchar
        // comes back as text.
        let result_type = if name == "nullif" {
            typed[0]
                .ty
                .as_ref()
                .map(super::ops::operator_input)
                .unwrap_or(t)
        } else {
            t
        };
        let nullable = match name {
            "nullif" => true,
            _ => typed.iter().all(|x| x.nullable),
        };
        Ok(Typed::known(result_type, nullable))
    }

    /// Where window functions and aggregates may appear: OVER only on window functions and
    /// aggregates, window functions only with OVER and where windows are allowed, aggregates
    /// not in WHERE/ON/GROUP BY and not nested. Returns whether it is an aggregate.
    fn check_placement(
        &mut self,
        f: &sqlparser::ast::Function,
        name: &str,
        span: Span,
    ) -> Result<bool, Diagnostic> {
        let def_kind = functions::named(name).next().map(|d| d.kind).or_else(|| {
            super::query::is_aggregate(self.catalog, &f.name).then_some(Kind::Aggregate)
        });
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
        Ok(is_agg)
    }

    /// `make_interval(years, months, weeks, days, hours, mins, secs)`: every argument has a
    /// default, so it is called with a prefix of them or by name (`make_interval(days => $1)`).
    pub(crate) fn make_interval(
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

    /// `GROUPING(a, b)`: a bit mask of which arguments the current grouping set leaves
    /// out; every argument must be one of the query's GROUP BY expressions.
    fn grouping_function(
        &mut self,
        f: &sqlparser::ast::Function,
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        let FunctionArguments::List(l) = &f.args else {
            return Err(self.unsupported("GROUPING without arguments", span));
        };
        let exprs = self.level().grouping.as_ref().map(|g| g.exprs.clone());
        let Some(exprs) = exprs else {
            return Err(self
                .error(
                    Code::Grouping,
                    "GROUPING is allowed only with GROUP BY",
                    span,
                )
                .with_help("use GROUPING in a grouped query's SELECT list, HAVING or ORDER BY"));
        };
        for a in &l.args {
            let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = a else {
                return Err(self.unsupported(format!("the argument `{a}` of GROUPING"), span));
            };
            if !exprs.contains(&super::expr::strip(e).to_string()) {
                return Err(self
                    .error(Code::Grouping, "arguments to GROUPING must be grouping expressions of the associated query level", e.span())
                    .with_help("name an expression of the GROUP BY clause"));
            }
        }
        Ok(Typed::known(ty(Builtin::Integer), false))
    }

    pub(crate) fn plain_args<'e>(
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

    pub(crate) fn window_spec(
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
    pub(crate) fn named_window(
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
    pub(crate) fn resolve_window(
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

    pub(crate) fn analyse_window(
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

/// The name a call looks functions up by: `f` and `pg_catalog.f`/`public.f` are `f`; a
/// function of a schema the service created is keyed `schema.f`. `None` for names the
/// checker does not model (PostgreSQL's other schemas, longer paths).
pub(crate) fn call_key(name: &sqlparser::ast::ObjectName) -> Option<String> {
    let parts: Vec<String> = name
        .0
        .iter()
        .filter_map(|p| p.as_ident())
        .map(crate::catalog::ident_name)
        .collect();
    match parts.as_slice() {
        [n] => Some(n.clone()),
        [s, n] if s == "pg_catalog" || s == "public" => Some(n.clone()),
        [s, n] if !crate::catalog::is_system_schema(s) => Some(format!("{s}.{n}")),
        _ => None,
    }
}
