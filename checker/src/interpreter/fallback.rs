//! Statements PostgreSQL accepts that sqlparser 0.64 cannot parse, recognised from tokens
//! so migrations using them still build a catalog: `ALTER SEQUENCE …`,
//! `DROP INDEX CONCURRENTLY [IF EXISTS] …`, `ALTER TYPE … ADD/DROP/RENAME/ALTER ATTRIBUTE`,
//! and `CREATE FUNCTION` with attributes it does not know (`COST 100`). Only consulted after
//! sqlparser has failed.

use std::ops::Range;

use sqlparser::ast::{DataType, ObjectName};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Tokenizer};

use crate::catalog::RoutineKind;
use crate::source::Fragment;

#[derive(Debug)]
pub enum Fallback {
    AlterSequence {
        if_exists: bool,
        name: (String, Range<usize>),
        rename_to: Option<(String, Range<usize>)>,
        /// `OWNED BY table.column` (Some(Some)), `OWNED BY NONE` (Some(None)).
        owned_by: Option<Option<(String, String)>>,
    },
    DropIndex {
        if_exists: bool,
        names: Vec<(String, Range<usize>)>,
        cascade: bool,
    },
    AlterComposite {
        name: (String, Span),
        actions: Vec<AttributeAction>,
        cascade: bool,
    },
    /// `ALTER TABLE t ALTER [COLUMN] c SET STATISTICS n | SET STORAGE s | SET COMPRESSION
    /// m`: planner and storage settings, no schema change; the column must exist.
    ColumnSetting {
        table: (String, Range<usize>),
        column: (String, Range<usize>),
    },
    /// `ALTER TABLE [ONLY] t SET SCHEMA s`.
    SetTableSchema {
        table: ObjectName,
        schema: ObjectName,
        if_exists: bool,
    },
    /// `ALTER TYPE t SET SCHEMA s` (an enum or a composite type).
    SetTypeSchema {
        name: ObjectName,
        schema: ObjectName,
    },
    /// `ALTER TYPE t OWNER TO r`: owners are not modelled; the type must exist.
    TypeOwner(ObjectName),
    /// `ALTER INDEX parent_idx ATTACH PARTITION child_idx`: both exist, the child's on a
    /// partition of the parent's table; nothing the catalog holds changes.
    AttachIndex {
        parent: (String, Range<usize>),
        child: (String, Range<usize>),
    },
    /// `COMMENT ON CONSTRAINT | TRIGGER | FUNCTION | PROCEDURE | ROUTINE | AGGREGATE … IS …`:
    /// changes no schema; the object must exist.
    Comment(CommentTarget),
    /// `CREATE CAST` or `DROP CAST`.
    Cast(super::cast_syntax::CastStatement),
    /// `CLUSTER [VERBOSE] t [USING index]`: rewrites the table in index order.
    Cluster {
        table: (String, Range<usize>),
        index: Option<(String, Range<usize>)>,
    },
}

/// What a `COMMENT ON` that sqlparser cannot read names.
#[derive(Debug)]
pub enum CommentTarget {
    Constraint {
        name: (String, Range<usize>),
        table: (String, Range<usize>),
    },
    Trigger {
        name: (String, Range<usize>),
        table: (String, Range<usize>),
    },
    /// A function, procedure or aggregate, by name (the argument list is not compared).
    Routine { name: (String, Range<usize>) },
}

/// One action of `ALTER TYPE composite …`, names with their spans.
#[derive(Debug)]
pub enum AttributeAction {
    Add {
        name: (String, Span),
        data_type: DataType,
        collation: Option<ObjectName>,
    },
    Drop {
        name: (String, Span),
        if_exists: bool,
    },
    Rename {
        from: (String, Span),
        to: (String, Span),
    },
    SetType {
        name: (String, Span),
        data_type: DataType,
        collation: Option<ObjectName>,
    },
}

/// A token of a statement the parser cannot take, with what the recognisers look at.
pub(super) struct Tok {
    /// The identifier or keyword as PostgreSQL folds it (quoted ones kept).
    pub word: Option<String>,
    pub upper: String,
    /// Byte offsets in the statement's file.
    pub range: Range<usize>,
    pub token: Token,
    pub span: Span,
}

impl Tok {
    /// Whether this is the keyword `keyword` (upper case).
    pub fn is(&self, keyword: &str) -> bool {
        self.word.is_some() && self.upper == keyword
    }
}

