//! Query analysis: for any statement, decide what PostgreSQL would decide — accept or reject,
//! the type of each `$n`, and the name, type and nullability of each result column — from the
//! catalog alone.
//!
//! A construct the analysis does not understand is an error "not supported yet: …", never an
//! acceptance with guessed types: no false accepts first, completeness second.

mod call;
pub(crate) mod cast;
pub mod colname;
mod composite;
mod dml;
mod expr;
mod from;
mod function;
pub mod jsonpath;
pub mod literals;
mod ops;
mod order;
mod predicates;
mod query;
mod resolve;
mod scope;
mod select;
mod setops;
mod spans;
mod special;
mod utility;

use crate::policies::cockroach::CrdbRule;
use std::sync::Arc;

use sqlparser::ast::Statement;
use sqlparser::tokenizer::Span;

use crate::catalog::{Catalog, SqlType};
use crate::diagnostic::{Code, Diagnostic};
use crate::policies::Env;
use crate::source::{Fragment, SourceFile};
use crate::statements::{parse_statement, split_statements};

pub use crate::builtins::functions::{
    all as all_functions, FUNCTIONS, KEYWORD_FUNCTIONS, ORDERED_SET,
};
pub use crate::builtins::operators::operators;

pub use crate::catalog::OutputColumn;

/// What a query is analysed against: the service's catalog, its settings and the names the
/// other services own.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub env: &'a Env,
}

/// What the analysis decided about one statement.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// `$1..$n` in order (empty when analysis failed before they were all known).
    pub params: Vec<SqlType>,
    pub columns: Vec<OutputColumn>,
    /// Where each result column comes from, in order; empty when the analysis does not say
    /// (a set operation's columns merge their branches').
    pub provenance: Vec<Provenance>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a result column's value comes from, as far as the analysis knows: what an editor
/// shows on the generated field, so that a user sees why it is an `Option` or not.
#[derive(Debug, Clone, PartialEq)]
pub enum Provenance {
    /// Read as it is from a column of a relation of the FROM clause.
    Column {
        /// The table or view behind the relation; `None` for a subquery, CTE or function.
        table: Option<String>,
        /// The name the query gives the relation (its alias, else the table's name).
        relation: String,
        column: String,
        why: Nullability,
    },
    /// The value of an aggregate call (`count(*)`, `max(x)`), named as written: its NULL
    /// over no rows is why it is an `Option` (or, for `count`, why it is not).
    Aggregate { function: String },
    /// Computed by an expression.
    Expression,
}

/// Why a column read as it is may be NULL or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nullability {
    /// The column is NOT NULL (or, from a subquery, never NULL).
    NotNull,
    /// The column may hold NULL.
    Nullable,
    /// Its relation is on the nullable side of an outer join.
    OuterJoin,
    /// It may hold NULL, but the WHERE clause keeps only rows where it is not (`col IS NOT
    /// NULL`, `col = …`).
    Narrowed,
}

impl Analysis {
    pub fn ok(&self) -> bool {
        !crate::diagnostic::has_errors(&self.diagnostics)
    }
}

/// A value's type as far as it is known. `ty` is `None` for an untyped literal, `NULL`, or a
/// parameter whose type is not yet decided; `origin` says which.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Typed {
    pub ty: Option<SqlType>,
    pub nullable: bool,
    pub origin: Origin,
}

/// One FROM scope of a query (each subquery level, join side or DML target gets its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScopeId(pub usize);

/// A column of a scope: which relation of the scope, and which of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ColumnId {
    pub scope: ScopeId,
    pub rel: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Origin {
    Column(ColumnId),
    /// An untyped string literal, with its text.
    Literal(String),
    Null,
    /// Parameter index (0-based).
    Param(usize),
    /// Already reported: suppress follow-up errors.
    Error,
    Value,
    /// A row constructor (`ROW(a, b)`, `(a, b)`) with its fields, of type `record` until
    /// it is coerced to a composite type field by field.
    Row(Vec<Typed>),
}

impl Typed {
    pub fn known(ty: SqlType, nullable: bool) -> Typed {
        Typed {
            ty: Some(ty),
            nullable,
            origin: Origin::Value,
        }
    }

