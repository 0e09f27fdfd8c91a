//! `DO $$ … $$` blocks, interpreted in the forms real migration histories use them:
//! sequences of DDL, idempotency guards (`IF NOT EXISTS (SELECT 1 FROM pg_type WHERE
//! typname = 'x') THEN … END IF`) decided against the catalog at that point, and
//! `BEGIN … EXCEPTION WHEN duplicate_object THEN NULL; END` with PostgreSQL's
//! subtransaction semantics (the failed part is undone, the handler runs). `EXECUTE` of a
//! string literal runs its SQL; `FOR x IN SELECT … FROM <schemas or tables> LOOP` runs its
//! body once per row of the catalog, with `EXECUTE format(…)` built from `x`
//! (`super::do_loop`). Anything else is an error at the block that says what to
//! do: write the DDL plainly, or declare the block's effect in a comment right before it,
//!
//! ```sql
//! /* checked-query effect:
//! ALTER TABLE users ADD COLUMN nickname TEXT;
//! */
//! DO $$ … $$;
//! ```
//!
//! which the checker applies instead (and `checked_query::testing::up_down_up` compares
//! with what PostgreSQL's run of the block produced).

use std::ops::Range;
use std::sync::Arc;

use sqlparser::ast::{BinaryOperator, Expr, SetExpr, TableFactor, UnaryOperator, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::ddl::sqlstate;
use super::do_loop::Binding;
use super::fallback::{tokens, Tok};
use crate::catalog::{object_key, split_key, Catalog};
use crate::diagnostic::{Code, Diagnostic};
use crate::policies::Env;
use crate::source::{Fragment, SourceFile};

/// The header of a comment declaring a DO block's effect.
pub const EFFECT_HEADER: &str = "checked-query effect:";

/// A DO statement: its PL/pgSQL body and, if the author declared one, its effect.
pub struct DoBlock {
    body: Fragment,
    effect: Option<Fragment>,
}

/// Recognises `DO [LANGUAGE plpgsql] $$ … $$ [LANGUAGE plpgsql]`.
pub fn recognize(frag: &Fragment) -> Option<Result<DoBlock, Diagnostic>> {
    let toks = tokens(frag)?;
    if !toks.first().is_some_and(|t| t.is("DO")) {
        return None;
    }
    let mut i = 1;
    let mut language = None;
    let mut body = None;
    while i < toks.len() {
        if toks[i].is("LANGUAGE") {
            language = toks.get(i + 1).and_then(|t| t.word.clone());
            i += 2;
        } else if let Token::DollarQuotedString(d) = &toks[i].token {
            body = Some(content_range(frag, toks[i].range.clone(), &d.value));
            i += 1;
        } else if let Token::SingleQuotedString(s) = &toks[i].token {
            body = Some(content_range(frag, toks[i].range.clone(), s));
            i += 1;
        } else {
            return None;
        }
    }
    let unsupported = |message: String| {
        Some(Err(
            Diagnostic::new(Code::Unsupported, message).at(&frag.file, frag.range.clone())
        ))
    };
    if let Some(l) = language.filter(|l| l != "plpgsql") {
        return unsupported(format!("not supported yet: a DO block in language `{l}`"));
    }
    let Some(body) = body else {
        return unsupported("a DO block without a body".to_string());
    };
    Some(Ok(DoBlock {
        body,
        effect: declared_effect(frag),
    }))
}

/// The body's text as a fragment of the migration itself when it appears there verbatim
/// (dollar quoting), so errors point into the file; else as a file of its own.
fn content_range(frag: &Fragment, quoted: Range<usize>, value: &str) -> Fragment {
    let text = &frag.file.text;
    let found = text
        .get(quoted.clone())
        .and_then(|q| q.find(value))
        .map(|at| quoted.start + at..quoted.start + at + value.len())
        .filter(|r| text.get(r.clone()) == Some(value));
    match found {
        Some(range) => Fragment {
            file: frag.file.clone(),
            range,
        },
        None => {
            let file = SourceFile::inline(value);
            let range = 0..file.text.len();
            Fragment { file, range }
        }
    }
}

/// `/* checked-query effect: … */` right before the statement (only whitespace between).
fn declared_effect(frag: &Fragment) -> Option<Fragment> {
    let before = frag.file.text.get(..frag.range.start)?.trim_end();
    let inner_end = before.strip_suffix("*/")?.len();
    let open = before[..inner_end].rfind("/*")?;
    let content = &before[open + 2..inner_end];
    let header = content.find(EFFECT_HEADER)?;
    content[..header].trim().is_empty().then(|| {
        let start = open + 2 + header + EFFECT_HEADER.len();
        Fragment {
            file: frag.file.clone(),
            range: start..inner_end,
        }
    })
}

/// One PL/pgSQL statement of the forms interpreted.
enum Step {
    Sql(Fragment),
    If {
        branches: Vec<(Fragment, Vec<Step>)>,
        otherwise: Vec<Step>,
    },
    Block {
        body: Vec<Step>,
        /// SQLSTATEs caught (`None`: `others`) and the handler.
        handlers: Vec<(Option<Vec<&'static str>>, Vec<Step>)>,
    },
    Null,
    Raise(Fragment),
    /// A statement that reads or writes data but cannot change the schema: `SELECT … INTO
    /// variable`, an assignment to a declared variable, `GET DIAGNOSTICS`, `EXIT`, and DML
    /// that uses the block's variables (which the query analysis cannot see).
    Data,
    /// `[<<label>>] LOOP | WHILE … LOOP | FOR … LOOP | FOREACH … LOOP … END LOOP;`: its
    /// body runs any number of times, so it is interpreted only when nothing in it can
    /// change the schema.
    Loop {
        body: Vec<Step>,
        at: Fragment,
        /// `FOR targets IN query`: the loop's variables and its query, which the body runs
        /// once per row of when the query reads the system catalogs.
        over: Option<(Vec<String>, Fragment)>,
    },
    /// `EXECUTE expr` of a computed string (`format(…)`, `||`): built from the loop's
    /// variables when it runs.
    Execute {
        expr: Fragment,
    },
    /// A statement read to its `;` but not interpreted (`PERFORM f()`, an assignment,
    /// `GET DIAGNOSTICS`…): an error only if it runs, so a guard that skips it (`IF EXISTS
    /// (… pg_cron …) THEN PERFORM cron.schedule(…)`) still lets the block be interpreted.
    Opaque {
        what: String,
        at: Fragment,
    },
}

struct Reader<'a> {
    toks: &'a [Tok],
    i: usize,
    frag: &'a Fragment,
    /// Variables the enclosing blocks declare (and FOR loops bind).
    vars: Vec<String>,
}

type Parsed<T> = Result<T, (String, Range<usize>)>;

impl Reader<'_> {
    fn peek(&self, k: &str) -> bool {
        self.toks.get(self.i).is_some_and(|t| t.is(k))
    }

    fn at(&self) -> Range<usize> {
        self.toks
            .get(self.i)
            .map_or(self.frag.range.end..self.frag.range.end, |t| {
                t.range.clone()
            })
    }

    fn expect(&mut self, k: &str) -> Parsed<()> {
        if self.peek(k) {
            self.i += 1;
            Ok(())
        } else {
            Err((format!("expected {k}"), self.at()))
        }
    }

    fn semicolon(&mut self) {
        if self
            .toks
            .get(self.i)
            .is_some_and(|t| t.token == Token::SemiColon)
        {
            self.i += 1;
        }
    }

    /// The source between token `from` and the current one, as a fragment.
    fn span_of(&self, from: usize, to: usize) -> Fragment {
        let start = self.toks[from].range.start;
        let end = self.toks[to - 1].range.end;
        Fragment {
            file: self.frag.file.clone(),
            range: start..end,
        }
    }

    /// `[DECLARE …] BEGIN stmts [EXCEPTION WHEN … THEN stmts …] END [;]`
    fn block(&mut self) -> Parsed<Step> {
        let outer_vars = self.vars.len();
        if self.peek("DECLARE") {
            self.i += 1;
            // `name [CONSTANT] type [NOT NULL] [{ DEFAULT | := | = } expr];` each.
            while self.i < self.toks.len() && !self.peek("BEGIN") {
                let name = self.toks[self.i].word.clone().ok_or((
                    "a declaration that does not start with a name".to_string(),
                    self.at(),
                ))?;
                self.vars.push(name);
                self.until_semicolon()?;
            }
        }
        let step = self.block_body();
        self.vars.truncate(outer_vars);
        step
    }

    fn block_body(&mut self) -> Parsed<Step> {
        self.expect("BEGIN")?;
        let body = self.statements(&["END", "EXCEPTION"])?;
        let mut handlers = Vec::new();
        if self.peek("EXCEPTION") {
            self.i += 1;
            while self.peek("WHEN") {
                self.i += 1;
                let mut states: Option<Vec<&'static str>> = Some(Vec::new());
                loop {
                    let t = self
                        .toks
                        .get(self.i)
                        .ok_or(("an unfinished EXCEPTION clause".to_string(), self.at()))?;
                    let name = t.word.clone().unwrap_or_default();
                    if name == "others" {
                        states = None;
                    } else if let Some((_, s)) =
                        sqlstate::CONDITIONS.iter().find(|(n, _)| *n == name)
                    {
                        if let Some(v) = states.as_mut() {
                            v.push(s);
                        }
                    } else {
                        return Err((format!("the exception condition `{name}`"), t.range.clone()));
                    }
                    self.i += 1;
                    if self.peek("OR") {
                        self.i += 1;
                        continue;
                    }
                    break;
                }
                self.expect("THEN")?;
                let handler = self.statements(&["WHEN", "END"])?;
                handlers.push((states, handler));
            }
        }
        self.expect("END")?;
        self.semicolon();
        Ok(Step::Block { body, handlers })
    }

    fn statements(&mut self, until: &[&str]) -> Parsed<Vec<Step>> {
        let mut out = Vec::new();
        while self.i < self.toks.len() && !until.iter().any(|k| self.peek(k)) {
            out.push(self.statement()?);
        }
        if self.i >= self.toks.len() {
            return Err((
                format!("the block ends before {}", until.join(" or ")),
                self.at(),
            ));
        }
        Ok(out)
    }

    /// The tokens up to the next `;` at the top level (the tokenizer keeps quoted text whole).
    fn until_semicolon(&mut self) -> Parsed<(usize, usize)> {
        let from = self.i;
        while self.i < self.toks.len() && self.toks[self.i].token != Token::SemiColon {
            self.i += 1;
        }
        if self.i >= self.toks.len() || from == self.i {
            return Err(("a statement without its `;`".to_string(), self.at()));
        }
        let to = self.i;
        self.i += 1;
        Ok((from, to))
    }

    fn statement(&mut self) -> Parsed<Step> {
        if self.peek("BEGIN") || self.peek("DECLARE") {
            return self.block();
        }
        if self.peek("IF") {
            return self.if_statement();
        }
        if self.peek("NULL")
            && self
                .toks
                .get(self.i + 1)
                .is_some_and(|t| t.token == Token::SemiColon)
        {
            self.i += 2;
            return Ok(Step::Null);
        }
        if self.peek("RAISE") {
            let level = self
                .toks
                .get(self.i + 1)
                .map(|t| t.upper.clone())
                .unwrap_or_default();
            let (from, to) = self.until_semicolon()?;
            return Ok(match level.as_str() {
                "NOTICE" | "INFO" | "LOG" | "DEBUG" | "WARNING" => Step::Null,
                _ => Step::Raise(self.span_of(from, to)),
            });
        }
        if self.peek("EXECUTE") {
            let at = self.at();
            let (from, to) = self.until_semicolon()?;
            return match &self.toks[from + 1..to] {
                [t] => match &t.token {
                    Token::SingleQuotedString(s)
                    | Token::DollarQuotedString(sqlparser::ast::DollarQuotedString {
                        value: s,
                        ..
                    }) => Ok(Step::Sql(content_range(self.frag, t.range.clone(), s))),
                    _ => Err(("EXECUTE of a computed string".to_string(), at)),
                },
                // `EXECUTE expr [INTO …] [USING …]`: only the plain form builds DDL.
                rest if !rest.iter().any(|t| t.is("INTO") || t.is("USING")) => Ok(Step::Execute {
                    expr: self.span_of(from + 1, to),
                }),
                _ => Err(("EXECUTE of a computed string".to_string(), at)),
            };
        }
        if ["LOOP", "FOR", "WHILE", "FOREACH"]
            .iter()
            .any(|k| self.peek(k))
            || self
                .toks
                .get(self.i)
                .is_some_and(|t| t.token == Token::ShiftLeft)
        {
            return self.loop_statement();
        }
        // Statements with a body of their own cannot be skipped to a `;`.
        if self.peek("CASE") {
            return Err(("`CASE` in a DO block".to_string(), self.at()));
        }
        if ["GET", "EXIT", "CONTINUE"].iter().any(|k| self.peek(k)) {
            self.until_semicolon()?;
            return Ok(Step::Data);
        }
        let first = self.toks.get(self.i).and_then(|t| t.word.clone());
        let assigns = self
            .toks
            .get(self.i + 1)
            .is_some_and(|t| t.token == Token::Assignment || t.token == Token::Eq);
        if assigns && first.is_some_and(|w| self.vars.contains(&w)) {
            self.until_semicolon()?;
            return Ok(Step::Data);
        }
        if ["SELECT", "WITH", "INSERT", "UPDATE", "DELETE"]
            .iter()
            .any(|k| self.peek(k))
        {
            let at = self.i;
            let (from, to) = self.until_semicolon()?;
            // `SELECT … INTO target` assigns variables (INSERT's INTO names a table).
            let query = self.toks[from].is("SELECT") || self.toks[from].is("WITH");
            let uses_vars = self.toks[from..to].iter().any(|t| {
                (query && t.is("INTO")) || t.word.as_ref().is_some_and(|w| self.vars.contains(w))
            });
            if uses_vars && !self.vars.is_empty() {
                return Ok(Step::Data);
            }
            self.i = at;
        }
        let opaque = [
            "PERFORM", "RETURN", "GET", "ASSERT", "CALL", "COMMIT", "ROLLBACK",
        ]
        .into_iter()
        .find(|k| self.peek(k))
        .map(|k| format!("`{k}` in a DO block"))
        .or_else(|| {
            self.toks
                .get(self.i + 1)
                .is_some_and(|t| t.token == Token::Assignment || t.token == Token::Eq)
                .then(|| "assignments in a DO block".to_string())
        });
        if let Some(what) = opaque {
            let (from, _) = self.until_semicolon()?;
            let at = self.span_of(from, from + 1);
            return Ok(Step::Opaque { what, at });
        }
        let (from, to) = self.until_semicolon()?;
        Ok(Step::Sql(self.span_of(from, to)))
    }

    /// Moves to the next `keyword` outside parentheses (or to the end): past an IF's
    /// condition to its THEN, past a loop's header to its LOOP.
    fn skip_to(&mut self, keyword: &str) {
        let mut depth = 0usize;
        while self.i < self.toks.len() && !(depth == 0 && self.peek(keyword)) {
            match self.toks[self.i].token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.i += 1;
        }
    }

    /// `[<<label>>] [WHILE cond | FOR target IN … | FOREACH target IN ARRAY …] LOOP stmts
    /// END LOOP [label];` The target of FOR and FOREACH is a variable of the body.
    fn loop_statement(&mut self) -> Parsed<Step> {
        let start = self.i;
        if self.toks[self.i].token == Token::ShiftLeft {
            self.i += 3; // << label >>
        }
        let outer_vars = self.vars.len();
        let mut over = None;
        if self.peek("FOR") || self.peek("FOREACH") {
            // `FOR a [, b …] IN SELECT …`: the targets, and the query when it is one.
            let mut targets = Vec::new();
            let mut j = self.i + 1;
            while let Some(w) = self.toks.get(j).and_then(|t| t.word.clone()) {
                targets.push(w);
                if self
                    .toks
                    .get(j + 1)
                    .is_some_and(|t| t.token == Token::Comma)
                {
                    j += 2;
                } else {
                    break;
                }
            }
            self.vars.extend(targets.iter().cloned());
            let query_at = j + 2;
            let reads = self.peek("FOR")
                && self.toks.get(j + 1).is_some_and(|t| t.is("IN"))
                && self.toks.get(query_at).is_some_and(|t| t.is("SELECT"));
            self.skip_to("LOOP");
            if reads && self.i > query_at {
                over = Some((targets, self.span_of(query_at, self.i)));
            }
        } else {
            self.skip_to("LOOP");
        }
        if self.i >= self.toks.len() {
            return Err(("a loop without LOOP".to_string(), self.at()));
        }
        self.i += 1; // LOOP
        let body = self.statements(&["END"]);
        self.vars.truncate(outer_vars);
        let body = body?;
        self.expect("END")?;
        self.expect("LOOP")?;
        if self
            .toks
            .get(self.i)
            .is_some_and(|t| t.token != Token::SemiColon)
        {
            self.i += 1; // the label
        }
        self.semicolon();
        Ok(Step::Loop {
            body,
            at: self.span_of(start, start + 1),
            over,
        })
    }

    /// `IF cond THEN … [ELSIF cond THEN …]* [ELSE …] END IF;`
    fn if_statement(&mut self) -> Parsed<Step> {
        let mut branches = Vec::new();
        let mut otherwise = Vec::new();
        loop {
            self.i += 1; // IF / ELSIF / ELSEIF
            let from = self.i;
            self.skip_to("THEN");
            if from == self.i || self.i >= self.toks.len() {
                return Err(("an IF without its condition or THEN".to_string(), self.at()));
            }
            let cond = self.span_of(from, self.i);
            self.i += 1; // THEN
            let body = self.statements(&["ELSIF", "ELSEIF", "ELSE", "END"])?;
            branches.push((cond, body));
            if self.peek("ELSIF") || self.peek("ELSEIF") {
                continue;
            }
            if self.peek("ELSE") {
                self.i += 1;
                otherwise = self.statements(&["END"])?;
            }
            break;
        }
        self.expect("END")?;
        self.expect("IF")?;
        self.semicolon();
        Ok(Step::If {
            branches,
            otherwise,
        })
    }
}

