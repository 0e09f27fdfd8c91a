//! `CREATE CAST` and `DROP CAST`, which sqlparser 0.64 does not parse, read from their
//! tokens. The types and the function are handed to sqlparser's own parsers with their
//! spans, so diagnostics point into the statement.

use sqlparser::ast::{DataType, FunctionDesc, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Word};

use super::fallback::Tok;
use crate::catalog::CastContext;

#[derive(Debug)]
pub enum CastStatement {
    /// `CREATE CAST (source AS target) method [AS ASSIGNMENT | AS IMPLICIT]`.
    Create {
        source: TypeRef,
        target: TypeRef,
        method: MethodSpec,
        context: CastContext,
    },
    /// `DROP CAST [IF EXISTS] (source AS target) [CASCADE | RESTRICT]`.
    Drop {
        source: TypeRef,
        target: TypeRef,
        if_exists: bool,
    },
}

/// A type as written, with where.
#[derive(Debug)]
pub struct TypeRef {
    pub data_type: DataType,
    pub span: Span,
}

#[derive(Debug)]
pub enum MethodSpec {
    /// `WITH FUNCTION f` or `WITH FUNCTION f(types)`.
    Function(FunctionDesc),
    /// `WITHOUT FUNCTION`: a binary-compatible cast, at the span of its key words.
    Without(Span),
    /// `WITH INOUT`.
    InOut,
}

/// The statement, when `toks` are a well-formed CREATE or DROP CAST; `None` leaves it to
/// the parser's syntax error.
pub(super) fn recognize(toks: &[Tok]) -> Option<CastStatement> {
    let mut toks = toks;
    if toks.last().is_some_and(|t| t.token == Token::SemiColon) {
        toks = &toks[..toks.len() - 1];
    }
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is(k));
    let create = kw(0, "CREATE");
    if !(create || kw(0, "DROP")) || !kw(1, "CAST") {
        return None;
    }
    let mut i = 2;
    let if_exists = !create && kw(i, "IF") && kw(i + 1, "EXISTS");
    if if_exists {
        i += 2;
    }
    // `( source AS target )`: the AS at depth one splits them (types may have parentheses).
    if toks.get(i)?.token != Token::LParen {
        return None;
    }
    let mut depth = 0usize;
    let mut split = None;
    let mut close = None;
    for (j, t) in toks.iter().enumerate().skip(i) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            _ if depth == 1 && t.is("AS") && split.is_none() => split = Some(j),
            _ => {}
        }
    }
    let (split, close) = (split?, close?);
    let source = type_ref(&toks[i + 1..split])?;
    let target = type_ref(&toks[split + 1..close])?;
    let mut i = close + 1;
    if !create {
        if kw(i, "CASCADE") || kw(i, "RESTRICT") {
            i += 1;
        }
        return (i == toks.len()).then_some(CastStatement::Drop {
            source,
            target,
            if_exists,
        });
    }
    let method = if kw(i, "WITHOUT") && kw(i + 1, "FUNCTION") {
        i += 2;
        MethodSpec::Without(toks[i - 2].span.union(&toks[i - 1].span))
    } else if kw(i, "WITH") && kw(i + 1, "INOUT") {
        i += 2;
        MethodSpec::InOut
    } else if kw(i, "WITH") && kw(i + 1, "FUNCTION") {
        // The function runs to `AS` outside its argument list, or to the end.
        let from = i + 2;
        let mut depth = 0usize;
        let mut end = from;
        while let Some(t) = toks.get(end) {
            match t.token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.checked_sub(1)?,
                _ if depth == 0 && t.is("AS") => break,
                _ => {}
            }
            end += 1;
        }
        i = end;
        MethodSpec::Function(function_desc(&toks[from..end])?)
    } else {
        return None;
    };
    let context = if kw(i, "AS") && kw(i + 1, "ASSIGNMENT") {
        i += 2;
        CastContext::Assignment
    } else if kw(i, "AS") && kw(i + 1, "IMPLICIT") {
        i += 2;
        CastContext::Implicit
    } else {
        CastContext::Explicit
    };
    (i == toks.len()).then_some(CastStatement::Create {
        source,
        target,
        method,
        context,
    })
}

fn with_spans(toks: &[Tok]) -> Vec<TokenWithSpan> {
    toks.iter()
        .map(|t| TokenWithSpan::new(t.token.clone(), t.span))
        .collect()
}

/// A whole token run as one data type.
fn type_ref(toks: &[Tok]) -> Option<TypeRef> {
    let span = toks.first()?.span.union(&toks.last()?.span);
    let mut p = Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(with_spans(toks));
    let data_type = p.parse_data_type().ok()?;
    (p.peek_token().token == Token::EOF).then_some(TypeRef { data_type, span })
}

/// `f` or `f(types)` read as sqlparser reads DROP FUNCTION's: its tokens after a
/// `DROP FUNCTION` of no span.
fn function_desc(toks: &[Tok]) -> Option<FunctionDesc> {
    if toks.is_empty() {
        return None;
    }
    let keyword = |word: &str, keyword: Keyword| {
        TokenWithSpan::new(
            Token::Word(Word {
                value: word.to_string(),
                quote_style: None,
                keyword,
            }),
            Span::empty(),
        )
    };
    let mut all = vec![
        keyword("DROP", Keyword::DROP),
        TokenWithSpan::new(
            Token::Whitespace(sqlparser::tokenizer::Whitespace::Space),
            Span::empty(),
        ),
        keyword("FUNCTION", Keyword::FUNCTION),
        TokenWithSpan::new(
            Token::Whitespace(sqlparser::tokenizer::Whitespace::Space),
            Span::empty(),
        ),
    ];
    all.extend(with_spans(toks));
    let mut p = Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(all);
    match p.parse_statement().ok()? {
        Statement::DropFunction(mut df) if df.func_desc.len() == 1 => {
            (p.peek_token().token == Token::EOF).then(|| df.func_desc.remove(0))
        }
        _ => None,
    }
}
