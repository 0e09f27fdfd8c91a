//! Splitting SQL text into statements and parsing each one on its own.
//!
//! We split with sqlparser's tokenizer (so `;` inside strings, dollar-quoted function bodies
//! and comments is not a boundary) and parse statement by statement: one broken statement
//! then yields one located error instead of hiding every statement after it.

use std::ops::Range;
use std::sync::Arc;

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Fragment, SourceFile};

/// The statements of `range` in `file`, each without its terminating `;`.
pub fn split_statements(
    file: &Arc<SourceFile>,
    range: Range<usize>,
) -> Result<Vec<Fragment>, Diagnostic> {
    if let Some(ranges) = file.split_of(&range) {
        return Ok(ranges
            .iter()
            .map(|r| Fragment {
                file: file.clone(),
                range: r.clone(),
            })
            .collect());
    }
    Ok(split_tokenized(file, range)?
        .into_iter()
        .map(|(frag, _)| frag)
        .collect())
}

/// The statements of `range` in `file` with their tokens, for [`parse_tokens`]: a section
/// is tokenized once, to split it and to parse each statement (tokenizing each statement
/// again was a sixth of building a catalog).
pub fn split_tokenized(
    file: &Arc<SourceFile>,
    range: Range<usize>,
) -> Result<Vec<(Fragment, Vec<TokenWithSpan>)>, Diagnostic> {
    let section = Fragment {
        file: file.clone(),
        range: range.clone(),
    };
    let dialect = PostgreSqlDialect {};
    // Unescaped as `parse_statement` reads them; the boundaries are the same either way.
    // Sized for a token (or the space after one) per four bytes, as SQL has about: grown
    // from empty, the vector was copied ten times over for a section.
    let mut tokens = Vec::with_capacity(section.text().len() / 4);
    Tokenizer::new(&dialect, section.text())
        .with_unescape(true)
        .tokenize_with_location_into_buf(&mut tokens)
        .map_err(|e| {
            if let Some(d) = escaped_nul(&section, &e) {
                return d;
            }
            let at = section.offset_of(e.location).unwrap_or(range.start);
            Diagnostic::new(
                Code::SyntaxError,
                lowercase_first(&strip_location(&e.message)),
            )
            .at(file, at..at)
            .with_help(
                "check quotes and dollar-quoted bodies: the text cannot be split into statements",
            )
        })?;
    // Each statement: its byte range, and its tokens from the first to the last that is not
    // whitespace or `;`. Only those two tokens' locations are turned into offsets (every
    // token's was a tenth of reading a section).
    let mut statements: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let mut first: Option<usize> = None;
    let mut last = 0;
    let mut at = section.locator();
    let mut close = |toks: Range<usize>, statements: &mut Vec<_>| {
        let s = at
            .offset(tokens[toks.start].span.start)
            .unwrap_or(range.start);
        let e = at
            .offset(tokens[toks.end - 1].span.end)
            .unwrap_or(range.end);
        statements.push((s..e, toks));
    };
    for (i, tok) in tokens.iter().enumerate() {
        match &tok.token {
            Token::Whitespace(_) => {}
            Token::SemiColon => {
                if let Some(f) = first.take() {
                    close(f..last + 1, &mut statements);
                }
            }
            _ => {
                first.get_or_insert(i);
                last = i;
            }
        }
    }
    if let Some(f) = first {
        close(f..last + 1, &mut statements);
    }
    file.remember_split(
        range,
        statements
            .iter()
            .map(|(r, _)| r.clone())
            .collect::<Vec<_>>()
            .into(),
    );
    // Taken from the back, so that each statement's tokens move out without copying.
    let mut out: Vec<_> = statements
        .into_iter()
        .rev()
        .map(|(r, toks)| {
            let mut own = tokens.split_off(toks.start);
            own.truncate(toks.len());
            (
                Fragment {
                    file: file.clone(),
                    range: r,
                },
                own,
            )
        })
        .collect();
    out.reverse();
    Ok(out)
}

