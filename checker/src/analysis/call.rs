//! Calls of functions, procedures and operators: the candidates come from the built-in
//! tables and the service's own routines, the choice from
//! [`resolve::select`](super::resolve::select), the wording of the errors from here.

use sqlparser::tokenizer::Span;

use super::resolve::{self, ArgType, Failure, Overload};
use super::{Analyzer, Typed};
use crate::builtins::functions::{self, FunctionDef};
use crate::builtins::operators::{operators, OperatorDef};
use crate::builtins::tokens::Tok;
use crate::catalog::types::Builtin;
use crate::catalog::{
    ArgMode, Declared, OutputColumn, Returns, Routine, RoutineArg, RoutineKind, SqlType,
};
use crate::diagnostic::{Code, Diagnostic};

fn describe(a: &Typed) -> String {
    match &a.ty {
        Some(t) => t.to_string(),
        None => "unknown".to_string(),
    }
}

fn describe_args(args: &[Typed]) -> String {
    args.iter().map(describe).collect::<Vec<_>>().join(", ")
}

/// A candidate of a function call: a row of the built-in table, or a routine the
/// migrations created, called with `passed` arguments (fewer than it declares when the
/// rest have defaults).
#[derive(Clone, Copy)]
enum Callee<'a> {
    Builtin(&'static FunctionDef),
    User { routine: &'a Routine, passed: usize },
}

/// A variadic candidate called with `VARIADIC arr`: its last parameter is the array
/// itself, matched as one argument.
#[derive(Clone, Copy)]
struct WithArray<'a>(Callee<'a>);

impl Overload for WithArray<'_> {
    fn arity(&self) -> usize {
        self.0.arity()
    }
    fn arg(&self, i: usize) -> Declared {
        let d = self.0.arg(i);
        if i + 1 != self.arity() {
            return d;
        }
        match d {
            Declared::Type(t) => Declared::Type(super::ops::array_of(&t)),
            Declared::Poly(Tok::AnyElement | Tok::AnyNonArray | Tok::Any) => {
                Declared::Poly(Tok::AnyArray)
            }
            Declared::Poly(Tok::AnyCompatible) => Declared::Poly(Tok::AnyCompatibleArray),
            d => d,
        }
    }
    fn variadic(&self) -> bool {
        false
    }
    fn ret(&self) -> Declared {
        self.0.ret()
    }
}

impl Overload for Callee<'_> {
    fn arity(&self) -> usize {
        match self {
            Callee::Builtin(d) => d.arity(),
            Callee::User { passed, .. } => *passed,
        }
    }
    fn arg(&self, i: usize) -> Declared {
        match self {
            Callee::Builtin(d) => d.arg(i),
            Callee::User { routine, passed } => {
                let inputs = routine.input_types();
                let last_variadic = routine
                    .passed_args()
                    .last()
                    .is_some_and(|a| a.mode == ArgMode::Variadic);
                match inputs[i] {
                    // The variadic array's elements are what a caller passes.
                    Declared::Type(t)
                        if last_variadic && i + 1 == *passed && i + 1 == inputs.len() =>
                    {
                        Declared::Type(super::ops::element_of(t).unwrap_or_else(|| t.clone()))
                    }
                    Declared::Poly(Tok::AnyArray) if last_variadic && i + 1 == inputs.len() => {
                        Declared::Poly(Tok::AnyElement)
                    }
                    Declared::Poly(Tok::AnyCompatibleArray)
                        if last_variadic && i + 1 == inputs.len() =>
                    {
                        Declared::Poly(Tok::AnyCompatible)
                    }
                    d => d.clone(),
                }
            }
        }
    }
    fn variadic(&self) -> bool {
        match self {
            Callee::Builtin(d) => d.variadic,
            Callee::User { routine, passed } => {
                *passed == routine.input_types().len()
                    && routine.args.iter().any(|a| a.mode == ArgMode::Variadic)
            }
        }
    }
    fn ret(&self) -> Declared {
        match self {
            Callee::Builtin(d) => d.ret(),
            Callee::User { routine, .. } => match &routine.returns {
                Returns::Value { ty, .. } => ty.clone(),
                // `RETURNS TABLE (y int)`: one column is a value of its type.
                Returns::Columns { columns, .. } if columns.len() == 1 => {
                    Declared::Type(columns[0].1.clone())
                }
                Returns::Void => Declared::Type(SqlType::builtin(Builtin::Void)),
                Returns::Trigger | Returns::Columns { .. } | Returns::Record { .. } => {
                    Declared::Type(SqlType::builtin(Builtin::Record))
                }
            },
        }
    }
}