    pub fn error() -> Typed {
        Typed {
            ty: None,
            nullable: true,
            origin: Origin::Error,
        }
    }

    pub fn is_error(&self) -> bool {
        self.origin == Origin::Error
    }
}

/// Aggregation state of the SELECT being analysed: PostgreSQL's "must appear in the GROUP BY
/// clause or be used in an aggregate function" rule.
#[derive(Debug, Clone)]
pub(crate) struct Grouping {
    pub scope_id: ScopeId,
    /// GROUP BY expressions as written, for matching whole expressions.
    pub exprs: Vec<String>,
    pub columns: Vec<ColumnId>,
    /// Relations (by index) whose primary key is fully grouped: all their columns are
    /// functionally dependent on it.
    pub dependent_rels: Vec<usize>,
    /// GROUPING SETS, ROLLUP or CUBE: a grouped value is NULL in the rows of the sets
    /// that leave it out.
    pub partial: bool,
}

pub(crate) struct Analyzer<'a> {
    pub catalog: &'a Catalog,
    pub env: &'a Env,
    pub frag: &'a Fragment,
    pub params: Vec<Option<SqlType>>,
    pub param_spans: Vec<Option<Span>>,
    /// References to each parameter made while its type was unknown and not (yet) typed by
    /// their context. PostgreSQL rejects a parameter typed by a later use but left untyped
    /// at an earlier one (`$1 IS NULL OR email = $1`).
    pub untyped_refs: Vec<usize>,
    pub diagnostics: Vec<Diagnostic>,
    pub next_scope: usize,
    /// CTEs visible at this point, innermost last.
    pub ctes: Vec<query::Cte>,
    /// Expressions whose type differs on CockroachDB (integer `/`, `sum` of integers), by
    /// span: reported when they are a result column as is (a cast makes them portable).
    pub divergent: Vec<(Span, CrdbRule)>,
    /// One entry per query level being analysed (subqueries push one).
    pub levels: Vec<Level>,
    /// How many `Query` nodes enclose the current point (1 in the outermost SELECT), to
    /// keep data-modifying WITH queries at the top level.
    pub query_depth: usize,
    /// In a SQL routine's body: the routine, whose arguments are `$1…` and, by name,
    /// whatever no column takes.
    pub routine: Option<RoutineScope>,
    /// The statement's result columns' [`Provenance`], with how many SELECT lists or
    /// RETURNING clauses of the outermost query gave one (more than one: a set operation).
    pub provenance: (Vec<Provenance>, usize),
}

/// The arguments a SQL function's body sees: `$n` by position, and by name (also as
/// `function_name.argument`).
#[derive(Debug, Clone)]
pub struct RoutineScope {
    pub name: String,
    pub args: Vec<(Option<String>, SqlType)>,
}

/// State of one query level.
#[derive(Debug, Clone, Default)]
pub(crate) struct Level {
    pub grouping: Option<Grouping>,
    /// Depth of aggregate-argument evaluation (columns there need no grouping).
    pub in_aggregate: usize,
    /// Depth of evaluation of a whole GROUP BY expression.
    pub grouped_expr: usize,
    /// Whether window functions are allowed where we are (SELECT list, ORDER BY).
    pub windows_allowed: bool,
    /// Whether aggregates are allowed where we are (not in WHERE, ON, GROUP BY).
    pub aggregates_allowed: bool,
    /// The SELECT's `WINDOW name AS (…)` definitions, each resolved to a full spec.
    pub windows: Vec<(String, sqlparser::ast::WindowSpec)>,
}

impl<'a> Analyzer<'a> {
    pub fn new(cx: Context<'a>, frag: &'a Fragment) -> Self {
        spans::forget_spans();
        Analyzer {
            catalog: cx.catalog,
            env: cx.env,
            frag,
            params: Vec::new(),
            param_spans: Vec::new(),
            untyped_refs: Vec::new(),
            diagnostics: Vec::new(),
            next_scope: 0,
            ctes: Vec::new(),
            levels: vec![Level::default()],
            query_depth: 0,
            divergent: Vec::new(),
            routine: None,
            provenance: (Vec::new(), 0),
        }
    }