/// What the checker says about a block it cannot interpret.
fn cannot_interpret(file: &Arc<SourceFile>, range: Range<usize>, what: &str) -> Diagnostic {
    Diagnostic::new(Code::Unsupported, format!("not supported yet: {what}; the checker cannot tell what this DO block changes"))
        .at(file, range)
        .with_help(format!(
            "write the DDL as plain statements, or declare the block's effect: in a comment right before it, `/* {EFFECT_HEADER} <the DDL it runs> */`, or, for a committed migration, in the configuration, `[effects] \"<file>.sql:<line of DO>\" = \"<the DDL it runs>\"` (checked_query::testing::up_down_up compares the result with PostgreSQL)"
        ))
}

/// Applies a DO block to the catalog: its declared effect if there is one, else its
/// interpreted body.
pub fn apply(
    catalog: &mut Catalog,
    env: &Env,
    frag: &Fragment,
    block: DoBlock,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let mut warnings = Vec::new();
    // The statements a block runs are not the migration's own (the lints read its DO).
    let env = &Env {
        keep_parsed: false,
        ..env.clone()
    };
    // An effect declared in the configuration (`[effects]`), for committed migrations
    // that cannot be edited: its SQL is applied instead, located in a file of its own.
    if let Some(sql) = env.settings.effect_of(&frag.file, frag.range.start) {
        let name = |file_line: String| format!("[effects] \"{file_line}\"");
        apply_sql_of(catalog, env, frag, name, sql.to_string(), &mut warnings)?;
        return Ok(warnings);
    }
    if let Some(effect) = &block.effect {
        for stmt in crate::statements::split_statements(&effect.file, effect.range.clone())? {
            warnings.extend(super::apply::apply_statement(catalog, env, &stmt, None)?);
        }
        return Ok(warnings);
    }
    let Some(toks) = tokens(&block.body) else {
        return Err(cannot_interpret(
            &frag.file,
            frag.range.clone(),
            "a DO block body that does not tokenize",
        ));
    };
    let mut reader = Reader {
        toks: &toks,
        i: 0,
        frag: &block.body,
        vars: Vec::new(),
    };
    let step = reader.block().and_then(|s| {
        if reader.i < toks.len() {
            Err(("statements after the block's END".to_string(), reader.at()))
        } else {
            Ok(s)
        }
    });
    let step = step.map_err(|(what, range)| cannot_interpret(&block.body.file, range, &what))?;
    run(catalog, env, &step, &[], &mut warnings)?;
    Ok(warnings)
}