/// The candidates a user routine offers for a call with `n` arguments: itself, when `n` is
/// between its required and declared input counts (or more, for a variadic one).
fn user_candidate(routine: &Routine, n: usize) -> Option<Callee<'_>> {
    let inputs: Vec<&RoutineArg> = routine.passed_args().collect();
    let required = inputs.iter().filter(|a| !a.has_default).count();
    let variadic = inputs.last().is_some_and(|a| a.mode == ArgMode::Variadic);
    let ok = n >= required && (n <= inputs.len() || variadic);
    ok.then_some(Callee::User {
        routine,
        passed: n.min(inputs.len()),
    })
}

impl Analyzer<'_> {
    /// Picks the overload of `name` PostgreSQL would, from the built-in table and the
    /// service's own functions, types the untyped arguments from it, and returns the result
    /// with its nullability (a user function's result may always be NULL).
    pub fn call_function(
        &mut self,
        name: &str,
        args: &[Typed],
        arg_spans: &[Span],
        span: Span,
    ) -> Result<Typed, Diagnostic> {
        self.call_function_with(name, args, arg_spans, span, false)
    }

    /// [`Self::call_function`]; with `variadic_array` the last argument was written
    /// `VARIADIC arr`: only variadic functions take it, as their variadic array itself.
    pub fn call_function_with(
        &mut self,
        name: &str,
        args: &[Typed],
        arg_spans: &[Span],
        span: Span,
        variadic_array: bool,
    ) -> Result<Typed, Diagnostic> {
        let catalog = self.catalog;
        if let (true, Some(Some(t))) = (variadic_array, args.last().map(|a| a.ty.as_ref())) {
            if !t.is_array() {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        "VARIADIC argument must be an array",
                        arg_spans.last().copied().unwrap_or(span),
                    )
                    .with_sqlstate("42804")
                    .with_help(
                        "pass an array after VARIADIC, or drop the keyword to pass one element",
                    ));
            }
        }
        let named = functions::named(name);
        let builtins: Vec<&'static FunctionDef> = named
            .clone()
            .filter(|d| d.extension.is_none_or(|e| self.catalog.has_extension(e)))
            .collect();
        let routines: Vec<&Routine> = catalog.routines_named(name).collect();
        if let Some(p) = routines.iter().find(|r| r.kind == RoutineKind::Procedure) {
            if routines.iter().all(|r| r.kind == RoutineKind::Procedure) {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("{} is a procedure", p.signature()),
                        span,
                    )
                    .with_help("to call a procedure, use CALL"));
            }
        }
        let mut candidates: Vec<Callee> = builtins.iter().map(|d| Callee::Builtin(d)).collect();
        // pg_catalog comes first on the search path: a user function with a built-in's
        // exact argument types is hidden by it.
        let builtin_types: Vec<Vec<Declared>> = candidates
            .iter()
            .map(|c| (0..c.arity()).map(|i| c.arg(i)).collect())
            .collect();
        candidates.extend(
            routines
                .iter()
                .filter(|r| r.kind.in_expressions())
                .filter_map(|r| user_candidate(r, args.len()))
                .filter(|c| {
                    let types: Vec<Declared> = (0..c.arity()).map(|i| c.arg(i)).collect();
                    !builtin_types.contains(&types)
                }),
        );
        if let Some(cast) = self.function_style_cast(name, args, arg_spans, &candidates)? {
            return Ok(cast);
        }
        if let (true, Some(e)) = (
            builtins.is_empty() && routines.is_empty(),
            named.clone().find_map(|d| d.extension),
        ) {
            return Err(self
                .error(
                    Code::UnknownFunction,
                    format!("function `{name}` comes from extension `{e}`, which this service does not create"),
                    span,
                )
                .with_help(format!("create it in a migration: `CREATE EXTENSION IF NOT EXISTS \"{e}\";`")));
        }
        if builtins.is_empty() && routines.is_empty() {
            let names: Vec<&str> = functions::all()
                .map(|d| d.name)
                .chain(catalog.routines.iter().map(|r| r.name.as_str()))
                .collect();
            return Err(self.error(Code::UnknownFunction, format!("unknown function `{name}`"), span).with_help(
                crate::suggest::did_you_mean(name, names.iter().copied(), || {
                    "the checker knows PostgreSQL's common functions and the service's own; if this one exists, report it so it can be added to the function table".to_string()
                }),
            ));
        }
        let signature = if variadic_array {
            let (last, rest) = args.split_last().expect("VARIADIC has an argument");
            let rest = describe_args(rest);
            let sep = if rest.is_empty() { "" } else { ", " };
            format!("{name}({rest}{sep}VARIADIC {})", describe(last))
        } else {
            format!("{name}({})", describe_args(args))
        };
        let unresolved = |this: &Self, f| {
            this.unresolved(
                f,
                &format!("function {signature}"),
                &format!("no overload of `{name}` takes these argument types; add explicit casts"),
                "add explicit casts to the arguments, e.g. `$1::numeric`",
                span,
            )
        };
        let (def, binding) = if variadic_array {
            let wrapped: Vec<WithArray> = candidates
                .iter()
                .filter(|c| c.variadic() && c.arity() == args.len())
                .map(|c| WithArray(*c))
                .collect();
            let refs: Vec<&WithArray> = wrapped.iter().collect();
            let (d, mut b) = resolve::select(self.catalog, &refs, args)
                .map(|(d, b)| (*d, b))
                .map_err(|f| unresolved(self, f))?;
            self.coerce_arguments(&d, &mut b, args, arg_spans, &signature, name, span)?;
            (d.0, b)
        } else {
            let refs: Vec<&Callee> = candidates.iter().collect();
            let (d, mut b) = resolve::select(self.catalog, &refs, args)
                .map(|(d, b)| (*d, b))
                .map_err(|f| unresolved(self, f))?;
            self.coerce_arguments(&d, &mut b, args, arg_spans, &signature, name, span)?;
            (d, b)
        };
        if let Callee::User { routine, .. } = def {
            if routine.returns == Returns::Trigger {
                return Err(self
                    .error(
                        Code::InvalidQuery,
                        "trigger functions can only be called as triggers",
                        span,
                    )
                    .with_help(format!(
                        "`{}` returns trigger; name it in CREATE TRIGGER … EXECUTE FUNCTION",
                        routine.name
                    )));
            }
        }
        let Some(ret) = binding.resolve(&def.ret()) else {
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("could not determine the result type of {signature}"),
                    span,
                )
                .with_help("cast the arguments to concrete types"));
        };
        let nullable = match def {
            Callee::Builtin(d) => resolve::result_nullable(d.nulls, args),
            Callee::User { .. } => true,
        };
        Ok(Typed::known(ret, nullable))
    }

    /// `text(x)`, `date('2024-01-01')`, `name(uuid_col)`: a call of one argument named after a
    /// built-in type, when no overload takes exactly the argument's type, is a cast if the
    /// argument is an untyped literal or converts through its text form (PostgreSQL's
    /// `func_get_detail`, FUNCDETAIL_COERCION). `None`: an ordinary call.
    fn function_style_cast(
        &mut self,
        name: &str,
        args: &[Typed],
        arg_spans: &[Span],
        candidates: &[Callee],
    ) -> Result<Option<Typed>, Diagnostic> {
        let ([arg], [arg_span]) = (args, arg_spans) else {
            return Ok(None);
        };
        let Some(target) = crate::catalog::types::Builtin::from_typname(name)
            .or_else(|| crate::catalog::types::Builtin::from_name(name))
            .map(crate::catalog::SqlType::builtin)
        else {
            return Ok(None);
        };
        let exact = candidates.iter().any(|c| {
            c.arity() == 1 && matches!(c.arg(0), Declared::Type(t) if Some(&t) == arg.ty.as_ref())
        });
        // An untyped literal (or NULL) is always a cast; an untyped parameter only into a
        // string type (through its text form), else it resolves as an ordinary call.
        let via_text = match &arg.ty {
            None => {
                matches!(arg.origin, super::Origin::Literal(_) | super::Origin::Null)
                    || super::ops::is_string(&target)
            }
            Some(from) => {
                super::cast::explicit_castable(from, &target)
                    && (super::ops::is_string(&target) || super::ops::is_string(from))
            }
        };
        if exact || !via_text {
            return Ok(None);
        }
        if arg.ty.is_none() {
            self.coerce(arg, &target, *arg_span)?;
        }
        Ok(Some(Typed::known(target, arg.nullable)))
    }

    /// `CALL procedure(args)`: resolved among the service's procedures as functions are;
    /// its result is the row of its OUT and INOUT arguments, if any.
    pub(crate) fn call(
        &mut self,
        f: &sqlparser::ast::Function,
    ) -> Result<Vec<OutputColumn>, Diagnostic> {
        let span = sqlparser::ast::Spanned::span(f);
        let catalog = self.catalog;
        let Some(name) = crate::catalog::object_key(&f.name) else {
            return Err(self.unsupported(format!("the procedure `{}`", f.name), span));
        };
        let scope = super::scope::Scope::new(self.new_scope_id(), None);
        let exprs: Vec<&sqlparser::ast::Expr> = match &f.args {
            sqlparser::ast::FunctionArguments::None => Vec::new(),
            sqlparser::ast::FunctionArguments::List(l) => {
                let args: Vec<&sqlparser::ast::FunctionArg> = l.args.iter().collect();
                match self.named_procedure_args(catalog, &name, &args, span)? {
                    Some(exprs) => exprs,
                    None => self.plain_args(&args, &name, span)?,
                }
            }
            sqlparser::ast::FunctionArguments::Subquery(_) => {
                return Err(self.unsupported("a subquery as arguments to CALL", span))
            }
        };
        let mut typed = Vec::new();
        for e in &exprs {
            typed.push(self.expr(e, &scope)?);
        }
        let spans: Vec<Span> = exprs
            .iter()
            .map(|e| sqlparser::ast::Spanned::span(*e))
            .collect();
        let routines: Vec<&Routine> = catalog.routines_named(&name).collect();
        if routines.is_empty() {
            return Err(self
                .error(
                    Code::UnknownFunction,
                    format!("unknown procedure `{name}`"),
                    span,
                )
                .with_help(crate::suggest::did_you_mean(
                    &name,
                    catalog
                        .routines
                        .iter()
                        .filter(|r| r.kind == RoutineKind::Procedure)
                        .map(|r| r.name.as_str()),
                    || "create it with CREATE PROCEDURE in a migration".to_string(),
                )));
        }
        let candidates: Vec<Callee> = routines
            .iter()
            .filter(|r| r.kind == RoutineKind::Procedure)
            .filter_map(|r| user_candidate(r, typed.len()))
            .collect();
        let signature = format!("{name}({})", describe_args(&typed));
        if candidates.is_empty() && routines.iter().any(|r| r.kind.in_expressions()) {
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("{signature} is not a procedure"),
                    span,
                )
                .with_help("call a function with SELECT"));
        }
        let refs: Vec<&Callee> = candidates.iter().collect();
        let (def, mut binding) = resolve::select(self.catalog, &refs, &typed)
            .map(|(d, b)| (*d, b))
            .map_err(|f| {
                self.unresolved(
                    f,
                    &format!("procedure {signature}"),
                    "no procedure of that name takes these argument types; add explicit casts",
                    "add explicit casts to the arguments",
                    span,
                )
            })?;
        self.coerce_arguments(&def, &mut binding, &typed, &spans, &signature, &name, span)?;
        let Callee::User { routine, .. } = def else {
            unreachable!("procedures are user routines");
        };
        Ok(routine
            .args
            .iter()
            .filter(|a| a.mode.is_output())
            .enumerate()
            .map(|(i, a)| OutputColumn {
                name: a.name.clone().unwrap_or_else(|| format!("column{}", i + 1)),
                ty: binding
                    .resolve(&a.ty)
                    .unwrap_or_else(|| SqlType::builtin(Builtin::Text)),
                nullable: true,
            })
            .collect())
    }

    /// A call's arguments: the positional ones, then the named ones (`name => e`,
    /// `name := e`), with PostgreSQL's errors for a name given twice and a positional
    /// argument after a named one.
    #[allow(clippy::type_complexity)]
    fn split_named_args<'e>(
        &self,
        args: &[&'e sqlparser::ast::FunctionArg],
        span: Span,
    ) -> Result<
        (
            Vec<&'e sqlparser::ast::Expr>,
            Vec<(String, &'e sqlparser::ast::Expr)>,
        ),
        Diagnostic,
    > {
        use sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr};
        let mut positional = Vec::new();
        let mut named: Vec<(String, &'e Expr)> = Vec::new();
        for a in args {
            match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) if named.is_empty() => {
                    positional.push(e)
                }
                FunctionArg::Named {
                    name: n,
                    arg: FunctionArgExpr::Expr(e),
                    ..
                }
                | FunctionArg::ExprNamed {
                    name: Expr::Identifier(n),
                    arg: FunctionArgExpr::Expr(e),
                    ..
                } => {
                    let n = crate::catalog::ident_name(n);
                    if named.iter().any(|(x, _)| *x == n) {
                        return Err(self
                            .error(
                                Code::InvalidQuery,
                                format!("argument name `{n}` used more than once"),
                                n_span(a, span),
                            )
                            .with_help("pass each argument once"));
                    }
                    named.push((n, e));
                }
                FunctionArg::Unnamed(_) => {
                    return Err(self
                        .error(
                            Code::InvalidQuery,
                            "positional argument cannot follow named argument",
                            span,
                        )
                        .with_help("put positional arguments first"))
                }
                _ => return Err(self.unsupported(format!("the argument `{a}`"), span)),
            }
        }
        Ok((positional, named))
    }

    /// `CALL p(b => $1, a => $2)`: the arguments in the procedure's declared order, when
    /// they name its arguments (`None` when none is named). Every procedure of the name must
    /// place them alike, and the arguments passed must be the first ones: one left out
    /// before a later one would take its default, which this does not model.
    fn named_procedure_args<'e>(
        &self,
        catalog: &crate::catalog::Catalog,
        name: &str,
        args: &[&'e sqlparser::ast::FunctionArg],
        span: Span,
    ) -> Result<Option<Vec<&'e sqlparser::ast::Expr>>, Diagnostic> {
        use sqlparser::ast::{Expr, FunctionArg};
        if args.iter().all(|a| matches!(a, FunctionArg::Unnamed(_))) {
            return Ok(None);
        }
        let (positional, named) = self.split_named_args(args, span)?;
        let mut orders: Vec<Vec<&'e Expr>> = Vec::new();
        for r in catalog
            .routines_named(name)
            .filter(|r| r.kind == RoutineKind::Procedure)
        {
            let mut slots: Vec<Option<&'e Expr>> = positional.iter().map(|e| Some(*e)).collect();
            slots.resize(r.args.len().max(positional.len()), None);
            let placed = named.iter().all(|(n, e)| {
                match r
                    .args
                    .iter()
                    .position(|a| a.name.as_deref() == Some(n.as_str()))
                {
                    Some(i) if slots[i].is_none() => {
                        slots[i] = Some(e);
                        true
                    }
                    _ => false,
                }
            });
            let used = slots.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
            if placed && slots[..used].iter().all(Option::is_some) {
                orders.push(slots[..used].iter().flatten().copied().collect());
            }
        }
        match orders.as_slice() {
            [] => Err(self
                .error(
                    Code::TypeMismatch,
                    format!("procedure {name} takes no arguments of these names"),
                    span,
                )
                .with_help("name the procedure's arguments as CREATE PROCEDURE declares them")),
            [first, rest @ ..] if rest.iter().all(|o| o == first) => Ok(Some(first.clone())),
            _ => Err(self.unsupported(
                format!("named arguments to `{name}`, which place differently among its overloads"),
                span,
            )),
        }
    }

    /// The error for a call no candidate takes, or more than one does: "function f(…) does
    /// not exist" / "is not unique", with the help for each.
    fn unresolved(
        &self,
        failure: Failure,
        what: &str,
        no_match_help: &str,
        not_unique_help: &str,
        span: Span,
    ) -> Diagnostic {
        let (message, help) = match failure {
            Failure::NoMatch => (format!("{what} does not exist"), no_match_help),
            Failure::NotUnique => (format!("{what} is not unique"), not_unique_help),
        };
        self.error(Code::TypeMismatch, message, span)
            .with_help(help.to_string())
    }

    /// Types the untyped arguments of a chosen candidate, as PostgreSQL coerces them.
    #[allow(clippy::too_many_arguments)]
    fn coerce_arguments(
        &mut self,
        def: &(impl Overload + ?Sized),
        binding: &mut resolve::Binding,
        args: &[Typed],
        arg_spans: &[Span],
        signature: &str,
        name: &str,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let types = resolve::argument_types(def, binding, args);
        for (i, (a, t)) in args.iter().zip(types).enumerate() {
            let at = arg_spans.get(i).copied().unwrap_or(span);
            match t {
                ArgType::Keep => {}
                ArgType::Coerce(t) => self.coerce(a, &t, at)?,
                ArgType::UntypedParam => {
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!("could not determine data type of a parameter of `{name}`"),
                            at,
                        )
                        .with_help("add a cast, e.g. `$1::text`"))
                }
                ArgType::Undetermined => {
                    return Err(self
                        .error(
                            Code::TypeMismatch,
                            format!("could not determine polymorphic type for {signature}"),
                            span,
                        )
                        .with_help("cast the argument to a concrete type"))
                }
            }
        }
        Ok(())
    }

    /// Resolves `l symbol r` against the operator table, as PostgreSQL's oper_select_candidate
    /// does: first an operator taking both operands at the known one's type when the other is
    /// untyped, then the overload rules functions follow.
    pub fn call_operator(
        &mut self,
        symbol: &str,
        operands: [(&Typed, Span); 2],
        span: Span,
    ) -> Result<(Typed, &'static OperatorDef), Diagnostic> {
        let args = [operands[0].0.clone(), operands[1].0.clone()];
        let rows: Vec<&'static OperatorDef> = operators()
            .filter(|o| o.symbol == symbol)
            .filter(|o| o.extension.is_none_or(|e| self.catalog.has_extension(e)))
            .collect();
        let described = format!("{} {symbol} {}", describe(&args[0]), describe(&args[1]));
        let chosen = match exact_with_unknown(&rows, &args) {
            Some(row) => Ok((row, resolve::Binding::default())),
            None => resolve::select(self.catalog, &rows, &args),
        };
        let (def, mut binding) = match chosen {
            Ok(c) => c,
            Err(Failure::NotUnique) => {
                let code = if args.iter().any(|a| a.ty.is_none()) {
                    Code::ParamType
                } else {
                    Code::TypeMismatch
                };
                return Err(self
                    .error(code, format!("operator is not unique: {described}"), span)
                    .with_help(
                        "cast the untyped operand, e.g. `$1::integer` or `'1 day'::interval`",
                    ));
            }
            Err(Failure::NoMatch) => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("operator does not exist: {described}"),
                        span,
                    )
                    .with_help(format!(
                        "no operator `{symbol}` takes these operand types; add explicit casts"
                    )))
            }
        };
        let types = resolve::argument_types(def, &mut binding, &args);
        for ((a, at), t) in operands.iter().zip(types) {
            match t {
                ArgType::Keep => {}
                ArgType::Coerce(t) => self.coerce(a, &t, *at)?,
                ArgType::UntypedParam | ArgType::Undetermined => {
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!("operator is not unique: {described}"),
                            span,
                        )
                        .with_help("cast the untyped operand"))
                }
            }
        }
        let Some(ret) = binding.resolve(&def.ret()) else {
            return Err(self
                .error(
                    Code::TypeMismatch,
                    format!("could not determine the result type of {described}"),
                    span,
                )
                .with_help("cast the operands to concrete types"));
        };
        let nullable = resolve::result_nullable(def.nulls, &args);
        Ok((Typed::known(ret, nullable), def))
    }
}

