//! The `short` format: `path:line:col: severity[CODE] message`, one a line.
//! A finding without a place is `severity[CODE] message`.
//!
//! The report is the finding lines and nothing else, so that two runs over
//! the same input write the same bytes and every line is a finding (for
//! editors and grep). The summary line (without the time) and the notes are
//! [`short_footer`], which the command line writes to standard error.

use std::fmt::Write as _;

use super::{RenderOptions, Report, write_footer};
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// Writes every unsuppressed finding (at most `opts.max_findings`) on one
/// line each; nothing else.
pub fn short(
    report: &Report,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for d in report.findings().take(opts.max_findings) {
        writeln!(out, "{}", line(report.sources, d))?;
    }
    Ok(())
}

/// What goes with a short report, for standard error: the summary line
/// without the time, the note about findings beyond `opts.max_findings`,
/// and the other notes. Nothing when quiet.
pub fn short_footer(
    report: &Report,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let not_shown = report.findings().count().saturating_sub(opts.max_findings);
    write_footer(report, opts, not_shown, false, out)
}

fn line(sources: &SourceMap, d: &Diagnostic) -> String {
    let mut line = String::new();
    if let Some((span, file)) = d.span().and_then(|s| Some((s, sources.get(s.file)?))) {
        let lc = file.line_col(span.start);
        let _ = write!(line, "{}:{}:{}: ", file.display, lc.line, lc.column);
    }
    let _ = write!(line, "{}[{}] ", d.severity, d.code);
    // One finding, one line: a multi-line message is joined, and other
    // control characters are escaped so a value cannot drive the terminal.
    let mut first = true;
    for part in d.message.lines() {
        if !first {
            line.push(' ');
        }
        let part = part.trim_end_matches('\r');
        if part.chars().any(char::is_control) {
            line.push_str(&crate::diagnostic::escape_controls(part));
        } else {
            line.push_str(part);
        }
        first = false;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{diagnostics, report, sources, summary};

    fn render(opts: &RenderOptions) -> String {
        let sources = sources();
        let ds = diagnostics(&sources);
        let summary = summary();
        let mut out = Vec::new();
        short(&report(&sources, &ds, &summary), opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn footer(opts: &RenderOptions) -> String {
        let sources = sources();
        let ds = diagnostics(&sources);
        let summary = summary();
        let mut out = Vec::new();
        short_footer(&report(&sources, &ds, &summary), opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&RenderOptions::default()));
    }

    #[test]
    fn only_finding_lines() {
        // Every line is a finding: no summary, no time, no note.
        let out = render(&RenderOptions::default());
        assert_eq!(out.lines().count(), 5, "{out}");
        assert!(
            out.lines()
                .all(|l| l.contains("[") && !l.starts_with("note:")),
            "{out}"
        );
        assert!(!out.contains("0.04s"), "{out}");
    }

    #[test]
    fn quiet_and_max_findings() {
        let opts = RenderOptions {
            quiet: true,
            max_findings: 2,
            ..RenderOptions::default()
        };
        assert_eq!(
            render(&opts),
            "error[LEAD001] no post is accountable for `data`\n\
             org/a.toml:2:8: info[ORG009] organisation name has non-ASCII characters\n"
        );
        assert_eq!(footer(&opts), "", "-q drops the summary and notes");
        let opts = RenderOptions {
            max_findings: 4,
            ..RenderOptions::default()
        };
        assert_eq!(render(&opts).lines().count(), 4);
        // The footer has no time, so it is the same from run to run.
        assert_eq!(
            footer(&opts),
            "Found 3 errors, 1 warning, 1 info in 2 files (4 entities); 1 suppressed; 2 baselined\n\
             note: 1 more finding not shown (at most 4 are printed; see [lint] max-findings)\n\
             note: 3 baseline entries fixed\n"
        );
    }

    #[test]
    fn multi_line_message_is_one_line() {
        let sources = sources();
        let d = Diagnostic::new(
            "LEAD001",
            "x",
            crate::diagnostic::Severity::Error,
            "a\r\nb\nc",
        );
        assert_eq!(line(&sources, &d), "error[LEAD001] a b c");
    }
}
