//! Positions inside a Rust string literal: which byte of the source text each byte of the
//! literal's value comes from, through escapes (`\n`, `\u{…}`, `\x41`), line continuations
//! (`\` at the end of a line), raw strings (`r#"…"#`) and multi-line literals. Stable proc
//! macros cannot point inside a literal; `check`, which reads the file, can.

/// The value of the string literal whose source text is `source` (quotes, `r#` and all),
/// with the source offset of each value byte; the entry after the last is the closing
/// quote's. `None` when `source` is not a string literal.
pub fn value_offsets(source: &str) -> Option<(String, Vec<usize>)> {
    let bytes = source.as_bytes();
    if bytes.first() == Some(&b'r') {
        let hashes = bytes[1..].iter().take_while(|b| **b == b'#').count();
        let open = 1 + hashes;
        if bytes.get(open) != Some(&b'"') {
            return None;
        }
        let close = source.len().checked_sub(1 + hashes)?;
        if close <= open || bytes[close] != b'"' {
            return None;
        }
        let value = &source[open + 1..close];
        let mut offsets: Vec<usize> = Vec::with_capacity(value.len() + 1);
        let mut out = String::with_capacity(value.len());
        let mut chars = value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            // CRLF in the source is LF in the value.
            if c == '\r' && matches!(chars.peek(), Some((_, '\n'))) {
                continue;
            }
            push(&mut out, &mut offsets, c, open + 1 + i, false);
        }
        offsets.push(close);
        return Some((out, offsets));
    }
    if bytes.first() != Some(&b'"') || bytes.len() < 2 || bytes[bytes.len() - 1] != b'"' {
        return None;
    }
    let close = source.len() - 1;
    let body = &source[1..close];
    let mut out = String::with_capacity(body.len());
    let mut offsets = Vec::with_capacity(body.len() + 1);
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = 1 + i;
        if c == '\r' && matches!(chars.peek(), Some((_, '\n'))) {
            continue;
        }
        if c != '\\' {
            push(&mut out, &mut offsets, c, at, false);
            continue;
        }
        let (_, e) = chars.next()?;
        let decoded = match e {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '\\' => '\\',
            '0' => '\0',
            '\'' => '\'',
            '"' => '"',
            'x' => {
                let hi = chars.next()?.1.to_digit(16)?;
                let lo = chars.next()?.1.to_digit(16)?;
                char::from_u32(hi * 16 + lo)?
            }
            'u' => {
                if chars.next()?.1 != '{' {
                    return None;
                }
                let mut n = 0u32;
                loop {
                    let (_, d) = chars.next()?;
                    match d {
                        '}' => break,
                        '_' => {}
                        d => n = n.checked_mul(16)?.checked_add(d.to_digit(16)?)?,
                    }
                }
                char::from_u32(n)?
            }
            // A line continuation: the newline and the whitespace after it are not part of
            // the value.
            '\n' | '\r' => {
                while matches!(chars.peek(), Some((_, ' ' | '\t' | '\n' | '\r'))) {
                    chars.next();
                }
                continue;
            }
            _ => return None,
        };
        push(&mut out, &mut offsets, decoded, at, true);
    }
    offsets.push(close);
    Some((out, offsets))
}

/// Appends `c` to the value, every byte of it coming from source offset `at` onwards
/// (a character written as itself spans as many source bytes as value bytes; an escape's
/// bytes all point at its backslash).
fn push(out: &mut String, offsets: &mut Vec<usize>, c: char, at: usize, escaped: bool) {
    out.push(c);
    for j in 0..c.len_utf8() {
        offsets.push(if escaped { at } else { at + j });
    }
}

#[cfg(test)]
mod tests {
    use super::value_offsets;

    fn at(source: &str, value_byte: usize) -> usize {
        value_offsets(source).expect("a literal").1[value_byte]
    }

    #[test]
    fn plain_and_raw_strings_map_one_to_one() {
        let (v, o) = value_offsets(r#""SELECT id""#).unwrap();
        assert_eq!(v, "SELECT id");
        assert_eq!(o, (1..=10).collect::<Vec<_>>());
        let (v, _) = value_offsets(r###"r#"SELECT "id""#"###).unwrap();
        assert_eq!(v, r#"SELECT "id""#);
        assert_eq!(at(r###"r#"SELECT "id""#"###, 7), 10);
    }

    #[test]
    fn escapes_point_at_their_backslash() {
        let src = r#""a\"b\u{e9}c\x41d""#;
        let (v, _) = value_offsets(src).unwrap();
        assert_eq!(v, "a\"bécAd");
        // `b` follows the two-character escape `\"`.
        assert_eq!(at(src, 2), 4);
        // Both bytes of `é` point at `\u{e9}`, and `c` follows it.
        assert_eq!(at(src, 3), 5);
        assert_eq!(at(src, 4), 5);
        assert_eq!(at(src, 5), 11);
        assert_eq!(at(src, 6), 12);
    }

    #[test]
    fn line_continuations_and_multi_line_literals() {
        let src = "\"SELECT id \\\n     FROM users\"";
        let (v, _) = value_offsets(src).unwrap();
        assert_eq!(v, "SELECT id FROM users");
        assert_eq!(&src[at(src, 10)..at(src, 14)], "FROM");
        let src = "\"SELECT id\n  FROM users\"";
        let (v, _) = value_offsets(src).unwrap();
        assert_eq!(v, "SELECT id\n  FROM users");
        assert_eq!(&src[at(src, 12)..at(src, 16)], "FROM");
        let (v, _) = value_offsets("\"é x\"").unwrap();
        assert_eq!(v, "é x");
        assert_eq!(at("\"é x\"", 3), 4);
    }

    #[test]
    fn not_string_literals() {
        for s in ["b\"x\"", "'x'", "\"x", "r#\"x\"", "42", "", "\"\\q\""] {
            assert!(value_offsets(s).is_none(), "{s}");
        }
    }
}
