//! `CREATE DOMAIN`, `ALTER DOMAIN` and `DROP DOMAIN` read from their tokens. sqlparser 0.64
//! parses only part of PostgreSQL's `CREATE DOMAIN` (no `NOT NULL`, `AS` required, clauses
//! in one order) and no `ALTER DOMAIN`, so these statements are always read here; the types
//! and expressions inside them are still parsed by sqlparser, from their own tokens, so
//! their spans point into the migration.

use sqlparser::ast::{DataType, Expr, Ident, ObjectName};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan};

use super::fallback::{tokens, Tok};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Fragment;

#[derive(Debug)]
pub enum DomainStatement {
    Create {
        name: ObjectName,
        data_type: DataType,
        type_span: Span,
        clauses: Vec<Clause>,
    },
    Alter {
        name: ObjectName,
        action: Box<Action>,
        /// `ADD … NOT VALID`: existing values are not checked.
        not_valid: bool,
    },
    Drop {
        if_exists: bool,
        names: Vec<ObjectName>,
        cascade: bool,
    },
}

impl DomainStatement {
    /// Where a CockroachDB error about the statement points: the domain's (first) name.
    pub fn span(&self) -> Span {
        use sqlparser::ast::Spanned;
        match self {
            DomainStatement::Create { name, .. } | DomainStatement::Alter { name, .. } => {
                name.span()
            }
            DomainStatement::Drop { names, .. } => {
                names.first().map_or(Span::empty(), |n| n.span())
            }
        }
    }

    pub fn keyword(&self) -> &'static str {
        match self {
            DomainStatement::Create { .. } => "CREATE DOMAIN",
            DomainStatement::Alter { .. } => "ALTER DOMAIN",
            DomainStatement::Drop { .. } => "DROP DOMAIN",
        }
    }
}

/// One clause of `CREATE DOMAIN` (PostgreSQL takes them in any order) or the constraint of
/// `ALTER DOMAIN … ADD`.
#[derive(Debug)]
pub enum Clause {
    Collate(ObjectName),
    Default(Expr),
    NotNull(Span),
    Null(Span),
    Check {
        name: Option<Ident>,
        expr: Expr,
        span: Span,
    },
    /// `UNIQUE`, `PRIMARY KEY`, `REFERENCES`, `GENERATED`: PostgreSQL's grammar takes them
    /// and then refuses them for domains.
    Refused {
        what: String,
        span: Span,
    },
}

#[derive(Debug)]
pub enum Action {
    SetDefault(Expr),
    DropDefault,
    SetNotNull,
    DropNotNull,
    AddConstraint(Clause),
    DropConstraint {
        name: Ident,
        if_exists: bool,
    },
    RenameConstraint {
        from: Ident,
        to: Ident,
    },
    ValidateConstraint(Ident),
    Rename(Ident),
    SetSchema(Ident),
    /// `OWNER TO role`: no schema change.
    Owner,
}

/// `None` when the statement is no domain statement; an error when it is one the grammar
/// does not take.
pub fn recognize(frag: &Fragment) -> Option<Result<DomainStatement, Diagnostic>> {
    // Every statement passes here: tokenize only what starts like a domain statement.
    let mut words = frag.text().split_whitespace();
    let (first, second) = (words.next()?, words.next()?);
    if !["CREATE", "ALTER", "DROP"]
        .iter()
        .any(|k| first.eq_ignore_ascii_case(k))
        || !second.eq_ignore_ascii_case("DOMAIN")
    {
        return None;
    }
    let toks = tokens(frag)?;
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let which = match () {
        _ if kw(0, "CREATE") && kw(1, "DOMAIN") => 0,
        _ if kw(0, "ALTER") && kw(1, "DOMAIN") => 1,
        _ if kw(0, "DROP") && kw(1, "DOMAIN") => 2,
        _ => return None,
    };
    let end = match toks.last() {
        Some(t) if t.token == Token::SemiColon => toks.len() - 1,
        _ => toks.len(),
    };
    let r = Reader {
        frag,
        toks: &toks[..end],
    };
    Some(match which {
        0 => r.create(),
        1 => r.alter(),
        _ => r.drop(),
    })
}