/// The statement's tokens without whitespace and comments; `None` when it does not tokenize.
pub(super) fn tokens(frag: &Fragment) -> Option<Vec<Tok>> {
    let dialect = PostgreSqlDialect {};
    let toks = Tokenizer::new(&dialect, frag.text())
        .tokenize_with_location()
        .ok()?;
    let mut at = frag.locator();
    Some(
        toks.into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .map(|t| {
                let start = at.offset(t.span.start).unwrap_or(frag.range.start);
                let end = at.offset(t.span.end).unwrap_or(frag.range.end);
                let word = match &t.token {
                    Token::Word(w) => Some(if w.quote_style.is_some() {
                        w.value.clone()
                    } else {
                        // Folded as `ident_name` folds: ASCII only.
                        w.value.to_ascii_lowercase()
                    }),
                    _ => None,
                };
                Tok {
                    upper: word.as_deref().unwrap_or("").to_uppercase(),
                    word,
                    range: start..end,
                    token: t.token,
                    span: t.span,
                }
            })
            .collect(),
    )
}

/// A possibly schema-qualified name starting at token `i`, as the catalog keys it (`public.`
/// dropped): (key, its range, the next token's index).
fn key_at(toks: &[Tok], i: usize) -> Option<(String, Range<usize>, usize)> {
    let first = toks.get(i)?.word.clone()?;
    if toks.get(i + 1).is_some_and(|t| t.token == Token::Period) {
        let t = toks.get(i + 2)?;
        let schema = (first != "public").then_some(first.as_str());
        let key = crate::catalog::names::qualify(schema, t.word.clone()?);
        return Some((key, toks[i].range.start..t.range.end, i + 3));
    }
    Some((first, toks[i].range.clone(), i + 1))
}

