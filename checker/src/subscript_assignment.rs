//! `UPDATE … SET a[i] = v` (and `a[i:j]`, `a[i][j]`, jsonb's `data['key']`): PostgreSQL
//! assigns to an element or a slice; sqlparser 0.64 parses no subscript in a SET target. The
//! tokens are rewritten, before parsing, into
//!
//! ```sql
//! SET a = __cq_subscripted(__cq_index(i), __cq_slice(lo, hi), …, v)
//! ```
//!
//! which sqlparser parses as a call, every original token keeping its span; the analysis
//! reads the marker back as the assignment it stands for (`analysis::dml`). A missing slice
//! bound is written `NULL`.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Word};

/// The marker call's name; the subscripts' are [`INDEX`] and [`SLICE`].
pub const MARKER: &str = "__cq_subscripted";
pub const INDEX: &str = "__cq_index";
pub const SLICE: &str = "__cq_slice";

fn word(value: &str, keyword: Keyword, span: Span) -> TokenWithSpan {
    TokenWithSpan::new(
        Token::Word(Word {
            value: value.to_string(),
            quote_style: None,
            keyword,
        }),
        span,
    )
}

fn token(t: Token, span: Span) -> TokenWithSpan {
    TokenWithSpan::new(t, span)
}

fn is_kw(t: &TokenWithSpan, k: Keyword) -> bool {
    matches!(&t.token, Token::Word(w) if w.keyword == k && w.quote_style.is_none())
}

/// The tokens with every subscripted SET target rewritten; unchanged when there is none.
pub fn rewrite(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    if !tokens.iter().any(|t| t.token == Token::LBracket)
        || !tokens.iter().any(|t| is_kw(t, Keyword::SET))
    {
        return tokens;
    }
    // Only the significant tokens matter here; whitespace goes (the parser skips it).
    let toks: Vec<TokenWithSpan> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .cloned()
        .collect();
    let mut rewritten = false;
    let mut out = Vec::with_capacity(toks.len() + 8);
    let mut i = 0;
    // Inside a SET list: the parenthesis depth of the list.
    let mut list: Option<usize> = None;
    let mut depth = 0usize;
    while i < toks.len() {
        let t = &toks[i];
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
        // An assignment follows `SET` (not a statement's first word: `SET search_path …` has
        // no assignment list) and each `,` of the list.
        let mut item_follows = false;
        if is_kw(t, Keyword::SET) && i > 0 {
            list = Some(depth);
            item_follows = true;
        } else if let Some(d) = list {
            let ends = depth < d
                || (depth == d
                    && [Keyword::WHERE, Keyword::FROM, Keyword::RETURNING]
                        .iter()
                        .any(|k| is_kw(t, *k)));
            if ends {
                list = None;
            } else {
                item_follows = depth == d && t.token == Token::Comma;
            }
        }
        out.push(t.clone());
        i += 1;
        if let Some(next) = target(&toks, i).filter(|_| item_follows) {
            i = next.emit(&toks, &mut out);
            rewritten = true;
        }
    }
    if rewritten {
        out
    } else {
        tokens
    }
}

/// A subscripted assignment found at `at`: `name [..] [..] = value`.
struct Target {
    name: usize,
    /// Each subscript's tokens between its brackets (exclusive).
    subscripts: Vec<(usize, usize)>,
    eq: usize,
    /// The value's tokens: `eq + 1 .. value_end`.
    value_end: usize,
}

/// The subscripted target starting at `at`, if that is one.
fn target(toks: &[TokenWithSpan], at: usize) -> Option<Target> {
    if !matches!(toks.get(at)?.token, Token::Word(_)) {
        return None;
    }
    let mut i = at + 1;
    let mut subscripts = Vec::new();
    while toks.get(i)?.token == Token::LBracket {
        let mut depth = 0usize;
        let start = i + 1;
        loop {
            match toks.get(i)?.token {
                Token::LBracket | Token::LParen => depth += 1,
                Token::RBracket | Token::RParen => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            i += 1;
        }
        subscripts.push((start, i));
        i += 1;
    }
    if subscripts.is_empty() || toks.get(i)?.token != Token::Eq {
        return None;
    }
    let eq = i;
    let mut depth = 0usize;
    let mut j = eq + 1;
    while let Some(t) = toks.get(j) {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket if depth == 0 => break,
            Token::RParen | Token::RBracket => depth -= 1,
            Token::Comma | Token::SemiColon if depth == 0 => break,
            Token::EOF => break,
            _ if depth == 0
                && [Keyword::WHERE, Keyword::FROM, Keyword::RETURNING]
                    .iter()
                    .any(|k| is_kw(t, *k)) =>
            {
                break
            }
            _ => {}
        }
        j += 1;
    }
    Some(Target {
        name: at,
        subscripts,
        eq,
        value_end: j,
    })
}

impl Target {
    /// Writes `name = __cq_subscripted(…, value)` and returns the index after the value.
    fn emit(&self, toks: &[TokenWithSpan], out: &mut Vec<TokenWithSpan>) -> usize {
        let name = &toks[self.name];
        let eq = &toks[self.eq];
        out.push(name.clone());
        out.push(eq.clone());
        out.push(word(MARKER, Keyword::NoKeyword, name.span));
        out.push(token(Token::LParen, eq.span));
        for &(start, end) in &self.subscripts {
            let open = toks[start - 1].span;
            // A top-level `:` makes it a slice.
            let mut depth = 0usize;
            let colon = (start..end).find(|&k| {
                match toks[k].token {
                    Token::LParen | Token::LBracket => depth += 1,
                    Token::RParen | Token::RBracket => depth -= 1,
                    _ => {}
                }
                depth == 0 && toks[k].token == Token::Colon
            });
            let bound = |from: usize, to: usize, out: &mut Vec<TokenWithSpan>| {
                if from == to {
                    out.push(word("NULL", Keyword::NULL, open));
                } else {
                    out.extend(toks[from..to].iter().cloned());
                }
            };
            match colon {
                Some(c) => {
                    out.push(word(SLICE, Keyword::NoKeyword, open));
                    out.push(token(Token::LParen, open));
                    bound(start, c, out);
                    out.push(token(Token::Comma, toks[c].span));
                    bound(c + 1, end, out);
                }
                None => {
                    out.push(word(INDEX, Keyword::NoKeyword, open));
                    out.push(token(Token::LParen, open));
                    bound(start, end, out);
                }
            }
            out.push(token(Token::RParen, toks[end].span));
            out.push(token(Token::Comma, toks[end].span));
        }
        out.extend(toks[self.eq + 1..self.value_end].iter().cloned());
        out.push(token(Token::RParen, eq.span));
        self.value_end
    }
}