/// Runs one step; `vars` are the enclosing loops' targets bound to their current rows.
fn run(
    catalog: &mut Catalog,
    env: &Env,
    step: &Step,
    vars: &[Binding],
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    match step {
        Step::Null | Step::Data => Ok(()),
        Step::Loop { body, .. } if body.iter().all(neutral) => Ok(()),
        Step::Loop {
            body,
            over: Some((targets, query)),
            ..
        } => {
            // One level only: nested loops multiply their rows (a hostile history could
            // make that any size), and histories do not nest them.
            if !vars.is_empty() {
                return Err(cannot_interpret(
                    &query.file,
                    query.range.clone(),
                    "a loop over the catalog inside another",
                ));
            }
            // The rows as the loop starts: its query reads a snapshot, so what the body
            // changes does not reach it.
            let rows = super::do_loop::rows(catalog, query)
                .map_err(|what| cannot_interpret(&query.file, query.range.clone(), &what))?;
            for row in rows {
                let mut inner = vars.to_vec();
                inner.push(Binding {
                    targets: targets.clone(),
                    row,
                });
                for s in body {
                    run(catalog, env, s, &inner, warnings)?;
                }
            }
            Ok(())
        }
        Step::Loop { at, .. } => Err(cannot_interpret(
            &at.file,
            at.range.clone(),
            "a loop whose body may change the schema (it runs an unknown number of times)",
        )),
        Step::Execute { expr } => {
            let Some(sql) = super::do_loop::dynamic_sql(expr, vars) else {
                return Err(cannot_interpret(
                    &expr.file,
                    expr.range.clone(),
                    "EXECUTE of a computed string",
                ));
            };
            let name = |file_line: String| format!("EXECUTE at {file_line}");
            apply_sql_of(catalog, env, expr, name, sql, warnings)?;
            Ok(())
        }
        Step::Raise(at) => Err(Diagnostic::new(Code::InvalidDefinition, "the DO block raises an exception here")
            .with_help("PostgreSQL stops the migration at this RAISE; change the guard above it, or the schema it checks")
            .at(&at.file, at.range.clone())),
        Step::Opaque { what, at } => Err(cannot_interpret(&at.file, at.range.clone(), what)),
        Step::Sql(frag) => {
            warnings.extend(super::apply::apply_statement(catalog, env, frag, None)?);
            Ok(())
        }
        Step::If { branches, otherwise } => {
            // A condition on the block's data (`IF n > 0 THEN RAISE NOTICE …`) cannot be
            // decided, and need not be when no branch can change the schema.
            let all_neutral = branches.iter().flat_map(|(_, b)| b).chain(otherwise).all(neutral);
            for (cond, body) in branches {
                let taken = match condition(catalog, cond) {
                    Ok(taken) => taken,
                    Err(_) if all_neutral => return Ok(()),
                    Err(e) => return Err(e),
                };
                if taken {
                    return body.iter().try_for_each(|s| run(catalog, env, s, vars, warnings));
                }
            }
            otherwise.iter().try_for_each(|s| run(catalog, env, s, vars, warnings))
        }
        Step::Block { body, handlers } => {
            let mark = catalog.begin();
            let kept = warnings.len();
            let Err(e) = body.iter().try_for_each(|s| run(catalog, env, s, vars, warnings)) else {
                catalog.commit(mark);
                return Ok(());
            };
            let caught = handlers.iter().find(|(states, _)| match states {
                None => true,
                Some(states) => e.sqlstate.is_some_and(|s| states.contains(&s)),
            });
            match caught {
                Some((_, handler)) => {
                    // The block's subtransaction is rolled back, then the handler runs.
                    catalog.rollback(mark);
                    warnings.truncate(kept);
                    handler.iter().try_for_each(|s| match s {
                        // A bare `RAISE;` re-raises what was caught: that error is the news.
                        Step::Raise(at) if is_reraise(at) => {
                            let (line, _) = at.file.line_col(at.range.start);
                            let note = format!(
                                "the exception handler's `RAISE;` (line {line}) raises this again"
                            );
                            let mut e = e.clone();
                            e.help = Some(match e.help.take() {
                                Some(h) => format!("{h}; {note}"),
                                None => note,
                            });
                            Err(e)
                        }
                        _ => run(catalog, env, s, vars, warnings),
                    })
                }
                None => {
                    // Not caught here: the statement's own level undoes it.
                    catalog.commit(mark);
                    Err(e)
                }
            }
        }
    }
}