pub fn recognize(frag: &Fragment) -> Option<Fallback> {
    let toks = tokens(frag)?;
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let name_at = |i: usize| key_at(&toks, i);
    if (kw(0, "CREATE") || kw(0, "DROP")) && kw(1, "CAST") {
        return super::cast_syntax::recognize(&toks).map(Fallback::Cast);
    }
    if kw(0, "ALTER") && kw(1, "SEQUENCE") {
        let mut i = 2;
        let if_exists = kw(i, "IF") && kw(i + 1, "EXISTS");
        if if_exists {
            i += 2;
        }
        let (name, range, mut i) = name_at(i)?;
        let mut rename_to = None;
        let mut owned_by = None;
        while i < toks.len() {
            if kw(i, "RENAME") && kw(i + 1, "TO") {
                let (n, r, next) = name_at(i + 2)?;
                rename_to = Some((n, r));
                i = next;
            } else if kw(i, "SET") && kw(i + 1, "SCHEMA") {
                // A move is a rename to the name qualified by the new schema.
                let t = toks.get(i + 2)?;
                let schema = t.word.clone()?;
                let bare = crate::catalog::split_key(&name).1.to_string();
                let schema = (schema != "public").then_some(schema);
                rename_to = Some((
                    crate::catalog::names::qualify(schema.as_deref(), bare),
                    t.range.clone(),
                ));
                i += 3;
            } else if kw(i, "OWNED") && kw(i + 1, "BY") {
                if kw(i + 2, "NONE") {
                    owned_by = Some(None);
                    i += 3;
                } else {
                    // `t.c` or `s.t.c`.
                    let (t, _, next) = name_at(i + 2)?;
                    let (t, c, next) = if toks.get(next).is_some_and(|t| t.token == Token::Period) {
                        let c = toks.get(next + 1)?.word.clone()?;
                        (t, c, next + 2)
                    } else {
                        // `t.c` read as a qualified name: its "schema" is the table.
                        let (table, column) = t.rsplit_once('.')?;
                        (table.to_string(), column.to_string(), next)
                    };
                    owned_by = Some(Some((t, c)));
                    i = next;
                }
            } else {
                i += 1; // RESTART, INCREMENT, … change no schema
            }
        }
        return Some(Fallback::AlterSequence {
            if_exists,
            name: (name, range),
            rename_to,
            owned_by,
        });
    }
    let ends_at = |end: usize| {
        toks.len() == end || (toks.len() == end + 1 && toks[end].token == Token::SemiColon)
    };
    // `name` or `schema.name` from i, as written: (name, next index).
    let object_at = |i: usize| -> Option<(ObjectName, usize)> {
        if toks.get(i + 1).is_some_and(|t| t.token == Token::Period) {
            Some((
                ObjectName::from(vec![ident(toks.get(i)?)?, ident(toks.get(i + 2)?)?]),
                i + 3,
            ))
        } else {
            Some((ObjectName::from(vec![ident(toks.get(i)?)?]), i + 1))
        }
    };
    if kw(0, "ALTER") && kw(1, "INDEX") {
        let (parent, prange, i) = name_at(2)?;
        if kw(i, "ATTACH") && kw(i + 1, "PARTITION") {
            let (child, crange, end) = name_at(i + 2)?;
            if ends_at(end) {
                return Some(Fallback::AttachIndex {
                    parent: (parent, prange),
                    child: (child, crange),
                });
            }
        }
        return None;
    }
    if kw(0, "ALTER") && kw(1, "TYPE") {
        if let Some((name, i)) = object_at(2) {
            if kw(i, "OWNER") && kw(i + 1, "TO") && ends_at(i + 3) {
                return Some(Fallback::TypeOwner(name));
            }
            if kw(i, "SET") && kw(i + 1, "SCHEMA") && ends_at(i + 3) {
                return Some(Fallback::SetTypeSchema {
                    name,
                    schema: ObjectName::from(vec![ident(toks.get(i + 2)?)?]),
                });
            }
        }
        return alter_composite(&toks);
    }
    if kw(0, "ALTER") && kw(1, "TABLE") {
        let mut i = 2;
        let if_exists = kw(i, "IF") && kw(i + 1, "EXISTS");
        if if_exists {
            i += 2;
        }
        if kw(i, "ONLY") {
            i += 1;
        }
        if let Some((table, next)) = object_at(i) {
            if kw(next, "SET") && kw(next + 1, "SCHEMA") && ends_at(next + 3) {
                return Some(Fallback::SetTableSchema {
                    table,
                    schema: ObjectName::from(vec![ident(toks.get(next + 2)?)?]),
                    if_exists,
                });
            }
        }
        if if_exists {
            return None;
        }
        let (table, trange, mut i) = name_at(i)?;
        if !kw(i, "ALTER") {
            return None;
        }
        i += 1;
        if kw(i, "COLUMN") {
            i += 1;
        }
        let column = toks.get(i)?;
        let column = (column.word.clone()?, column.range.clone());
        i += 1;
        let setting = kw(i, "SET")
            && (kw(i + 1, "STATISTICS") || kw(i + 1, "STORAGE") || kw(i + 1, "COMPRESSION"));
        let value = toks.get(i + 2).is_some_and(|t| {
            t.word.is_some() || matches!(t.token, Token::Number(..)) || t.token == Token::Minus
        });
        let end = if toks.get(i + 2).is_some_and(|t| t.token == Token::Minus) {
            i + 4
        } else {
            i + 3
        };
        let rest_ok =
            toks.len() == end || (toks.len() == end + 1 && toks[end].token == Token::SemiColon);
        return (setting && value && rest_ok).then_some(Fallback::ColumnSetting {
            table: (table, trange),
            column,
        });
    }
    if kw(0, "COMMENT") && kw(1, "ON") {
        return comment_on(&toks, &name_at);
    }
    if kw(0, "CLUSTER") {
        let mut i = 1;
        if kw(i, "VERBOSE") {
            i += 1;
        }
        let (table, trange, i) = name_at(i)?;
        let (index, i) = if kw(i, "USING") {
            let (n, r, next) = name_at(i + 1)?;
            (Some((n, r)), next)
        } else {
            (None, i)
        };
        return (i == toks.len()).then_some(Fallback::Cluster {
            table: (table, trange),
            index,
        });
    }
    if kw(0, "DROP") && kw(1, "INDEX") && kw(2, "CONCURRENTLY") {
        let mut i = 3;
        let if_exists = kw(i, "IF") && kw(i + 1, "EXISTS");
        if if_exists {
            i += 2;
        }
        let mut names = Vec::new();
        let mut cascade = false;
        loop {
            let (n, r, next) = name_at(i)?;
            names.push((n, r));
            i = next;
            if toks.get(i).is_some_and(|t| t.token == Token::Comma) {
                i += 1;
                continue;
            }
            break;
        }
        if kw(i, "CASCADE") {
            cascade = true;
            i += 1;
        } else if kw(i, "RESTRICT") {
            i += 1;
        }
        if i != toks.len() {
            return None;
        }
        return Some(Fallback::DropIndex {
            if_exists,
            names,
            cascade,
        });
    }
    None
}