/// Parses one statement with the PostgreSQL dialect; a parse error becomes a located
/// diagnostic.
pub fn parse_statement(fragment: &Fragment) -> Result<Statement, Diagnostic> {
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, fragment.text())
        .with_unescape(true)
        .tokenize_with_location()
        .map_err(|e| {
            escaped_nul(fragment, &e).unwrap_or_else(|| {
                syntax_error(fragment, ParserError::TokenizerError(e.to_string()))
            })
        })?;
    parse_tokens(fragment, tokens)
}

/// Parses one statement from its tokens (those of [`split_tokenized`], or of its own text).
/// Their locations are made relative to the statement's first token, where the fragment
/// starts, as tokenizing the fragment's text alone gives them.
pub fn parse_tokens(
    fragment: &Fragment,
    mut tokens: Vec<TokenWithSpan>,
) -> Result<Statement, Diagnostic> {
    if let Some(first) = tokens.first().map(|t| t.span.start) {
        if (first.line, first.column) != (1, 1) {
            let rebase = |l: &mut Location| {
                if l.line == first.line {
                    l.column = l.column + 1 - first.column;
                }
                l.line = l.line + 1 - first.line;
            };
            for t in &mut tokens {
                rebase(&mut t.span.start);
                rebase(&mut t.span.end);
            }
        }
    }
    check_tokens(fragment, &tokens)?;
    check_depth(fragment, &tokens)?;
    let tokens = crate::subscript_assignment::rewrite(tokens);
    let tokens = crate::variadic_call::rewrite(tokens);
    let dialect = PostgreSqlDialect {};
    let result = Ok(Parser::new(&dialect)
        .with_recursion_limit(MAX_NESTING)
        .with_tokens_with_locations(tokens))
    .and_then(|mut p| {
        let stmt = p.parse_statement()?;
        // A fragment holds exactly one statement; trailing tokens are a syntax error that
        // `parse_statement` alone would not report.
        match p.peek_token().token {
            Token::EOF | Token::SemiColon => Ok(stmt),
            other => Err(ParserError::ParserError(format!(
                "Expected: end of statement, found: {other} at Line: {}, Column: {}",
                p.peek_token().span.start.line,
                p.peek_token().span.start.column
            ))),
        }
    });
    result.map_err(|e| syntax_error(fragment, e))
}

/// How deep parentheses, subqueries and other nesting may go. sqlparser's default (50) refuses
/// SQL that PostgreSQL runs; its parser grows its stack as it recurses, and the analysis runs
/// on a stack sized by the statement (see `crate::stack`), so real SQL's depths are safe.
pub const MAX_NESTING: usize = 5000;

