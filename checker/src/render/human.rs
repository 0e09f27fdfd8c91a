//! rustc-style rendering: `error[CQ0201]: message`, `--> file:line:col`, the source line with
//! carets under the exact text, and `= help: …`.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Severity};

/// Renders one diagnostic. `styled` adds terminal colours.
pub fn render(d: &Diagnostic, styled: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
    let mut elements: Vec<annotate_snippets::Element> = Vec::new();
    let path = d.file.clone().unwrap_or_else(|| "<sql>".to_string());
    if let Some(source) = &d.source {
        // On character boundaries: an empty span at a multi-byte character (a BOM, `é`)
        // underlines that whole character.
        let text = source.text.as_str();
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let start = floor(d.start);
        let end = if d.end > d.start {
            ceil(d.end)
        } else {
            ceil(start + 1)
        };
        let span = start..end.max(start);
        elements.push(
            Snippet::source(source.text.as_str())
                .path(path)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span))
                .into(),
        );
    }
    if let Some(help) = &d.help {
        elements.push(Level::HELP.message(help.as_str()).into());
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[Group::with_title(title).elements(elements)])
}

/// The form for a compiler error raised by the macros: rustc prints its own `error:` header,
/// so the first line is the message with the code, then the snippet (with the caret at the
/// exact column inside the SQL literal, which stable proc macros cannot point into) and help.
pub fn render_for_compiler(d: &Diagnostic) -> String {
    let rendered = render(d, false);
    let rest: Vec<&str> = rendered.lines().skip(1).collect();
    let head = format!("{} [{}]", d.message, d.code.as_str());
    if rest.is_empty() {
        head
    } else {
        format!("{head}\n{}", rest.join("\n"))
    }
}

/// Renders all diagnostics followed by a one-line summary.
pub fn render_all(diagnostics: &[Diagnostic], styled: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render(d, styled));
        out.push_str("\n\n");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        out.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::SourceFile;

    #[test]
    fn renders_like_rustc() {
        let file = SourceFile::new(
            Some("m/002_x.sql".into()),
            "-- +migrate Up\nALTER TABLE peoples ADD COLUMN age int;\n".into(),
        );
        let d = Diagnostic::new(Code::UnknownTable, "unknown table `peoples`")
            .at(&file, 27..34)
            .with_help("did you mean `people`?");
        let text = render(&d, false);
        assert_eq!(
            text,
            "error[CQ0201]: unknown table `peoples`\n --> m/002_x.sql:2:13\n  |\n2 | ALTER TABLE peoples ADD COLUMN age int;\n  |             ^^^^^^^\n  |\n  = help: did you mean `people`?"
        );
    }
}

#[cfg(test)]
mod boundary_tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::SourceFile;

    /// An empty span at a multi-byte character underlines the character instead of
    /// slicing it.
    #[test]
    fn empty_span_at_a_multibyte_character() {
        for text in ["\u{feff}CREATE", "é", "x é"] {
            let file = SourceFile::inline(text);
            let at = text.find(|c: char| !c.is_ascii()).unwrap();
            let d = Diagnostic::new(Code::SyntaxError, "m")
                .at(&file, at..at)
                .with_help("h");
            assert!(render(&d, false).contains("error[CQ0001]: m"));
        }
    }
}