/// `COMMENT ON …` for the objects sqlparser 0.64 does not read: constraints and triggers
/// `ON table`, routines with an argument list; the comment itself is a string or NULL.
fn comment_on(
    toks: &[Tok],
    name_at: &dyn Fn(usize) -> Option<(String, Range<usize>, usize)>,
) -> Option<Fallback> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let (target, mut i) = if kw(2, "CONSTRAINT") || kw(2, "TRIGGER") {
        let name = toks.get(3)?;
        let name = (name.word.clone()?, name.range.clone());
        if !kw(4, "ON") || kw(5, "DOMAIN") {
            return None;
        }
        let (t, r, next) = name_at(5)?;
        let target = if kw(2, "CONSTRAINT") {
            CommentTarget::Constraint {
                name,
                table: (t, r),
            }
        } else {
            CommentTarget::Trigger {
                name,
                table: (t, r),
            }
        };
        (target, next)
    } else if ["FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE"]
        .iter()
        .any(|k| kw(2, k))
    {
        let (n, r, mut next) = name_at(3)?;
        if toks.get(next).is_some_and(|t| t.token == Token::LParen) {
            let mut depth = 0usize;
            loop {
                match toks.get(next)?.token {
                    Token::LParen => depth += 1,
                    Token::RParen => depth -= 1,
                    _ => {}
                }
                next += 1;
                if depth == 0 {
                    break;
                }
            }
        }
        (CommentTarget::Routine { name: (n, r) }, next)
    } else {
        return None;
    };
    if !kw(i, "IS") {
        return None;
    }
    i += 1;
    let value = toks.get(i)?;
    let is_text = matches!(
        value.token,
        Token::SingleQuotedString(_)
            | Token::DollarQuotedString(_)
            | Token::EscapedStringLiteral(_)
    );
    if !(is_text || value.is("NULL")) {
        return None;
    }
    i += 1;
    let rest_ok = toks.len() == i || (toks.len() == i + 1 && toks[i].token == Token::SemiColon);
    rest_ok.then_some(Fallback::Comment(target))
}