/// Refuses nesting deeper than sqlparser may recurse before it parses. sqlparser stops at
/// [`MAX_NESTING`], but inside `CASE` and `ARRAY[…]` it then backtracks level by level, so
/// a statement just past the limit took 15–20 s to refuse. Counted here as sqlparser
/// recurses: a level per parenthesis, bracket and `CASE`, and one more for a parenthesis
/// holding a query. The margin covers the levels a statement itself takes.
fn check_depth(fragment: &Fragment, tokens: &[TokenWithSpan]) -> Result<(), Diagnostic> {
    use sqlparser::keywords::Keyword;
    const MARGIN: usize = 50;
    // Open levels: whether each is a parenthesis, and whether it holds a query.
    let mut open: Vec<(Token, bool)> = Vec::new();
    let mut depth = 0usize;
    // A run of prefix operators (`NOT NOT …`, `- - …`) nests each in the next.
    let mut prefixes = 0usize;
    for t in tokens {
        let prefix = match &t.token {
            Token::Whitespace(_) => continue,
            Token::Word(w) => w.quote_style.is_none() && w.keyword == Keyword::NOT,
            Token::Minus | Token::Plus | Token::Tilde => true,
            _ => false,
        };
        prefixes = if prefix { prefixes + 1 } else { 0 };
        match &t.token {
            Token::LParen | Token::LBracket => {
                open.push((t.token.clone(), false));
                depth += 1;
            }
            Token::Word(w) if w.quote_style.is_none() && w.keyword == Keyword::CASE => {
                open.push((t.token.clone(), false));
                depth += 1;
            }
            Token::Word(w)
                if w.quote_style.is_none()
                    && matches!(w.keyword, Keyword::SELECT | Keyword::VALUES | Keyword::WITH) =>
            {
                if let Some((Token::LParen, query)) = open.last_mut() {
                    if !*query {
                        *query = true;
                        depth += 1;
                    }
                }
            }
            Token::RParen | Token::RBracket => {
                let want = if t.token == Token::RParen {
                    Token::LParen
                } else {
                    Token::LBracket
                };
                // Close up to the matching opener (an unclosed CASE inside is a syntax error
                // the parser reports).
                while let Some((opener, query)) = open.pop() {
                    depth -= 1 + usize::from(query);
                    if opener == want {
                        break;
                    }
                }
            }
            Token::Word(w) if w.quote_style.is_none() && w.keyword == Keyword::END => {
                if let Some((Token::Word(_), _)) = open.last() {
                    open.pop();
                    depth -= 1;
                }
            }
            _ => {}
        }
        if depth + prefixes > MAX_NESTING - MARGIN {
            return Err(Diagnostic::new(
                Code::SyntaxError,
                format!("statement nested too deeply (more than {MAX_NESTING} levels)"),
            )
            .at_span(fragment, t.span)
            .with_sqlstate("54001")
            .with_help("flatten the nesting (a CTE, a join) or split the statement"));
        }
    }
    Ok(())
}

/// sqlparser cannot unescape a NUL (`E'\x00'`) and calls the string unterminated;
/// PostgreSQL's own complaint is the encoding's. The error for that case, if it is one.
fn escaped_nul(
    fragment: &Fragment,
    e: &sqlparser::tokenizer::TokenizerError,
) -> Option<Diagnostic> {
    if !e.message.contains("encoded string") {
        return None;
    }
    let text = fragment.text();
    let at = ["\\x00", "\\000", "\\u0000", "\\U00000000"]
        .iter()
        .filter_map(|n| text.find(n))
        .min()?;
    let start = fragment.range.start + at;
    Some(nul_character().at(&fragment.file, start..start + 4))
}

/// PostgreSQL's error for a NUL character in text, unlocated.
fn nul_character() -> Diagnostic {
    Diagnostic::new(
        Code::InvalidLiteral,
        "invalid byte sequence for encoding \"UTF8\": 0x00",
    )
    .with_sqlstate("22021")
    .with_help("PostgreSQL text cannot hold NUL characters; use bytea for binary data")
}

/// What PostgreSQL's lexer refuses and sqlparser's tokenizer takes: a zero-length quoted
/// identifier, a lone `$`, bit and hex strings with other digits, and NUL characters.
fn check_tokens(fragment: &Fragment, tokens: &[TokenWithSpan]) -> Result<(), Diagnostic> {
    let error = |code: Code, state: &'static str, message: String, span, help: &str| {
        Err(Diagnostic::new(code, message)
            .at_span(fragment, span)
            .with_sqlstate(state)
            .with_help(help.to_string()))
    };
    let nul = |span| Err(nul_character().at_span(fragment, span));
    for t in tokens {
        match &t.token {
            Token::Word(w) if w.quote_style == Some('"') && w.value.is_empty() => {
                return error(
                    Code::SyntaxError,
                    "42601",
                    "zero-length delimited identifier `\"\"`".to_string(),
                    t.span,
                    "give the name at least one character",
                );
            }
            Token::Placeholder(p) if p == "$" => {
                return error(
                    Code::SyntaxError,
                    "42601",
                    "syntax error at `$`".to_string(),
                    t.span,
                    "parameters are written `$1`, `$2`, …",
                );
            }
            Token::SingleQuotedByteStringLiteral(s) => {
                if let Some(c) = s.chars().find(|c| *c != '0' && *c != '1') {
                    return error(
                        Code::InvalidLiteral,
                        "22P02",
                        format!("`{c}` is not a valid binary digit"),
                        t.span,
                        "a bit string B'…' holds only 0 and 1",
                    );
                }
            }
            Token::HexStringLiteral(s) => {
                if let Some(c) = s.chars().find(|c| !c.is_ascii_hexdigit()) {
                    return error(
                        Code::InvalidLiteral,
                        "22P02",
                        format!("`{c}` is not a valid hexadecimal digit"),
                        t.span,
                        "a bit string X'…' holds only 0-9 and a-f",
                    );
                }
            }
            Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) if s.contains('\0') => {
                return nul(t.span);
            }
            Token::DollarQuotedString(d) if d.value.contains('\0') => return nul(t.span),
            _ => {}
        }
    }
    Ok(())
}

