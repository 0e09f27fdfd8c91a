//! `f(a, VARIADIC arr)`: PostgreSQL passes the array as the variadic parameter itself
//! instead of as one of its elements; sqlparser 0.64 does not parse the keyword in a call.
//! In queries (the statement starts with SELECT, WITH, INSERT, UPDATE, DELETE, VALUES or
//! CALL — in CREATE FUNCTION the keyword declares the parameter), the tokens are rewritten
//! before parsing into `f(a, __cq_variadic(arr))`, every original token keeping its span;
//! the analysis reads the marker back (`analysis::function`).

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan, Word};

/// The marker call's name.
pub const MARKER: &str = "__cq_variadic";

fn is_variadic(t: &TokenWithSpan) -> bool {
    matches!(&t.token, Token::Word(w) if w.keyword == Keyword::VARIADIC && w.quote_style.is_none())
}

/// The tokens with `VARIADIC arg` in calls rewritten; unchanged when there is none.
pub fn rewrite(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    if !tokens.iter().any(is_variadic) {
        return tokens;
    }
    let first = tokens.iter().find_map(|t| match &t.token {
        Token::Word(w) => Some(w.keyword),
        Token::Whitespace(_) => None,
        _ => Some(Keyword::NoKeyword),
    });
    let query = matches!(
        first,
        Some(
            Keyword::SELECT
                | Keyword::WITH
                | Keyword::INSERT
                | Keyword::UPDATE
                | Keyword::DELETE
                | Keyword::VALUES
                | Keyword::CALL
        )
    );
    if !query {
        return tokens;
    }
    let toks: Vec<TokenWithSpan> = tokens
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let mut out = Vec::with_capacity(toks.len() + 3);
    let mut i = 0;
    while i < toks.len() {
        let after_open = i > 0 && matches!(toks[i - 1].token, Token::LParen | Token::Comma);
        // `VARIADIC name => arr` (named notation) is left to the parser.
        let named = toks.get(i + 2).is_some_and(|t| t.token == Token::RArrow);
        if is_variadic(&toks[i]) && after_open && !named {
            let span = toks[i].span;
            out.push(TokenWithSpan::new(
                Token::Word(Word {
                    value: MARKER.to_string(),
                    quote_style: None,
                    keyword: Keyword::NoKeyword,
                }),
                span,
            ));
            out.push(TokenWithSpan::new(Token::LParen, span));
            // The argument runs to the `,` or `)` that closes it.
            let mut depth = 0usize;
            i += 1;
            while let Some(t) = toks.get(i) {
                match t.token {
                    Token::LParen | Token::LBracket => depth += 1,
                    Token::RParen | Token::RBracket if depth == 0 => break,
                    Token::RParen | Token::RBracket => depth -= 1,
                    Token::Comma if depth == 0 => break,
                    _ => {}
                }
                out.push(t.clone());
                i += 1;
            }
            let end = toks.get(i).map_or(span, |t| t.span);
            out.push(TokenWithSpan::new(Token::RParen, end));
            continue;
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}