    pub fn level(&mut self) -> &mut Level {
        self.levels.last_mut().expect("a query level")
    }

    pub fn error(&self, code: Code, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(code, message).at_span(self.frag, span)
    }

    pub fn unsupported(&self, what: impl std::fmt::Display, span: Span) -> Diagnostic {
        self.error(Code::Unsupported, format!("not supported yet: {what}"), span)
            .with_help("rewrite the query with constructs the checker understands, or report it; the checker never guesses")
    }

    /// The error for a name only another service defines: "table `x` belongs to service
    /// `y`; services own their data".
    pub fn foreign(&self, kind: &str, name: &str, span: Span) -> Option<Diagnostic> {
        let owners = self.env.foreign.get(name)?;
        let (message, help) = crate::policies::ownership_message(kind, name, owners);
        Some(
            self.error(Code::ForeignTable, message, span)
                .with_help(help),
        )
    }

    /// A CockroachDB incompatibility as an error, when the service targets CockroachDB.
    pub fn crdb_error(&self, rule: CrdbRule, what: &str, span: Span) -> Option<Diagnostic> {
        self.env
            .settings
            .enforces(rule)
            .then(|| crate::policies::cockroach::diagnostic(rule, what).at_span(self.frag, span))
    }

    /// A CockroachDB divergence warning (the macros make it an error when it changes the
    /// Rust type).
    pub fn crdb_warning(&mut self, rule: CrdbRule, what: &str, span: Span) {
        if self.env.settings.enforces(rule) {
            let d = crate::policies::cockroach::diagnostic(rule, what).at_span(self.frag, span);
            self.diagnostics.push(d);
        }
    }

    pub fn new_scope_id(&mut self) -> ScopeId {
        self.next_scope += 1;
        ScopeId(self.next_scope)
    }

    /// Decides (or checks) the type of parameter `index` from its context.
    pub fn set_param(&mut self, index: usize, ty: &SqlType, span: Span) -> Result<(), Diagnostic> {
        let ty = ops::plain(ty);
        match &self.params[index] {
            None => {
                self.params[index] = Some(ty);
                self.untyped_refs[index] = self.untyped_refs[index].saturating_sub(1);
                Ok(())
            }
            // An untyped use met by a context of the parameter's own type is resolved (as
            // PostgreSQL's coerce_type does for an UNKNOWN Param); any other type is an
            // inconsistency, even an implicitly castable one.
            Some(existing) if *existing == ty => {
                self.untyped_refs[index] = self.untyped_refs[index].saturating_sub(1);
                Ok(())
            }
            Some(existing) => Err(self
                .error(
                    Code::ParamType,
                    format!(
                        "inconsistent types deduced for parameter ${}: {existing} and {ty}",
                        index + 1
                    ),
                    span,
                )
                .with_help(format!(
                    "cast the parameter where it is used, e.g. `${}::{existing}`",
                    index + 1
                ))),
        }
    }

    pub fn note_param(&mut self, index: usize, span: Span) {
        if self.params.len() <= index {
            self.params.resize(index + 1, None);
            self.param_spans.resize(index + 1, None);
            self.untyped_refs.resize(index + 1, 0);
        }
        if self.param_spans[index].is_none() {
            self.param_spans[index] = Some(span);
        }
    }
}

/// Analyses one SQL statement given inline.
pub fn analyze_sql(cx: Context, sql: &str) -> Analysis {
    let file = SourceFile::inline(sql);
    analyze_source(cx, &file)
}