/// Applies SQL that is not in the migration's text (a declared effect, what an EXECUTE
/// built) as a file of its own, named by `name` after the file and line of `at`, where it
/// came from.
fn apply_sql_of(
    catalog: &mut Catalog,
    env: &Env,
    at: &Fragment,
    name: impl Fn(String) -> String,
    sql: String,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let (line, _) = at.file.line_col(at.range.start);
    let file_name = (at.file.path.as_deref())
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = std::path::PathBuf::from(name(format!("{file_name}:{line}")));
    let file = SourceFile::new(Some(path), sql);
    for stmt in crate::statements::split_statements(&file, 0..file.text.len())? {
        warnings.extend(super::apply::apply_statement(catalog, env, &stmt, None)?);
    }
    Ok(())
}

/// `RAISE;` with nothing after it: in a handler, the caught exception raised again.
fn is_reraise(at: &Fragment) -> bool {
    at.text()
        .trim()
        .trim_end_matches(';')
        .trim()
        .eq_ignore_ascii_case("raise")
}

/// Whether a step cannot change the schema, whatever the data: data statements, RAISE
/// (data-dependent: it stops the migration or not, the schema stays), and DML.
fn neutral(step: &Step) -> bool {
    match step {
        Step::Null | Step::Data | Step::Raise(_) => true,
        Step::Sql(frag) => {
            let first = frag.text().split_whitespace().next().unwrap_or("");
            ["SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "VALUES"]
                .iter()
                .any(|k| first.eq_ignore_ascii_case(k))
        }
        Step::If {
            branches,
            otherwise,
        } => branches
            .iter()
            .flat_map(|(_, b)| b)
            .chain(otherwise)
            .all(neutral),
        Step::Block { body, handlers } => body
            .iter()
            .chain(handlers.iter().flat_map(|(_, h)| h))
            .all(neutral),
        Step::Loop { body, .. } => body.iter().all(neutral),
        Step::Opaque { .. } | Step::Execute { .. } => false,
    }
}

/// An IF condition decided against the catalog: EXISTS / NOT EXISTS over the system
/// catalogs migrations consult, combined with AND, OR, NOT.
fn condition(catalog: &Catalog, cond: &Fragment) -> Result<bool, Diagnostic> {
    let unsupported = |what: String| cannot_interpret(&cond.file, cond.range.clone(), &what);
    let expr = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(cond.text())
        .and_then(|mut p| p.parse_expr())
        .map_err(|_| unsupported("this IF condition".to_string()))?;
    eval(catalog, &expr).map_err(unsupported)
}

fn eval(catalog: &Catalog, e: &Expr) -> Result<bool, String> {
    match e {
        Expr::Nested(inner) => eval(catalog, inner),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => Ok(!eval(catalog, expr)?),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => Ok(eval(catalog, left)? && eval(catalog, right)?),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Or,
            right,
        } => Ok(eval(catalog, left)? || eval(catalog, right)?),
        Expr::Exists { subquery, negated } => Ok(exists(catalog, subquery)? != *negated),
        other => Err(format!("the IF condition `{other}`")),
    }
}