impl<'a> Analyzer<'a> {
    /// The routine a call of `name` chooses among the service's functions, for a function
    /// in FROM (`None`: none takes these arguments). It types nothing:
    /// [`Analyzer::call_function`] does, and reports the errors.
    pub(crate) fn user_function(&self, name: &str, args: &[Typed]) -> Option<&'a Routine> {
        let catalog: &'a crate::catalog::Catalog = self.catalog;
        // An aggregate is not a function in FROM.
        let candidates: Vec<Callee> = catalog
            .routines_named(name)
            .filter(|r| r.kind == RoutineKind::Function)
            .filter_map(|r| user_candidate(r, args.len()))
            .collect();
        let refs: Vec<&Callee> = candidates.iter().collect();
        match resolve::select(self.catalog, &refs, args) {
            Ok((Callee::User { routine, .. }, _)) => Some(routine),
            _ => None,
        }
    }
}

impl<'a> Analyzer<'a> {
    /// A call with named arguments (`with_tax(amount => $1)`) of one of the service's
    /// functions or a built-in one whose arguments have names: positional arguments first,
    /// then each named one at its argument's place, the rest from their defaults, as
    /// PostgreSQL's named notation works. The routine, when a service's function is chosen.
    pub(crate) fn named_call(
        &mut self,
        name: &str,
        args: &[&sqlparser::ast::FunctionArg],
        scope: &super::scope::Scope,
        span: Span,
    ) -> Result<(Typed, Option<&'a Routine>), Diagnostic> {
        let catalog: &'a crate::catalog::Catalog = self.catalog;
        let (plain, by_name) = self.split_named_args(args, span)?;
        let mut positional = Vec::new();
        for e in plain {
            positional.push((self.expr(e, scope)?, sqlparser::ast::Spanned::span(e)));
        }
        let mut named: Vec<(String, Typed, Span)> = Vec::new();
        for (n, e) in by_name {
            named.push((n, self.expr(e, scope)?, sqlparser::ast::Spanned::span(e)));
        }
        // Each function that takes these names, with its arguments in declared order.
        let candidates = named_candidates(catalog, name);
        let mut fits: Vec<(Callee<'a>, Vec<(Typed, Span)>)> = Vec::new();
        for c in &candidates {
            if positional.len() > c.inputs.len() {
                continue;
            }
            let mut slots: Vec<Option<(Typed, Span)>> =
                positional.iter().cloned().map(Some).collect();
            slots.resize(c.inputs.len(), None);
            let placed = named.iter().all(|(n, t, s)| {
                match c.inputs.iter().position(|a| a.name == Some(n.as_str())) {
                    Some(i) if slots[i].is_none() => {
                        slots[i] = Some((t.clone(), *s));
                        true
                    }
                    _ => false,
                }
            });
            // A missing argument takes its default; a polymorphic default is not modelled.
            let filled: Option<Vec<(Typed, Span)>> = slots
                .into_iter()
                .zip(&c.inputs)
                .map(|(slot, a)| match (slot, &a.ty) {
                    (Some(v), _) => Some(v),
                    (None, Declared::Type(t)) if a.has_default => {
                        Some((Typed::known(t.clone(), true), span))
                    }
                    _ => None,
                })
                .collect();
            if let (true, Some(filled)) = (placed, filled) {
                fits.push((c.callee, filled));
            }
        }
        let described: Vec<String> = positional
            .iter()
            .map(|(t, _)| describe(t))
            .chain(
                named
                    .iter()
                    .map(|(n, t, _)| format!("{n} => {}", describe(t))),
            )
            .collect();
        let signature = format!("{name}({})", described.join(", "));
        let (callee, filled) = match fits.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("function {signature} does not exist"),
                        span,
                    )
                    .with_help(if candidates.is_empty() {
                        format!("`{name}` has no argument names; pass its arguments by position")
                    } else {
                        format!(
                            "its arguments: {}",
                            candidates
                                .iter()
                                .map(NamedCandidate::signature)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }))
            }
            _ => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("function {signature} is not unique"),
                        span,
                    )
                    .with_help("name more arguments, or add casts"))
            }
        };
        let typed: Vec<Typed> = filled.iter().map(|(t, _)| t.clone()).collect();
        let spans: Vec<Span> = filled.iter().map(|(_, s)| *s).collect();
        let (def, mut binding) = match resolve::select(self.catalog, &[&callee], &typed) {
            Ok((d, b)) => (*d, b),
            Err(_) => {
                return Err(self
                    .error(
                        Code::TypeMismatch,
                        format!("function {signature} does not exist"),
                        span,
                    )
                    .with_help(format!(
                        "`{}` does not take these argument types; add explicit casts",
                        candidates
                            .iter()
                            .find(|c| same_callee(&c.callee, &callee))
                            .map(NamedCandidate::signature)
                            .unwrap_or_default()
                    )))
            }
        };
        self.coerce_arguments(&def, &mut binding, &typed, &spans, &signature, name, span)?;
        let (nullable, routine) = match callee {
            Callee::Builtin(d) => (resolve::result_nullable(d.nulls, &typed), None),
            // What a user function returns is not known; it may be NULL.
            Callee::User { routine, .. } => (true, Some(routine)),
        };
        match binding.resolve(&def.ret()) {
            Some(ret) => Ok((Typed::known(ret, nullable), routine)),
            None => Err(self
                .error(
                    Code::TypeMismatch,
                    format!("could not determine the result type of {signature}"),
                    span,
                )
                .with_help("cast the arguments to concrete types")),
        }
    }
}