/// `ALTER TYPE name action [, …] [CASCADE | RESTRICT]` with attribute actions; the types
/// they name are parsed by sqlparser from their tokens.
fn alter_composite(toks: &[Tok]) -> Option<Fallback> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let ident = |i: usize| toks.get(i).and_then(|t| Some((t.word.clone()?, t.span)));
    let mut i = 2;
    let first = ident(i)?;
    let name = if toks.get(i + 1).is_some_and(|t| t.token == Token::Period) {
        if first.0 != "public" {
            return None;
        }
        i += 2;
        ident(i)?
    } else {
        first
    };
    i += 1;
    let mut actions = Vec::new();
    let mut cascade = false;
    // The end of one action: the next top-level comma, CASCADE/RESTRICT, or the end.
    let action_end = |from: usize| {
        let mut depth = 0usize;
        let mut j = from;
        while j < toks.len() {
            match toks[j].token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                Token::Comma | Token::SemiColon if depth == 0 => break,
                _ if depth == 0 && (kw(j, "CASCADE") || kw(j, "RESTRICT")) => break,
                _ => {}
            }
            j += 1;
        }
        j
    };
    // A data type and an optional COLLATE from tokens [from, to).
    let data_type = |from: usize, to: usize| -> Option<(DataType, Option<ObjectName>)> {
        let (ty_end, collation) = match (from..to).find(|&j| kw(j, "COLLATE")) {
            Some(c) => {
                let name: Vec<TokenWithSpan> = toks[c + 1..to]
                    .iter()
                    .map(|t| TokenWithSpan::new(t.token.clone(), t.span))
                    .collect();
                let n = Parser::new(&PostgreSqlDialect {})
                    .with_tokens_with_locations(name)
                    .parse_object_name(false)
                    .ok()?;
                (c, Some(n))
            }
            None => (to, None),
        };
        let tokens: Vec<TokenWithSpan> = toks[from..ty_end]
            .iter()
            .map(|t| TokenWithSpan::new(t.token.clone(), t.span))
            .collect();
        let mut p = Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(tokens);
        let dt = p.parse_data_type().ok()?;
        p.peek_token()
            .token
            .eq(&Token::EOF)
            .then_some((dt, collation))
    };
    loop {
        let end = action_end(i);
        if kw(i, "ADD") && kw(i + 1, "ATTRIBUTE") {
            let name = ident(i + 2)?;
            let (data_type, collation) = data_type(i + 3, end)?;
            actions.push(AttributeAction::Add {
                name,
                data_type,
                collation,
            });
        } else if kw(i, "DROP") && kw(i + 1, "ATTRIBUTE") {
            let if_exists = kw(i + 2, "IF") && kw(i + 3, "EXISTS");
            let at = if if_exists { i + 4 } else { i + 2 };
            if at + 1 != end {
                return None;
            }
            actions.push(AttributeAction::Drop {
                name: ident(at)?,
                if_exists,
            });
        } else if kw(i, "RENAME") && kw(i + 1, "ATTRIBUTE") && kw(i + 3, "TO") && i + 5 == end {
            actions.push(AttributeAction::Rename {
                from: ident(i + 2)?,
                to: ident(i + 4)?,
            });
        } else if kw(i, "ALTER") && kw(i + 1, "ATTRIBUTE") {
            let name = ident(i + 2)?;
            let at = match (kw(i + 3, "SET") && kw(i + 4, "DATA"), kw(i + 3, "TYPE")) {
                (true, _) if kw(i + 5, "TYPE") => i + 6,
                (_, true) => i + 4,
                _ => return None,
            };
            let (data_type, collation) = data_type(at, end)?;
            actions.push(AttributeAction::SetType {
                name,
                data_type,
                collation,
            });
        } else {
            return None;
        }
        i = end;
        match toks.get(i) {
            Some(t) if t.token == Token::Comma => i += 1,
            _ => break,
        }
    }
    if kw(i, "CASCADE") {
        cascade = true;
        i += 1;
    } else if kw(i, "RESTRICT") {
        i += 1;
    }
    if toks.get(i).is_some_and(|t| t.token == Token::SemiColon) {
        i += 1;
    }
    (i == toks.len()).then_some(Fallback::AlterComposite {
        name,
        actions,
        cascade,
    })
}

/// `CREATE [OR REPLACE] FUNCTION | PROCEDURE` as sqlparser 0.64 can parse it: `PROCEDURE`
/// (which it only knows in other dialects' form) spelled `FUNCTION `, and the attributes it
/// does not parse and that change no schema — `COST n`, `ROWS n`, `PARALLEL SAFE |
/// RESTRICTED | UNSAFE`, `[NOT] LEAKPROOF`, `SUPPORT f` — blanked out, byte offsets kept,
/// for a second parse that checks the rest. `None` when the statement is not a routine or
/// needs neither.
pub fn routine_for_parser(frag: &Fragment) -> Option<(Fragment, RoutineKind)> {
    let toks = tokens(frag)?;
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let keyword = match (kw(0, "CREATE"), kw(1, "OR") && kw(2, "REPLACE")) {
        (true, true) => 3,
        (true, false) => 1,
        _ => return None,
    };
    let kind = if kw(keyword, "FUNCTION") {
        RoutineKind::Function
    } else if kw(keyword, "PROCEDURE") {
        RoutineKind::Procedure
    } else {
        return None;
    };
    let number = |i: usize| {
        toks.get(i)
            .is_some_and(|t| matches!(t.token, Token::Number(..)))
    };
    let mut blank: Vec<Range<usize>> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match toks[i].token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        // Attributes follow the argument list, at the top level.
        let span = |n: usize| toks[i].range.start..toks[i + n - 1].range.end;
        let two_word = ((kw(i, "COST") || kw(i, "ROWS")) && number(i + 1))
            || (kw(i, "PARALLEL")
                && (kw(i + 1, "SAFE") || kw(i + 1, "UNSAFE") || kw(i + 1, "RESTRICTED")))
            || (kw(i, "NOT") && kw(i + 1, "LEAKPROOF"))
            || (kw(i, "SUPPORT") && toks.get(i + 1).is_some_and(|t| t.word.is_some()));
        let take = match (depth > 0, two_word, kw(i, "LEAKPROOF")) {
            (true, _, _) => 0,
            (false, true, _) => 2,
            (false, false, true) => 1,
            _ => 0,
        };
        if take > 0 {
            blank.push(span(take));
            i += take;
        } else {
            i += 1;
        }
    }
    if blank.is_empty() && kind == RoutineKind::Function {
        return None;
    }
    let mut text = frag.file.text.clone().into_bytes();
    for r in blank {
        text[r].iter_mut().for_each(|b| *b = b' ');
    }
    if kind == RoutineKind::Procedure {
        // Same length, so every offset after it stays.
        text[toks[keyword].range.clone()].copy_from_slice(b"FUNCTION ");
    }
    let text = String::from_utf8(text).ok()?;
    let plain = Fragment {
        file: crate::source::SourceFile::new(frag.file.path.clone(), text),
        range: frag.range.clone(),
    };
    Some((plain, kind))
}