/// The system catalogs an IF condition may consult, each with the columns a guard filters
/// on: the first names the object, the rest narrow it. `schema` columns are decided apart.
const GUARD_RELATIONS: &[(&str, &[&str])] = &[
    ("pg_catalog.pg_type", &["typname"]),
    ("pg_catalog.pg_class", &["relname"]),
    ("pg_catalog.pg_constraint", &["conname", "conrelid"]),
    ("pg_catalog.pg_indexes", &["indexname", "tablename"]),
    ("pg_catalog.pg_tables", &["tablename"]),
    ("pg_catalog.pg_views", &["viewname"]),
    ("pg_catalog.pg_matviews", &["matviewname"]),
    ("pg_catalog.pg_extension", &["extname"]),
    ("pg_catalog.pg_proc", &["proname"]),
    ("pg_catalog.pg_trigger", &["tgname"]),
    ("pg_catalog.pg_namespace", &["nspname"]),
    ("pg_catalog.pg_collation", &["collname"]),
    ("information_schema.tables", &["table_name"]),
    ("information_schema.columns", &["table_name", "column_name"]),
    (
        "information_schema.table_constraints",
        &["constraint_name", "table_name"],
    ),
    ("information_schema.schemata", &["schema_name"]),
];

/// Columns that name (or, cast from a name, hold the oid of) the schema an object is in.
const SCHEMA_COLUMNS: &[&str] = &[
    "table_schema",
    "schemaname",
    "constraint_schema",
    "schema_name",
    "nspname",
    "relnamespace",
    "typnamespace",
    "pronamespace",
    "connamespace",
    "collnamespace",
];