/// A function a call in named notation may mean, with its input arguments in declared
/// order.
struct NamedCandidate<'a> {
    callee: Callee<'a>,
    inputs: Vec<NamedInput<'a>>,
}

struct NamedInput<'a> {
    name: Option<&'a str>,
    ty: Declared,
    has_default: bool,
}

impl NamedCandidate<'_> {
    /// `name(a integer, b text DEFAULT)`, as a hint lists it.
    fn signature(&self) -> String {
        let name = match self.callee {
            Callee::Builtin(d) => d.name,
            Callee::User { routine, .. } => &routine.name,
        };
        let args: Vec<String> = self
            .inputs
            .iter()
            .map(|a| {
                let mut s = a.name.map(|n| format!("{n} ")).unwrap_or_default();
                s.push_str(&a.ty.to_string());
                if a.has_default {
                    s.push_str(" DEFAULT");
                }
                s
            })
            .collect();
        format!("{name}({})", args.join(", "))
    }
}

/// The service's functions named `name` and the built-in ones with argument names.
fn named_candidates<'a>(
    catalog: &'a crate::catalog::Catalog,
    name: &str,
) -> Vec<NamedCandidate<'a>> {
    let user = catalog
        .routines_named(name)
        .filter(|r| r.kind.in_expressions())
        .map(|r| {
            let inputs: Vec<NamedInput> = r
                .args
                .iter()
                .filter(|a| a.mode.is_input())
                .map(|a| NamedInput {
                    name: a.name.as_deref(),
                    ty: a.ty.clone(),
                    has_default: a.has_default,
                })
                .collect();
            NamedCandidate {
                callee: Callee::User {
                    routine: r,
                    passed: inputs.len(),
                },
                inputs,
            }
        });
    let builtin = functions::named_signatures(name).map(|sig| {
        let first_default = sig.def.arity() - sig.defaults.min(sig.def.arity());
        NamedCandidate {
            callee: Callee::Builtin(sig.def),
            inputs: (0..sig.def.arity())
                .map(|i| NamedInput {
                    name: sig.names.get(i).copied().filter(|n| !n.is_empty()),
                    ty: sig.def.arg(i),
                    has_default: i >= first_default,
                })
                .collect(),
        }
    });
    user.chain(builtin).collect()
}