/// `CREATE [TEMP | UNLOGGED] TABLE [IF NOT EXISTS] name (a, b, …) AS query`: sqlparser 0.64
/// reads a parenthesised list after the name only as column definitions, so the name list
/// is blanked out (byte offsets kept) for a second parse, and returned with its spans to
/// name the query's columns. `None` for any other statement.
pub fn table_as_for_parser(frag: &Fragment) -> Option<(Fragment, Vec<sqlparser::ast::Ident>)> {
    let toks = tokens(frag)?;
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let open = create_table_paren(&toks)?;
    let mut i = open;
    let mut names = Vec::new();
    i += 1;
    loop {
        let t = toks.get(i)?;
        names.push(sqlparser::ast::Ident::with_span(t.span, t.word.clone()?));
        match toks.get(i + 1)?.token {
            Token::Comma => i += 2,
            Token::RParen => break,
            _ => return None,
        }
    }
    let close = i + 1;
    if !kw(close + 1, "AS") {
        return None;
    }
    let list = toks[open].range.start..toks[close].range.end;
    let plain = blanked(frag, std::slice::from_ref(&list))?;
    Some((plain, names))
}

/// The index of the `(` that opens `CREATE [GLOBAL | LOCAL] [TEMP | UNLOGGED] TABLE
/// [IF NOT EXISTS] [schema.]name (`.
fn create_table_paren(toks: &[Tok]) -> Option<usize> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let mut i = 1;
    if !kw(0, "CREATE") {
        return None;
    }
    if kw(i, "GLOBAL") || kw(i, "LOCAL") {
        i += 1;
    }
    if kw(i, "TEMP") || kw(i, "TEMPORARY") || kw(i, "UNLOGGED") {
        i += 1;
    }
    if !kw(i, "TABLE") {
        return None;
    }
    i += 1;
    if kw(i, "IF") && kw(i + 1, "NOT") && kw(i + 2, "EXISTS") {
        i += 3;
    }
    toks.get(i)?.word.as_ref()?;
    i += 1;
    if toks.get(i).is_some_and(|t| t.token == Token::Period) {
        toks.get(i + 1)?.word.as_ref()?;
        i += 2;
    }
    (toks.get(i)?.token == Token::LParen).then_some(i)
}

/// `CREATE MATERIALIZED VIEW … AS query WITH [NO] DATA`: the trailing clause, which
/// changes no schema (pg_dump writes `WITH NO DATA`), blanked for sqlparser 0.64, which does
/// not read it.
pub fn matview_data_for_parser(frag: &Fragment) -> Option<Fragment> {
    let toks = tokens(frag)?;
    if !(toks.first()?.is("CREATE") && toks.get(1)?.is("MATERIALIZED") && toks.get(2)?.is("VIEW")) {
        return None;
    }
    let mut end = toks.len();
    if toks.last()?.token == Token::SemiColon {
        end -= 1;
    }
    let last = toks.get(end.checked_sub(1)?)?;
    if !last.is("DATA") {
        return None;
    }
    let with = match toks.get(end.checked_sub(2)?)? {
        t if t.is("NO") => end.checked_sub(3)?,
        _ => end - 2,
    };
    if !toks.get(with)?.is("WITH") {
        return None;
    }
    let clause = toks[with].range.start..last.range.end;
    blanked(frag, std::slice::from_ref(&clause))
}