/// `SELECT … FROM <system catalog> [JOIN pg_namespace n ON …] WHERE col = 'value' AND …`:
/// whether such a row exists in the schema the migrations built so far. Objects in a schema
/// other than `public` are the catalog's `schema.name` keys.
fn exists(catalog: &Catalog, q: &sqlparser::ast::Query) -> Result<bool, String> {
    let why = || format!("the query `{q}` in an IF condition");
    let SetExpr::Select(s) = q.body.as_ref() else {
        return Err(why());
    };
    let [from] = s.from.as_slice() else {
        return Err(why());
    };
    let (relation, alias) = system_relation(&from.relation).ok_or_else(why)?;
    // `JOIN pg_namespace n ON n.oid = t.typnamespace`: `n.nspname` is then the schema.
    let namespace_alias = match from.joins.as_slice() {
        [] => None,
        [join] => match system_relation(&join.relation) {
            Some((r, a))
                if r == "pg_catalog.pg_namespace" && relation != r && joins_on_columns(join) =>
            {
                Some(a.unwrap_or_else(|| "pg_namespace".to_string()))
            }
            _ => return Err(why()),
        },
        _ => return Err(why()),
    };
    let mut filters: Vec<(String, String)> = Vec::new();
    if let Some(w) = &s.selection {
        let aliases = Aliases {
            main: alias.as_deref(),
            namespace: namespace_alias.as_deref(),
        };
        conjuncts(w, &aliases, &mut filters).ok_or_else(why)?;
    }
    let Some(&(_, known)) = GUARD_RELATIONS.iter().find(|(r, _)| *r == relation) else {
        return Err(format!("a condition on `{relation}`"));
    };
    for (c, _) in &filters {
        if !known.contains(&c.as_str()) && !SCHEMA_COLUMNS.contains(&c.as_str()) {
            return Err(format!("the condition on `{relation}.{c}`"));
        }
    }
    let get = |c: &str| {
        filters
            .iter()
            .find(|(k, _)| k == c)
            .map(|(_, v)| v.as_str())
    };
    let schema = filters
        .iter()
        .find(|(c, _)| SCHEMA_COLUMNS.contains(&c.as_str()))
        .map(|(_, v)| v.as_str());
    if matches!(
        relation.as_str(),
        "pg_catalog.pg_namespace" | "information_schema.schemata"
    ) {
        let name = get(known[0]).or(schema).ok_or_else(why)?;
        return Ok(name == "public"
            || crate::catalog::is_system_schema(name)
            || catalog.schemas.iter().any(|s| s == name));
    }
    // The catalog's key of the named object in the filtered schema; no key: a schema the
    // migrations did not create (or PostgreSQL's own) holds none of the service's objects.
    let key_in = |name: &str| -> Option<String> {
        match schema {
            None | Some("public") => Some(name.to_string()),
            Some(s) if catalog.schemas.iter().any(|x| x == s) => Some(format!("{s}.{name}")),
            Some(_) => None,
        }
    };
    let Some(key) = key_in(get(known[0]).ok_or_else(why)?) else {
        return Ok(false);
    };
    let key = key.as_str();
    // `conrelid = 's.t'::regclass` names its schema itself.
    let table_named = |t: &str| match t.split_once('.') {
        Some(("public", t)) => catalog.table(t),
        Some(_) => catalog.table(t),
        None => key_in(t).and_then(|t| catalog.table(&t)),
    };
    Ok(match relation.as_str() {
        "pg_catalog.pg_type" => catalog.user_type(key).is_some(),
        "pg_catalog.pg_class" => catalog.relation_kind(key).is_some(),
        "pg_catalog.pg_constraint" => match get("conrelid") {
            Some(t) => table_named(t)
                .is_some_and(|t| t.constraint(get("conname").unwrap_or_default()).is_some()),
            None => catalog.constraint_name_taken(split_key(key).1),
        },
        "pg_catalog.pg_indexes" => catalog.index(key).is_some_and(|i| {
            get("tablename").is_none_or(|t| key_in(t).is_some_and(|t| i.table == t))
        }),
        "pg_catalog.pg_tables" => catalog.table(key).is_some(),
        "pg_catalog.pg_views" => catalog.view(key).is_some_and(|v| !v.materialized),
        "pg_catalog.pg_matviews" => catalog.view(key).is_some_and(|v| v.materialized),
        "pg_catalog.pg_extension" => catalog.has_extension(split_key(key).1),
        "pg_catalog.pg_proc" => catalog.routines_named(key).next().is_some(),
        "pg_catalog.pg_trigger" => catalog.triggers.iter().any(|t| t.name == split_key(key).1),
        "pg_catalog.pg_collation" => catalog.collation_known(key),
        "information_schema.tables" => catalog.relation_kind(key).is_some_and(|k| {
            matches!(
                k,
                crate::catalog::RelationKind::Table | crate::catalog::RelationKind::View
            )
        }),
        "information_schema.columns" => {
            let column = get("column_name");
            catalog
                .table(key)
                .is_some_and(|t| column.is_none_or(|c| t.column(c).is_some()))
        }
        "information_schema.table_constraints" => match get("table_name") {
            Some(t) => table_named(t).is_some_and(|t| {
                t.constraint(get("constraint_name").unwrap_or_default())
                    .is_some()
            }),
            None => catalog.constraint_name_taken(split_key(key).1),
        },
        _ => unreachable!("listed in GUARD_RELATIONS"),
    })
}