fn syntax_error(fragment: &Fragment, e: ParserError) -> Diagnostic {
    let message = match &e {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => {
            format!("statement nested too deeply (more than {MAX_NESTING} levels)")
        }
    };
    let at = parse_location(&message)
        .and_then(|loc| fragment.offset_of(loc))
        .unwrap_or(fragment.range.start);
    let end = fragment.range_of(sqlparser::tokenizer::Span::new(
        Location::new(0, 0),
        Location::new(0, 0),
    ));
    let word_end = fragment.file.text[at..end.end]
        .find(|c: char| c.is_whitespace() || c == ',' || c == ')' || c == '(')
        .map_or(end.end, |n| at + n.max(1));
    Diagnostic::new(Code::SyntaxError, lowercase_first(&strip_location(&message)))
        .at(&fragment.file, at..word_end.min(end.end).max(at))
        .with_help("fix the syntax; if PostgreSQL accepts this statement, please report it: the checker's parser does not")
}

/// sqlparser appends " at Line: L, Column: C" to its messages.
fn parse_location(message: &str) -> Option<Location> {
    let idx = message.rfind(" at Line: ")?;
    let rest = &message[idx + " at Line: ".len()..];
    let (line, col) = rest.split_once(", Column: ")?;
    let col: String = col.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some(Location::new(line.trim().parse().ok()?, col.parse().ok()?))
}

fn strip_location(message: &str) -> String {
    let m = message
        .strip_prefix("sql parser error: ")
        .unwrap_or(message);
    match m.rfind(" at Line: ") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let f = SourceFile::inline(text);
        split_statements(&f, 0..text.len())
            .unwrap()
            .iter()
            .map(|s| s.text().to_string())
            .collect()
    }

    #[test]
    fn splits_on_top_level_semicolons_only() {
        let sql = "-- c;\nCREATE TABLE a (x text DEFAULT ';');\n\nCREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;\n/* ; */ SELECT 1";
        assert_eq!(
            split(sql),
            [
                "CREATE TABLE a (x text DEFAULT ';')",
                "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql",
                "SELECT 1",
            ]
        );
        assert!(split("-- only a comment\n;;").is_empty());
    }

    #[test]
    fn parse_errors_point_into_the_file() {
        let text = "CREATE TABLE a (x int);\nCREATE TABLE b (y int,, z int);";
        let f = SourceFile::inline(text);
        let stmts = split_statements(&f, 0..text.len()).unwrap();
        assert!(parse_statement(&stmts[0]).is_ok());
        let err = parse_statement(&stmts[1]).unwrap_err();
        assert_eq!((err.line, err.column), (2, 23));
        assert!(err.message.starts_with("expected"), "{}", err.message);
    }

    #[test]
    fn unterminated_string_is_a_located_error() {
        let text = "SELECT 1;\nSELECT 'abc";
        let f = SourceFile::inline(text);
        let err = split_statements(&f, 0..text.len()).unwrap_err();
        assert_eq!(err.line, 2);
    }
}