/// Analyses the single statement in `file` (a query given inline or read from a file).
pub fn analyze_source(cx: Context, file: &Arc<SourceFile>) -> Analysis {
    // Most queries are one statement with no `;` and no comment: splitting would give the
    // text trimmed of whitespace, so it is analysed as that without tokenizing the text a
    // second time (the parse tokenizes it). A query the analysis finds anything in takes
    // the full path below, so what is reported is exactly what the full path reports.
    if let Some(range) = plain_single_statement(&file.text) {
        let frag = Fragment {
            file: file.clone(),
            range,
        };
        let analysis = analyze_fragment(cx, &frag);
        if analysis.diagnostics.is_empty() {
            return analysis;
        }
    }
    let statements = match split_statements(file, 0..file.text.len()) {
        Ok(s) => s,
        Err(d) => {
            return Analysis {
                diagnostics: vec![d],
                ..Analysis::default()
            }
        }
    };
    match statements.as_slice() {
        [one] => analyze_fragment(cx, one),
        [] => Analysis {
            diagnostics: vec![Diagnostic::new(Code::SyntaxError, "empty query")
                .at(file, 0..file.text.len())
                .with_help("write one SQL statement")],
            ..Analysis::default()
        },
        [_, second, ..] => Analysis {
            diagnostics: vec![Diagnostic::new(
                Code::SyntaxError,
                "a query holds exactly one statement",
            )
            .at(file, second.range.clone())
            .with_help("split the statements into separate queries")],
            ..Analysis::default()
        },
    }
}

/// The range of `text` as its one statement, when nothing in it can split it or hide
/// in a comment (no `;`, `--` or `/*`) and its only whitespace is what the tokenizer
/// skips (space, tab, newline, carriage return): the text trimmed of that whitespace.
fn plain_single_statement(text: &str) -> Option<std::ops::Range<usize>> {
    const SKIPPED: [char; 4] = [' ', '\t', '\n', '\r'];
    if text.contains(';')
        || text.contains("--")
        || text.contains("/*")
        || text
            .chars()
            .any(|c| c.is_whitespace() && !SKIPPED.contains(&c))
    {
        return None;
    }
    let start = text.len() - text.trim_start_matches(SKIPPED).len();
    let end = text.trim_end_matches(SKIPPED).len();
    (start < end).then_some(start..end)
}

/// Analyses one statement of a file.
pub fn analyze_fragment(cx: Context, frag: &Fragment) -> Analysis {
    crate::stack::for_statement(frag.range.len(), || {
        let stmt = match parse_statement(frag) {
            Ok(s) => s,
            Err(d) => {
                return Analysis {
                    diagnostics: vec![d],
                    ..Analysis::default()
                }
            }
        };
        analyze_statement(cx, frag, &stmt)
    })
}

pub fn analyze_statement(cx: Context, frag: &Fragment, stmt: &Statement) -> Analysis {
    run(Analyzer::new(cx, frag), stmt)
}

/// One statement of a SQL function's body, with the routine's arguments in scope, as
/// PostgreSQL analyses the body when the function is created.
pub fn analyze_routine_statement(
    cx: Context,
    frag: &Fragment,
    stmt: &Statement,
    routine: &RoutineScope,
) -> Analysis {
    let mut a = Analyzer::new(cx, frag);
    let n = routine.args.len();
    a.params = routine.args.iter().map(|(_, t)| Some(t.clone())).collect();
    a.param_spans = vec![Some(Span::empty()); n];
    a.untyped_refs = vec![0; n];
    a.routine = Some(routine.clone());
    run(a, stmt)
}

