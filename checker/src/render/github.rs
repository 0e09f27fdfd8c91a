//! GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`, which a
//! workflow step turns into annotations on the pull request's lines.

use crate::diagnostic::{Diagnostic, Severity};

/// One workflow command per diagnostic.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(f) = &d.file {
            props.push(format!("file={}", property(f)));
            if d.line > 0 {
                props.push(format!("line={}", d.line));
                props.push(format!("col={}", d.column));
                if let Some((line, col)) = d.end_line_col() {
                    props.push(format!("endLine={line}"));
                    props.push(format!("endColumn={col}"));
                }
            }
        }
        props.push(format!(
            "title={}",
            property(&format!("{} {}", d.code.as_str(), d.rule))
        ));
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            data(&message)
        ));
    }
    out
}

/// A command's message, escaped as the runner reads it.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`, which end it.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::SourceFile;

    #[test]
    fn workflow_commands_escape_their_parts() {
        let file = SourceFile::new(Some("src/a,b.rs".into()), "let q = \"SELECT x\";\n".into());
        let d = Diagnostic::new(Code::UnknownColumn, "unknown column `x`: 100%")
            .at(&file, 16..17)
            .with_help("did you mean `id`?");
        assert_eq!(
            render(&[d]),
            "::error file=src/a%2Cb.rs,line=1,col=17,endLine=1,endColumn=18,title=CQ0202 unknown-column::unknown column `x`: 100%25%0Ahelp: did you mean `id`?\n"
        );
    }
}
