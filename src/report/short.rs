//! The `short` format: `path:line:col: severity[CODE] message`, one a line.
//! A finding without a place is `severity[CODE] message`.

use std::fmt::Write as _;

use super::{RenderOptions, Report, write_footer};
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;

/// Writes every unsuppressed finding (at most `opts.max_findings`) on one
/// line each, then the summary line and notes unless quiet.
pub fn short(
    report: &Report,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut not_shown = 0usize;
    for (i, d) in report.findings().enumerate() {
        if i >= opts.max_findings {
            not_shown += 1;
            continue;
        }
        writeln!(out, "{}", line(report.sources, d))?;
    }
    write_footer(report, opts, not_shown, out)
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

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&RenderOptions::default()));
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
        let opts = RenderOptions {
            max_findings: 4,
            ..RenderOptions::default()
        };
        let out = render(&opts);
        let tail: Vec<&str> = out.lines().skip(4).collect();
        assert_eq!(
            tail,
            [
                "Found 3 errors, 1 warning, 1 info in 2 files (4 entities); 1 suppressed; 2 baselined; 0.04s",
                "note: 1 more finding not shown (at most 4 are printed; see [lint] max-findings)",
                "note: 3 baseline entries fixed",
            ]
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