fn run(mut a: Analyzer, stmt: &Statement) -> Analysis {
    let result = match stmt {
        Statement::Query(q) => a.top_query(q),
        Statement::Insert(i) => a.insert(i),
        Statement::Update(u) => a.update(u),
        Statement::Delete(d) => a.delete(d),
        Statement::Call(f) => a.call(f),
        Statement::Set(_) | Statement::Reset(_) | Statement::ShowVariable { .. } => a.utility(stmt),
        Statement::LISTEN { .. } | Statement::UNLISTEN { .. } | Statement::NOTIFY { .. } | Statement::Lock(_) => {
            let (rule, what) = if matches!(stmt, Statement::Lock(_)) { (CrdbRule::LockTable, "LOCK TABLE") } else { (CrdbRule::ListenNotify, "LISTEN/NOTIFY") };
            let span = sqlparser::ast::Spanned::span(stmt);
            Err(a.crdb_error(rule, what, span).unwrap_or_else(|| a.unsupported(what, span)))
        }
        other => Err(a
            .error(Code::Unsupported, "not supported yet: only SELECT, INSERT, UPDATE, DELETE, CALL, SET, RESET and SHOW can be checked", sqlparser::ast::Spanned::span(other))
            .with_help("queries run by services are SELECT, INSERT, UPDATE, DELETE or CALL; schema changes belong in migrations")),
    };
    let mut analysis = Analysis::default();
    match result {
        // RowDescription reports a domain column as its base type and type modifier
        // (printtup's getBaseTypeAndTypmod); an array of a domain stays one.
        Ok(columns) => {
            analysis.columns = columns
                .into_iter()
                .map(|c| OutputColumn {
                    ty: c.ty.base_type().clone(),
                    ..c
                })
                .collect()
        }
        Err(d) => a.diagnostics.push(d),
    }
    if !crate::diagnostic::has_errors(&a.diagnostics) {
        match a.finish_params() {
            Ok(params) => analysis.params = params,
            Err(d) => a.diagnostics.push(d),
        }
    }
    if a.provenance.1 == 1 && a.provenance.0.len() == analysis.columns.len() {
        analysis.provenance = a.provenance.0;
    }
    analysis.diagnostics = a.diagnostics;
    // Reported as found (WHERE before the SELECT list); shown in reading order.
    analysis.diagnostics.sort_by_key(|d| (d.start, d.end));
    if !analysis.ok() {
        analysis.columns.clear();
        analysis.params.clear();
    }
    analysis
}

/// A view's columns, analysed when the view is created. An error PostgreSQL would raise is
/// returned as such; a construct the analysis does not support gives `Ok(None)`: the view is
/// kept, and queries reading it are refused as unsupported rather than guessed.
pub fn analyze_view(
    cx: Context,
    frag: &Fragment,
    query: &sqlparser::ast::Query,
) -> Result<Option<Vec<OutputColumn>>, Diagnostic> {
    let mut a = Analyzer::new(cx, frag);
    let result = a.top_query(query);
    let mut diagnostics = std::mem::take(&mut a.diagnostics);
    match result {
        Ok(cols) if !crate::diagnostic::has_errors(&diagnostics) => {
            if let Some(span) = a.param_spans.iter().flatten().next() {
                return Err(a
                    .error(
                        Code::InvalidQuery,
                        "there is no parameter $1 in a view definition",
                        *span,
                    )
                    .with_help("views cannot take parameters"));
            }
            Ok(Some(cols))
        }
        Ok(_) => Err(diagnostics.remove(0)),
        Err(d) if d.code == Code::Unsupported => Ok(None),
        Err(d) => Err(d),
    }
}

impl Analyzer<'_> {
    /// Every parameter must be used and have a type: `$1, $3` without `$2` is an error, as is
    /// a parameter no context types.
    fn finish_params(&mut self) -> Result<Vec<SqlType>, Diagnostic> {
        let mut out = Vec::new();
        for (i, t) in self.params.iter().enumerate() {
            match (t, self.param_spans[i]) {
                (Some(_), Some(span)) if self.untyped_refs[i] > 0 => {
                    return Err(self
                        .error(Code::ParamType, format!("could not determine data type of parameter ${}", i + 1), span)
                        .with_help(format!("a use of ${n} comes before the one that types it; cast the first use, e.g. `${n}::text IS NULL`", n = i + 1)));
                }
                (Some(t), _) => out.push(t.clone()),
                (None, None) => {
                    let span = self
                        .param_spans
                        .iter()
                        .flatten()
                        .next()
                        .copied()
                        .unwrap_or(Span::empty());
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!(
                                "parameter ${} is never used, but ${} is",
                                i + 1,
                                self.params.len()
                            ),
                            span,
                        )
                        .with_help("number parameters $1, $2, … without gaps"));
                }
                (None, Some(span)) => {
                    return Err(self
                        .error(
                            Code::ParamType,
                            format!("could not determine data type of parameter ${}", i + 1),
                            span,
                        )
                        .with_help(format!("add a cast, e.g. `${}::text`", i + 1)));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
