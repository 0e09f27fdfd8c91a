//! `:name` parameters, as the seed writes them (`WHERE id = :id`), rewritten to PostgreSQL's
//! `$n` before analysis. Each `:name` becomes `$n` padded with spaces to the same length, so
//! every position in diagnostics still points into the SQL as written.

use std::sync::Arc;

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{Fragment, SourceFile};

/// The SQL with `$n` placeholders and, for named parameters, the names in `$n` order.
#[derive(Debug, Clone, PartialEq)]
pub struct Placeholders {
    pub sql: String,
    /// Empty for positional (`$n`) SQL.
    pub names: Vec<String>,
}

/// Rewrites `:name` to `$n`. Mixing `:name` and `$n` in one query is an error.
pub fn rewrite_named(file: &Arc<SourceFile>) -> Result<Placeholders, Diagnostic> {
    let sql = &file.text;
    // No colon, no `:name`: nothing to tokenize (most queries).
    if !sql.contains(':') {
        return Ok(Placeholders {
            sql: sql.clone(),
            names: Vec::new(),
        });
    }
    let frag = Fragment {
        file: file.clone(),
        range: 0..sql.len(),
    };
    let dialect = PostgreSqlDialect {};
    let tokens = match Tokenizer::new(&dialect, sql).tokenize_with_location() {
        Ok(t) => t,
        // The analysis reports the tokenizer's error with its position.
        Err(_) => {
            return Ok(Placeholders {
                sql: sql.clone(),
                names: Vec::new(),
            })
        }
    };
    let mut names: Vec<String> = Vec::new();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut positional = None;
    // Tokens come in order: a cursor keeps the offsets linear in the statement's length.
    let mut at = frag.locator();
    for (i, tok) in tokens.iter().enumerate() {
        match &tok.token {
            Token::Placeholder(p) if p.starts_with('$') && positional.is_none() => {
                positional = at.offset(tok.span.start)
            }
            Token::Colon => {
                let Some(next) = tokens.get(i + 1) else {
                    continue;
                };
                let Token::Word(w) = &next.token else {
                    continue;
                };
                let (Some(start), Some(word_start), Some(end)) = (
                    at.offset(tok.span.start),
                    at.offset(next.span.start),
                    at.offset(next.span.end),
                ) else {
                    continue;
                };
                if word_start != start + 1 || w.quote_style.is_some() {
                    continue; // `: name` or `:"x"` is not a parameter
                }
                let name = w.value.clone();
                let n = match names.iter().position(|x| *x == name) {
                    Some(i) => i + 1,
                    None => {
                        names.push(name);
                        names.len()
                    }
                };
                let mut replacement = format!("${n}");
                let width = end - start;
                if replacement.len() < width {
                    replacement.push_str(&" ".repeat(width - replacement.len()));
                }
                edits.push((start..end, replacement));
            }
            _ => {}
        }
    }
    if let (Some(at), Some((first, _))) = (positional, edits.first()) {
        return Err(Diagnostic::new(
            Code::ParamType,
            "named (`:name`) and positional (`$1`) parameters mixed in one query",
        )
        .at(file, first.clone())
        .with_help(format!("use one style; the positional one is at byte {at}")));
    }
    let mut out = sql.clone();
    for (range, replacement) in edits.into_iter().rev() {
        out.replace_range(range, &replacement);
    }
    Ok(Placeholders { sql: out, names })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_numbers_of_the_same_width() {
        let f = SourceFile::inline(
            "SELECT * FROM users WHERE id = :id AND email = :email OR id = :id AND x::int = 1",
        );
        let p = rewrite_named(&f).unwrap();
        assert_eq!(
            p.sql,
            "SELECT * FROM users WHERE id = $1  AND email = $2     OR id = $1  AND x::int = 1"
        );
        assert_eq!(p.names, ["id", "email"]);
        assert_eq!(p.sql.len(), f.text.len());
    }

    #[test]
    fn strings_and_casts_are_not_parameters() {
        let f = SourceFile::inline("SELECT ':nope', now()::date, '{a:b}'::jsonb");
        assert_eq!(rewrite_named(&f).unwrap().names, Vec::<String>::new());
    }

    #[test]
    fn mixing_styles_is_an_error() {
        let f = SourceFile::inline("SELECT * FROM users WHERE id = $1 AND email = :email");
        let e = rewrite_named(&f).unwrap_err();
        assert!(e.message.contains("mixed"));
        assert_eq!(e.column, 47);
    }
}