/// A FROM item naming a system catalog: its `schema.relation` (unqualified names are
/// `pg_catalog`'s, first on every search path) and its alias.
pub(super) fn system_relation(factor: &TableFactor) -> Option<(String, Option<String>)> {
    let TableFactor::Table { name, alias, .. } = factor else {
        return None;
    };
    let parts: Vec<String> = name
        .0
        .iter()
        .map(|p| p.as_ident().map(crate::catalog::ident_name))
        .collect::<Option<_>>()?;
    let relation = match parts.as_slice() {
        [r] => format!("pg_catalog.{r}"),
        [s, r] if s == "pg_catalog" || s == "information_schema" => format!("{s}.{r}"),
        _ => return None,
    };
    Some((
        relation,
        alias.as_ref().map(|a| crate::catalog::ident_name(&a.name)),
    ))
}

/// `JOIN … ON a.x = b.y`: the join only pairs rows (an object with its schema).
fn joins_on_columns(join: &sqlparser::ast::Join) -> bool {
    use sqlparser::ast::{JoinConstraint, JoinOperator};
    let (JoinOperator::Join(JoinConstraint::On(on)) | JoinOperator::Inner(JoinConstraint::On(on))) =
        &join.join_operator
    else {
        return false;
    };
    matches!(on, Expr::BinaryOp { left, op: BinaryOperator::Eq, right }
        if matches!(**left, Expr::CompoundIdentifier(_)) && matches!(**right, Expr::CompoundIdentifier(_)))
}