/// `CREATE [UNIQUE] INDEX … ON ONLY t …`: sqlparser 0.64 does not read `ONLY` there; it is
/// blanked, and the index is created on `t` alone.
pub fn index_on_only_for_parser(frag: &Fragment) -> Option<Fragment> {
    let toks = tokens(frag)?;
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let start = if kw(1, "UNIQUE") { 2 } else { 1 };
    if !(kw(0, "CREATE") && kw(start, "INDEX")) {
        return None;
    }
    let on = (start..toks.len()).find(|&i| kw(i, "ON"))?;
    if !kw(on + 1, "ONLY") {
        return None;
    }
    blanked(frag, std::slice::from_ref(&toks[on + 1].range))
}

/// The sequence an identity column is given by name: `(table key, column, sequence key)`.
pub struct IdentitySequence {
    pub table: String,
    pub column: String,
    pub sequence: String,
}

/// `ALTER TABLE t ALTER COLUMN c ADD GENERATED … AS IDENTITY (SEQUENCE NAME s …)`, as
/// pg_dump writes identity columns: sqlparser 0.64 does not read the `SEQUENCE NAME`
/// option, so it is blanked, and the name returned for the sequence to take (a renamed
/// table's identity keeps the sequence's first name).
pub fn identity_sequence_name_for_parser(frag: &Fragment) -> Option<(Fragment, IdentitySequence)> {
    let toks = tokens(frag)?;
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    if !(kw(0, "ALTER") && kw(1, "TABLE")) {
        return None;
    }
    let mut i = 2;
    if kw(i, "ONLY") {
        i += 1;
    }
    let (table, _, mut i) = key_at(&toks, i)?;
    if !kw(i, "ALTER") {
        return None;
    }
    i += 1;
    if kw(i, "COLUMN") {
        i += 1;
    }
    let column = toks.get(i)?.word.clone()?;
    if !(kw(i + 1, "ADD") && kw(i + 2, "GENERATED")) {
        return None;
    }
    let at = (i..toks.len()).find(|&j| kw(j, "SEQUENCE") && kw(j + 1, "NAME"))?;
    let (sequence, _, next) = key_at(&toks, at + 2)?;
    let option = toks[at].range.start..toks[next - 1].range.end;
    let plain = blanked(frag, std::slice::from_ref(&option))?;
    Some((
        plain,
        IdentitySequence {
            table,
            column,
            sequence,
        },
    ))
}

/// The statement's file with `ranges` blanked out: byte offsets, and so every span, stay.
fn blanked(frag: &Fragment, ranges: &[Range<usize>]) -> Option<Fragment> {
    let mut text = frag.file.text.clone().into_bytes();
    for r in ranges {
        text[r.clone()].iter_mut().for_each(|b| *b = b' ');
    }
    Some(Fragment {
        file: crate::source::SourceFile::new(frag.file.path.clone(), String::from_utf8(text).ok()?),
        range: frag.range.clone(),
    })
}

/// What `LIKE source INCLUDING … | EXCLUDING …` copies besides names, types and NOT NULL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LikeOptions {
    pub defaults: bool,
    pub constraints: bool,
    pub indexes: bool,
    pub identity: bool,
    pub generated: bool,
}

/// One `LIKE source [options]` element of a CREATE TABLE column list.
#[derive(Debug, Clone)]
pub struct LikeClause {
    pub source: ObjectName,
    /// How many column definitions come before it: its columns go there.
    pub position: usize,
    pub options: LikeOptions,
}

/// `CREATE TABLE t (LIKE source INCLUDING ALL, extra int, …)`: sqlparser 0.64 reads a LIKE
/// element only alone and only with `INCLUDING DEFAULTS`, so LIKE elements (and a comma
/// next to each) are blanked out for a second parse and returned, with where their columns
/// go. `None` when the statement has no LIKE element or one the recogniser does not read.
/// Whether `word` (lower case ASCII) occurs in `text` in any case. Only at bytes that can
/// start it is the rest compared: most statements are scanned once, at a byte a step.
fn contains_word_ignore_case(text: &[u8], word: &[u8]) -> bool {
    let first = word[0];
    (0..text.len().saturating_sub(word.len() - 1))
        .any(|i| text[i] | 0x20 == first && text[i..i + word.len()].eq_ignore_ascii_case(word))
}