struct Reader<'a> {
    frag: &'a Fragment,
    toks: &'a [Tok],
}

/// Words that end a data type or a DEFAULT expression in `CREATE DOMAIN` (PostgreSQL's
/// `b_expr` takes none of them).
const CLAUSE_WORDS: &[&str] = &[
    "COLLATE",
    "DEFAULT",
    "CONSTRAINT",
    "NOT",
    "NULL",
    "CHECK",
    "UNIQUE",
    "PRIMARY",
    "REFERENCES",
    "GENERATED",
];

impl Reader<'_> {
    fn kw(&self, i: usize, k: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is(k))
    }

    fn span(&self, from: usize, to: usize) -> Span {
        match (self.toks.get(from), self.toks.get(to.saturating_sub(1))) {
            (Some(a), Some(b)) if to > from => a.span.union(&b.span),
            _ => self.toks.last().map_or(Span::empty(), |t| t.span),
        }
    }

    fn syntax(&self, message: impl Into<String>, at: usize) -> Diagnostic {
        let span = self
            .toks
            .get(at)
            .or(self.toks.last())
            .map_or(Span::empty(), |t| t.span);
        Diagnostic::new(Code::SyntaxError, message)
            .at_span(self.frag, span)
            .with_sqlstate("42601")
            .with_help("write it as PostgreSQL's CREATE DOMAIN / ALTER DOMAIN documentation shows")
    }

    fn parser(&self, from: usize, to: usize) -> Parser<'static> {
        let toks: Vec<TokenWithSpan> = self.toks[from..to]
            .iter()
            .map(|t| TokenWithSpan::new(t.token.clone(), t.span))
            .collect();
        Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(toks)
    }

    /// Parses tokens [from, to) completely with `f`.
    fn whole<T>(
        &self,
        from: usize,
        to: usize,
        what: &str,
        f: impl FnOnce(&mut Parser<'static>) -> Result<T, sqlparser::parser::ParserError>,
    ) -> Result<T, Diagnostic> {
        if from >= to {
            return Err(self.syntax(format!("expected {what}"), from));
        }
        let mut p = self.parser(from, to);
        let v = f(&mut p).map_err(|e| self.syntax(format!("expected {what}: {e}"), from))?;
        if p.peek_token().token != Token::EOF {
            let at = p.peek_token().span;
            return Err(Diagnostic::new(
                Code::SyntaxError,
                format!("syntax error at `{}`", p.peek_token().token),
            )
            .at_span(self.frag, at)
            .with_sqlstate("42601"));
        }
        Ok(v)
    }

    /// A (possibly qualified) name starting at `i`, and the index after it.
    fn name(&self, i: usize) -> Result<(ObjectName, usize), Diagnostic> {
        let mut j = i;
        while self.toks.get(j).is_some_and(|t| t.word.is_some())
            && self
                .toks
                .get(j + 1)
                .is_some_and(|t| t.token == Token::Period)
        {
            j += 2;
        }
        if self.toks.get(j).is_none_or(|t| t.word.is_none()) {
            return Err(self.syntax("expected a domain name", j));
        }
        let name = self.whole(i, j + 1, "a domain name", |p| p.parse_object_name(false))?;
        Ok((name, j + 1))
    }

    fn ident(&self, i: usize, what: &str) -> Result<Ident, Diagnostic> {
        match self.toks.get(i) {
            Some(Tok {
                token: Token::Word(w),
                span,
                ..
            }) => Ok(Ident {
                value: w.value.clone(),
                quote_style: w.quote_style,
                span: *span,
            }),
            _ => Err(self.syntax(format!("expected {what}"), i)),
        }
    }

    /// The first top-level token at or after `from` that starts a clause.
    fn clause_end(&self, from: usize) -> usize {
        let mut depth = 0usize;
        for j in from..self.toks.len() {
            match self.toks[j].token {
                Token::LParen | Token::LBracket => depth += 1,
                Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
                _ if depth == 0 && CLAUSE_WORDS.iter().any(|w| self.kw(j, w)) => return j,
                _ => {}
            }
        }
        self.toks.len()
    }

    fn create(&self) -> Result<DomainStatement, Diagnostic> {
        let (name, mut i) = self.name(2)?;
        if self.kw(i, "AS") {
            i += 1;
        }
        let type_end = self.clause_end(i);
        let data_type = self.whole(i, type_end, "a data type", |p| p.parse_data_type())?;
        let type_span = self.span(i, type_end);
        let mut clauses = Vec::new();
        i = type_end;
        while i < self.toks.len() {
            let (clause, next) = self.clause(i)?;
            clauses.push(clause);
            i = next;
        }
        Ok(DomainStatement::Create {
            name,
            data_type,
            type_span,
            clauses,
        })
    }

    /// One clause at `i` (see [`Clause`]), and the index after it.
    fn clause(&self, i: usize) -> Result<(Clause, usize), Diagnostic> {
        let mut name = None;
        let mut at = i;
        if self.kw(i, "CONSTRAINT") {
            name = Some(self.ident(i + 1, "a constraint name")?);
            at = i + 2;
        }
        let named = name.is_some();
        if !named && self.kw(at, "COLLATE") {
            let end = self.clause_end(at + 1);
            let c = self.whole(at + 1, end, "a collation name", |p| {
                p.parse_object_name(false)
            })?;
            return Ok((Clause::Collate(c), end));
        }
        if !named && self.kw(at, "DEFAULT") {
            // `DEFAULT NULL` is an expression; any other NULL ends one.
            let end = if self.kw(at + 1, "NULL") {
                at + 2
            } else {
                self.clause_end(at + 1)
            };
            let e = self.whole(at + 1, end, "an expression", |p| p.parse_expr())?;
            return Ok((Clause::Default(e), end));
        }
        if self.kw(at, "NOT") && self.kw(at + 1, "NULL") {
            return Ok((Clause::NotNull(self.span(at, at + 2)), at + 2));
        }
        if self.kw(at, "NULL") {
            return Ok((Clause::Null(self.span(at, at + 1)), at + 1));
        }
        if self.kw(at, "CHECK") {
            if self
                .toks
                .get(at + 1)
                .is_none_or(|t| t.token != Token::LParen)
            {
                return Err(self.syntax("expected `(` after CHECK", at + 1));
            }
            let close = self.matching_paren(at + 1)?;
            let expr = self.whole(at + 2, close, "an expression", |p| p.parse_expr())?;
            let mut end = close + 1;
            // `NO INHERIT` is refused later by PostgreSQL too; NOT VALID belongs to ALTER.
            if self.kw(end, "NOT") && self.kw(end + 1, "VALID") {
                end += 2;
            }
            let span = self.span(i, close + 1);
            return Ok((Clause::Check { name, expr, span }, end));
        }
        for refused in ["UNIQUE", "PRIMARY", "REFERENCES", "GENERATED"] {
            if self.kw(at, refused) {
                let end = self.clause_end(at + 1);
                let what = match refused {
                    "PRIMARY" => "primary key",
                    "REFERENCES" => "foreign key",
                    "GENERATED" => "generated column",
                    _ => "unique",
                };
                return Ok((
                    Clause::Refused {
                        what: what.to_string(),
                        span: self.span(at, end),
                    },
                    end,
                ));
            }
        }
        Err(self.syntax(
            "expected COLLATE, DEFAULT, NOT NULL, NULL or CHECK (…) in the domain definition",
            at,
        ))
    }

    fn matching_paren(&self, open: usize) -> Result<usize, Diagnostic> {
        let mut depth = 0usize;
        for j in open..self.toks.len() {
            match self.toks[j].token {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(j);
                    }
                }
                _ => {}
            }
        }
        Err(self.syntax("unbalanced parentheses", open))
    }

    fn alter(&self) -> Result<DomainStatement, Diagnostic> {
        let (name, i) = self.name(2)?;
        let n = self.toks.len();
        let done = |action: Action, end: usize| {
            if end == n {
                Ok(DomainStatement::Alter {
                    name: name.clone(),
                    action: Box::new(action),
                    not_valid: false,
                })
            } else {
                Err(self.syntax("syntax error: unexpected text after the action", end))
            }
        };
        let k = |o: usize, w: &str| self.kw(i + o, w);
        if k(0, "SET") && k(1, "DEFAULT") {
            let e = self.whole(i + 2, n, "an expression", |p| p.parse_expr())?;
            return done(Action::SetDefault(e), n);
        }
        if k(0, "DROP") && k(1, "DEFAULT") {
            return done(Action::DropDefault, i + 2);
        }
        if k(0, "SET") && k(1, "NOT") && k(2, "NULL") {
            return done(Action::SetNotNull, i + 3);
        }
        if k(0, "DROP") && k(1, "NOT") && k(2, "NULL") {
            return done(Action::DropNotNull, i + 3);
        }
        if k(0, "ADD") {
            let (clause, end) = self.clause(i + 1)?;
            let not_valid = self.toks[..end]
                .windows(2)
                .last()
                .is_some_and(|w| w[0].is("NOT") && w[1].is("VALID"));
            return done(Action::AddConstraint(clause), end).map(|mut s| {
                if let DomainStatement::Alter { not_valid: nv, .. } = &mut s {
                    *nv = not_valid;
                }
                s
            });
        }
        if k(0, "DROP") && k(1, "CONSTRAINT") {
            let if_exists = k(2, "IF") && k(3, "EXISTS");
            let at = i + if if_exists { 4 } else { 2 };
            let name = self.ident(at, "a constraint name")?;
            let end = if self.kw(at + 1, "CASCADE") || self.kw(at + 1, "RESTRICT") {
                at + 2
            } else {
                at + 1
            };
            return done(Action::DropConstraint { name, if_exists }, end);
        }
        if k(0, "RENAME") && k(1, "CONSTRAINT") && k(3, "TO") {
            let from = self.ident(i + 2, "a constraint name")?;
            let to = self.ident(i + 4, "a constraint name")?;
            return done(Action::RenameConstraint { from, to }, i + 5);
        }
        if k(0, "VALIDATE") && k(1, "CONSTRAINT") {
            let c = self.ident(i + 2, "a constraint name")?;
            return done(Action::ValidateConstraint(c), i + 3);
        }
        if k(0, "RENAME") && k(1, "TO") {
            let to = self.ident(i + 2, "a domain name")?;
            return done(Action::Rename(to), i + 3);
        }
        if k(0, "SET") && k(1, "SCHEMA") {
            let s = self.ident(i + 2, "a schema name")?;
            return done(Action::SetSchema(s), i + 3);
        }
        if k(0, "OWNER") && k(1, "TO") && self.toks.get(i + 2).is_some() {
            return done(Action::Owner, i + 3);
        }
        Err(self.syntax(
            "expected SET/DROP DEFAULT, SET/DROP NOT NULL, ADD, DROP/RENAME/VALIDATE CONSTRAINT, RENAME TO, SET SCHEMA or OWNER TO",
            i,
        ))
    }

    fn drop(&self) -> Result<DomainStatement, Diagnostic> {
        let mut i = 2;
        let if_exists = self.kw(i, "IF") && self.kw(i + 1, "EXISTS");
        if if_exists {
            i += 2;
        }
        let mut names = Vec::new();
        loop {
            let (n, next) = self.name(i)?;
            names.push(n);
            i = next;
            if self.toks.get(i).is_some_and(|t| t.token == Token::Comma) {
                i += 1;
                continue;
            }
            break;
        }
        let cascade = self.kw(i, "CASCADE");
        if cascade || self.kw(i, "RESTRICT") {
            i += 1;
        }
        if i != self.toks.len() {
            return Err(self.syntax("syntax error: unexpected text after the domain names", i));
        }
        Ok(DomainStatement::Drop {
            if_exists,
            names,
            cascade,
        })
    }
}
