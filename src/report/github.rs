//! The `github` format: GitHub Actions workflow commands, one a line,
//!
//! ```text
//! ::error file=teams.toml,line=7,endLine=11,title=TEAM004 supplier-majority::message
//! ```
//!
//! escaped as the Actions toolkit (`@actions/core`) escapes them: `%`, CR
//! and LF in the message; also `:` and `,` in property values. Paths are
//! relative to the git work-tree root (decisions.md 21); `col` and
//! `endColumn` (exclusive, in Unicode scalar values) only when the span is
//! on one line; info is `notice`. A finding without a span has no `file=`.
//! Suppressed findings are not annotated, and nothing else is printed.

use std::fmt::Write as _;

use super::Report;
use super::sarif::repo_paths;
use crate::diagnostic::{Diagnostic, Severity};

/// Writes one workflow command per unsuppressed finding.
pub fn github(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let paths = repo_paths(report);
    for d in report.findings() {
        writeln!(out, "{}", command(report, &paths, d))?;
    }
    Ok(())
}

fn command(report: &Report, paths: &[String], d: &Diagnostic) -> String {
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props: Vec<(&str, String)> = Vec::with_capacity(6);
    if let Some((span, file)) = d
        .span()
        .and_then(|s| Some((s, report.sources.get(s.file)?)))
    {
        let path = paths
            .get(span.file.0 as usize)
            .map_or(file.display.as_str(), String::as_str);
        let start = file.line_col(span.start);
        let end = file.line_col(span.end);
        props.push(("file", path.to_owned()));
        props.push(("line", start.line.to_string()));
        props.push(("endLine", end.line.to_string()));
        if start.line == end.line {
            props.push(("col", start.column.to_string()));
            props.push(("endColumn", end.column.to_string()));
        }
    }
    props.push(("title", format!("{} {}", d.code, d.name)));
    let mut line = format!("::{name} ");
    for (i, (key, value)) in props.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let _ = write!(line, "{key}={}", escape_property(value));
    }
    line.push_str("::");
    line.push_str(&escape_data(&d.message));
    line
}

/// `escapeData` of `@actions/core`: `%`, CR, LF.
pub(crate) fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// `escapeProperty` of `@actions/core`: as data, and `:` and `,`.
pub(crate) fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{diagnostics, report, sources, summary};

    fn render() -> String {
        let sources = sources();
        let ds = diagnostics(&sources);
        let summary = summary();
        let mut out = Vec::new();
        github(&report(&sources, &ds, &summary), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn commands() {
        let out = render();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                // span-less: no file
                "::error title=LEAD001 accountabilities-assigned::no post is accountable for `data`",
                "::notice file=org/a.toml,line=2,endLine=2,col=8,endColumn=36,title=ORG009 name-style::organisation name has non-ASCII characters",
                "::error file=org/a.toml,line=6,endLine=6,col=19,endColumn=26,title=ORG001 unknown-reference::`ghost` is not a person",
                // multi-line: no columns
                "::warning file=org/a.toml,line=10,endLine=13,title=TEAM004 team-size::team `platform` has 2 members; a team needs at least 3",
                "::error file=org/b.toml,line=2,endLine=2,col=1,endColumn=13,title=ORG002 duplicate-definition::team `core` is defined twice",
            ]
        );
    }

    #[test]
    fn escaping_matches_actions_core() {
        assert_eq!(
            escape_data("50% done\r\nnext: a, b"),
            "50%25 done%0D%0Anext: a, b"
        );
        assert_eq!(
            escape_property("odd,name:1%.toml\n"),
            "odd%2Cname%3A1%25.toml%0A"
        );
        // Already-escaped text is escaped again, not passed through.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