pub fn table_like_for_parser(frag: &Fragment) -> Option<(Fragment, Vec<LikeClause>)> {
    // Every statement passes here: only those with the word are tokenized.
    if !contains_word_ignore_case(frag.text().as_bytes(), b"like") {
        return None;
    }
    let toks = tokens(frag)?;
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let open = create_table_paren(&toks)?;
    let mut likes = Vec::new();
    let mut blank = Vec::new();
    let mut columns = 0;
    let mut i = open + 1;
    // Each element: from `start` to the comma or closing parenthesis at depth 0.
    loop {
        let start = i;
        let mut depth = 0usize;
        // An unclosed parenthesis runs out of tokens: not a statement this reads.
        while depth > 0 || !matches!(toks.get(i)?.token, Token::Comma | Token::RParen) {
            match toks.get(i)?.token {
                Token::LParen => depth += 1,
                Token::RParen => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        let end = i; // the separator
        if kw(start, "LIKE") {
            let mut j = start + 1;
            let mut parts = vec![ident(&toks[j])?];
            j += 1;
            if toks.get(j).is_some_and(|t| t.token == Token::Period) {
                parts.push(ident(toks.get(j + 1)?)?);
                j += 2;
            }
            let mut options = LikeOptions::default();
            while j < end {
                let on = if kw(j, "INCLUDING") {
                    true
                } else if kw(j, "EXCLUDING") {
                    false
                } else {
                    return None;
                };
                let option = toks.get(j + 1)?.upper.as_str();
                let all = option == "ALL";
                match option {
                    "DEFAULTS" | "CONSTRAINTS" | "INDEXES" | "IDENTITY" | "GENERATED" | "ALL" => {
                        if all || option == "DEFAULTS" {
                            options.defaults = on;
                        }
                        if all || option == "CONSTRAINTS" {
                            options.constraints = on;
                        }
                        if all || option == "INDEXES" {
                            options.indexes = on;
                        }
                        if all || option == "IDENTITY" {
                            options.identity = on;
                        }
                        if all || option == "GENERATED" {
                            options.generated = on;
                        }
                    }
                    // Comments, storage, compression and statistics: nothing the catalog holds.
                    "COMMENTS" | "COMPRESSION" | "STATISTICS" | "STORAGE" => {}
                    _ => return None,
                }
                j += 2;
            }
            likes.push(LikeClause {
                source: ObjectName::from(parts),
                position: columns,
                options,
            });
            // The element and one comma beside it: the one after, else the one before.
            let from = if toks[end].token == Token::Comma || start == open + 1 {
                toks[start].range.start
            } else {
                toks[start - 1].range.start
            };
            let to = if toks[end].token == Token::Comma {
                toks[end].range.end
            } else {
                toks[end - 1].range.end
            };
            blank.push(from..to);
        } else if ![
            "CONSTRAINT",
            "PRIMARY",
            "UNIQUE",
            "CHECK",
            "FOREIGN",
            "EXCLUDE",
        ]
        .iter()
        .any(|k| kw(start, k))
        {
            columns += 1;
        }
        if toks[end].token == Token::RParen {
            break;
        }
        i = end + 1;
    }
    if likes.is_empty() {
        return None;
    }
    Some((blanked(frag, &blank)?, likes))
}

fn ident(t: &Tok) -> Option<sqlparser::ast::Ident> {
    let w = t.word.clone()?;
    let quote = matches!(&t.token, Token::Word(w) if w.quote_style.is_some()).then_some('"');
    Some(sqlparser::ast::Ident {
        value: w,
        quote_style: quote,
        span: t.span,
    })
}

/// `DROP AGGREGATE name(types) …`, which sqlparser 0.64 does not parse, with its keyword
/// spelled `FUNCTION ` (same length, so every offset stays) for a second parse as `DROP
/// FUNCTION`; the caller drops aggregates with it.
pub fn drop_aggregate_for_parser(frag: &Fragment) -> Option<Fragment> {
    let toks = tokens(frag)?;
    if !(toks.first()?.is("DROP") && toks.get(1)?.is("AGGREGATE")) {
        return None;
    }
    let mut text = frag.file.text.clone().into_bytes();
    text[toks[1].range.clone()].copy_from_slice(b"FUNCTION ");
    Some(Fragment {
        file: crate::source::SourceFile::new(frag.file.path.clone(), String::from_utf8(text).ok()?),
        range: frag.range.clone(),
    })
}
