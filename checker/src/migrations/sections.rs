//! Up/Down sections of a migration file.
//!
//! Accepted markers (one per line, case-insensitive, trailing words such as goose's
//! `-- +goose NO TRANSACTION` or sql-migrate's `notransaction` allowed after them):
//! sql-migrate `-- +migrate Up` / `-- +migrate Down`, goose `-- +goose Up` / `-- +goose Down`,
//! dbmate `-- migrate:up` / `-- migrate:down`. A file with no marker is all UP.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// The byte ranges of the UP and DOWN sections of one file.
#[derive(Debug, Clone, Default)]
pub struct Sections {
    pub up: Option<Range<usize>>,
    pub down: Option<Range<usize>>,
}

fn marker(line: &str) -> Option<Direction> {
    let rest = line
        .trim()
        .strip_prefix("--")?
        .trim_start()
        .to_ascii_lowercase();
    let word = |prefix: &str| -> Option<String> {
        let r = rest.strip_prefix(prefix)?;
        Some(r.split_whitespace().next().unwrap_or("").to_string())
    };
    let direction = if let Some(w) = word("+migrate").or_else(|| word("+goose")) {
        w
    } else if let Some(r) = rest.strip_prefix("migrate:") {
        r.split_whitespace().next().unwrap_or("").to_string()
    } else {
        return None;
    };
    match direction.as_str() {
        "up" => Some(Direction::Up),
        "down" => Some(Direction::Down),
        _ => None,
    }
}

/// Splits a file into sections. SQL before the first marker (when there are markers) is an
/// error: migration tools disagree on whether it runs, so we refuse to guess.
pub fn split_sections(file: &Arc<SourceFile>) -> (Sections, Vec<Diagnostic>) {
    let text = &file.text;
    let mut markers = Vec::new(); // (direction, marker line start, content start)
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if let Some(dir) = marker(line) {
            markers.push((dir, pos, pos + line.len()));
        }
        pos += line.len();
    }
    let mut diagnostics = Vec::new();
    if markers.is_empty() {
        return (
            Sections {
                up: Some(0..text.len()),
                down: None,
            },
            diagnostics,
        );
    }
    if has_sql(&text[..markers[0].1]) {
        diagnostics.push(
            Diagnostic::new(
                Code::MigrationSections,
                "SQL before the first Up/Down marker",
            )
            .at(file, first_sql_range(text, 0..markers[0].1))
            .with_help("move it below `-- +migrate Up` (or your tool's Up marker)"),
        );
    }
    let mut sections = Sections::default();
    for (i, &(dir, marker_start, content_start)) in markers.iter().enumerate() {
        let content_end = markers.get(i + 1).map_or(text.len(), |m| m.1);
        let down_seen = sections.down.is_some();
        let slot = match dir {
            Direction::Up => &mut sections.up,
            Direction::Down => &mut sections.down,
        };
        let marker_range =
            marker_start..marker_start + text[marker_start..content_start].trim_end().len();
        if slot.is_some() {
            let name = if dir == Direction::Up { "Up" } else { "Down" };
            diagnostics.push(
                Diagnostic::new(Code::MigrationSections, format!("second `{name}` marker in one file"))
                    .at(file, marker_range)
                    .with_help("a migration has one Up and one Down section; put each change in a new numbered file"),
            );
            continue;
        }
        if dir == Direction::Up && down_seen {
            diagnostics.push(
                Diagnostic::new(
                    Code::MigrationSections,
                    "`Up` marker after the `Down` section",
                )
                .at(file, marker_range)
                .with_help("put the Up section first, then the Down section"),
            );
        }
        *slot = Some(content_start..content_end);
    }
    (sections, diagnostics)
}

/// Whether a stretch of text holds anything but whitespace and `--` comments.
fn has_sql(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with("--")
    })
}

fn first_sql_range(text: &str, within: Range<usize>) -> Range<usize> {
    let mut pos = within.start;
    for line in text[within.clone()].split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with("--") {
            let start = pos + (line.len() - line.trim_start().len());
            return start..start + t.len();
        }
        pos += line.len();
    }
    within
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(text: &str) -> (Option<String>, Option<String>, Vec<String>) {
        let f = SourceFile::inline(text);
        let (s, d) = split_sections(&f);
        let get = |r: Option<Range<usize>>| r.map(|r| text[r].trim().to_string());
        (
            get(s.up),
            get(s.down),
            d.into_iter().map(|d| d.message).collect(),
        )
    }

    #[test]
    fn every_tool_marker_is_recognised() {
        for (up, down) in [
            ("-- +migrate Up", "-- +migrate Down"),
            ("-- +goose Up", "-- +goose Down"),
            ("-- migrate:up", "-- migrate:down"),
            ("--+migrate up notransaction", "-- +MIGRATE DOWN"),
        ] {
            let (u, d, errs) = sections(&format!(
                "{up}\nCREATE TABLE a ();\n{down}\nDROP TABLE a;\n"
            ));
            assert_eq!(u.as_deref(), Some("CREATE TABLE a ();"), "{up}");
            assert_eq!(d.as_deref(), Some("DROP TABLE a;"), "{down}");
            assert!(errs.is_empty());
        }
    }

    #[test]
    fn no_marker_means_all_up() {
        let (u, d, errs) = sections("CREATE TABLE a ();\n");
        assert_eq!(u.as_deref(), Some("CREATE TABLE a ();"));
        assert_eq!(d, None);
        assert!(errs.is_empty());
    }

    #[test]
    fn misplaced_markers_are_errors() {
        let (_, _, errs) =
            sections("CREATE TABLE a ();\n-- +migrate Up\n-- +migrate Down\n-- +migrate Up\n");
        assert_eq!(
            errs,
            [
                "SQL before the first Up/Down marker",
                "second `Up` marker in one file"
            ]
        );
        let (_, _, errs) =
            sections("-- header comment\n-- +migrate Down\nDROP TABLE a;\n-- +migrate Up\n");
        assert_eq!(errs, ["`Up` marker after the `Down` section"]);
    }
}