fn same_callee(a: &Callee, b: &Callee) -> bool {
    match (a, b) {
        (Callee::Builtin(x), Callee::Builtin(y)) => std::ptr::eq(*x, *y),
        (Callee::User { routine: x, .. }, Callee::User { routine: y, .. }) => std::ptr::eq(*x, *y),
        _ => false,
    }
}

fn n_span(a: &sqlparser::ast::FunctionArg, fallback: Span) -> Span {
    match a {
        sqlparser::ast::FunctionArg::Named { name, .. } => name.span,
        sqlparser::ast::FunctionArg::ExprNamed { name, .. } => sqlparser::ast::Spanned::span(name),
        _ => fallback,
    }
}

/// oper_select_candidate's first rule (`binary_oper_exact`): with one operand untyped,
/// assume it has the other's type and look for an operator taking exactly that pair.
fn exact_with_unknown(
    rows: &[&'static OperatorDef],
    args: &[Typed; 2],
) -> Option<&'static OperatorDef> {
    let known = match (&args[0].ty, &args[1].ty) {
        (Some(t), None) | (None, Some(t)) => super::ops::plain(t),
        _ => return None,
    };
    // binary_oper_exact: the known type on both sides, then a domain's base type.
    let find = |want: Option<SqlType>| {
        rows.iter()
            .find(|r| r.args.iter().all(|&a| resolve::concrete(a) == want))
            .copied()
    };
    let base = super::ops::plain(known.base_type());
    find(Some(known.clone())).or_else(|| (base != known).then(|| find(Some(base))).flatten())
}