/// The aliases a guard's columns may be qualified with.
pub(super) struct Aliases<'a> {
    pub main: Option<&'a str>,
    /// A joined `pg_namespace`: its `nspname` filters the schema.
    pub namespace: Option<&'a str>,
}

/// `a = 'x' AND b = 'y'` as (column, value) pairs; `None` for anything else.
fn conjuncts(e: &Expr, alias: &Aliases, out: &mut Vec<(String, String)>) -> Option<()> {
    match e {
        Expr::Nested(inner) => conjuncts(inner, alias, out),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            conjuncts(left, alias, out)?;
            conjuncts(right, alias, out)
        }
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } => {
            let (col, val) = match (column(left, alias), literal(right)) {
                (Some(c), Some(v)) => (c, v),
                _ => (column(right, alias)?, literal(left)?),
            };
            out.push((col, val));
            Some(())
        }
        _ => None,
    }
}

pub(super) fn column(e: &Expr, alias: &Aliases) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(crate::catalog::ident_name(i)),
        Expr::CompoundIdentifier(parts) => match parts.as_slice() {
            [q, c] => {
                let (q, c) = (crate::catalog::ident_name(q), crate::catalog::ident_name(c));
                // The joined pg_namespace contributes its name only.
                let namespace = alias.namespace == Some(q.as_str()) && c == "nspname";
                (alias.main == Some(q.as_str()) || namespace).then_some(c)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A string literal (`'x'`, `'x'::name`), or `current_schema()` as `public`.
pub(super) fn literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        Expr::Cast { expr, .. } => literal(expr),
        Expr::Function(f) if object_key(&f.name).as_deref() == Some("current_schema") => {
            Some("public".to_string())
        }
        _ => None,
    }
}
