//! The `human` format: miette graphical reports, then a summary line.

use std::fmt::{self, Write as _};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity as MietteSeverity, SourceCode,
    SourceSpan,
};

use super::source_code::FileSource;
use super::{RenderOptions, Report, doc_url, write_footer};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceFile, SourceMap, Span};

/// Writes every unsuppressed finding (at most `opts.max_findings`) as a
/// miette report, then the summary line and notes unless quiet.
pub fn human(
    report: &Report,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let handler = handler(opts);
    let mut buf = String::new();
    let mut not_shown = 0usize;
    for (i, d) in report.findings().enumerate() {
        if i >= opts.max_findings {
            not_shown += 1;
            continue;
        }
        buf.clear();
        // Quoted values must not drive the terminal: escape their controls.
        let escaped;
        let d = if d.has_controls() {
            let mut copy = d.clone();
            copy.escape_controls();
            escaped = copy;
            &escaped
        } else {
            d
        };
        let mut adapter = Adapter::new(report.sources, d);
        // miette writes the rule URL after the code, in parentheses, on the
        // header line; when that line would pass the width, the URL goes on
        // a line of its own below it.
        let own_line_url = adapter
            .url
            .take_if(|url| header_width(&adapter.code, url) > opts.width);
        if handler.render_report(&mut buf, &adapter).is_err() {
            // miette only fails when a span cannot be read; fall back to
            // the one-line form rather than lose the finding.
            buf.clear();
            let _ = writeln!(buf, "{}: {}", adapter.code, d.message);
        }
        if let Some(url) = own_line_url {
            let at = buf.find('\n').map_or(buf.len(), |i| i + 1);
            let line = if opts.color {
                format!("({})\n", theme(opts).styles.link.style(&url))
            } else {
                format!("({url})\n")
            };
            buf.insert_str(at, &line);
        }
        out.write_all(buf.as_bytes())?;
        out.write_all(b"\n")?;
    }
    write_footer(report, opts, not_shown, true, out)
}

/// The columns of miette's header line `code (url)`.
fn header_width(code: &str, url: &str) -> usize {
    code.chars().count() + url.chars().count() + 3
}

fn theme(opts: &RenderOptions) -> GraphicalTheme {
    if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    }
}

fn handler(opts: &RenderOptions) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(theme(opts))
        .without_syntax_highlighting()
        .with_links(false)
        .with_width(opts.width)
        .with_context_lines(1)
}

fn miette_severity(s: Severity) -> MietteSeverity {
    match s {
        Severity::Error => MietteSeverity::Error,
        Severity::Warning => MietteSeverity::Warning,
        Severity::Info => MietteSeverity::Advice,
    }
}

/// At most this many related labels are drawn per finding; json and SARIF
/// keep them all.
const MAX_RELATED: usize = 20;

/// A span as miette wants it, kept inside the file and off its BOM.
fn source_span(file: &SourceFile, span: Span) -> SourceSpan {
    let len = file.text.len();
    let start = (span.start as usize).max(file.bom as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    SourceSpan::new(start.into(), end - start)
}

/// A [`Diagnostic`] as a `miette::Diagnostic`.
struct Adapter<'a> {
    d: &'a Diagnostic,
    /// `error[ORG002] duplicate-definition`.
    code: String,
    /// The rule's documentation; `None` for config errors and user rules.
    url: Option<String>,
    source: Option<FileSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Related<'a>>,
}

/// Related labels in a file other than the primary label's, rendered as a
/// miette related diagnostic with that file as its source.
struct Related<'a> {
    code: &'a str,
    message: String,
    source: FileSource<'a>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Adapter<'a> {
    fn new(sources: &'a SourceMap, d: &'a Diagnostic) -> Self {
        let primary = d
            .primary
            .as_ref()
            .and_then(|l| Some((l, sources.get(l.span.file)?)));
        let mut labels = Vec::new();
        let primary_file = primary.map(|(label, file)| {
            labels.push(LabeledSpan::new_primary_with_span(
                label.text.clone(),
                source_span(file, label.span),
            ));
            label.span.file
        });

        // Related labels in other files, grouped by file in order of first
        // appearance.
        let mut others: Vec<(FileId, &SourceFile, Vec<&Label>)> = Vec::new();
        // A finding over a long cycle or a busy owner can relate thousands
        // of places; a snippet of each would be unreadable (and costly).
        for label in d.related.iter().take(MAX_RELATED) {
            let Some(file) = sources.get(label.span.file) else {
                continue;
            };
            if Some(label.span.file) == primary_file {
                labels.push(LabeledSpan::new_with_span(
                    label.text.clone(),
                    source_span(file, label.span),
                ));
            } else if let Some(group) = others.iter_mut().find(|g| g.0 == label.span.file) {
                group.2.push(label);
            } else {
                others.push((label.span.file, file, vec![label]));
            }
        }
        let related = others
            .into_iter()
            .map(|(_, file, group)| Related::new(&d.code, file, &group))
            .collect();

        Adapter {
            d,
            code: format!("{}[{}] {}", d.severity, d.code, d.name),
            url: doc_url(&d.code),
            source: primary.map(|(_, file)| FileSource::new(file)),
            labels,
            related,
        }
    }
}

impl<'a> Related<'a> {
    fn new(code: &'a str, file: &'a SourceFile, group: &[&Label]) -> Self {
        let first_text = group.first().and_then(|l| l.text.clone());
        let same_text = group.iter().all(|l| l.text == first_text);
        // One text for the whole group goes in the message; several go on
        // their labels.
        let (message, labelled) = match first_text {
            Some(text) if same_text => (text, false),
            None if same_text => ("related location".to_owned(), false),
            _ => ("related locations".to_owned(), true),
        };
        let labels = group
            .iter()
            .map(|l| {
                LabeledSpan::new_with_span(
                    if labelled { l.text.clone() } else { None },
                    source_span(file, l.span),
                )
            })
            .collect();
        Related {
            code,
            message,
            source: FileSource::new(file),
            labels,
        }
    }
}

impl fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for Adapter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Adapter<'_> {}

impl miette::Diagnostic for Adapter<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<MietteSeverity> {
        Some(miette_severity(self.d.severity))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let hidden = self.d.related.len().saturating_sub(MAX_RELATED);
        match (&self.d.help, hidden) {
            (Some(h), 0) => Some(Box::new(h)),
            (h, n) if n > 0 => Some(Box::new(format!(
                "{}{n} more related locations are not shown (see --format json)",
                h.as_ref().map_or(String::new(), |h| format!("{h}; "))
            ))),
            _ => None,
        }
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

impl fmt::Debug for Related<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Related")
            .field("code", &self.code)
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Related<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Related<'_> {}

impl miette::Diagnostic for Related<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<MietteSeverity> {
        Some(MietteSeverity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
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
        human(&report(&sources, &ds, &summary), opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn render_with(ds: &[Diagnostic], sources: &SourceMap, opts: &RenderOptions) -> String {
        let summary = summary();
        let mut out = Vec::new();
        human(&report(sources, ds, &summary), opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn snapshot() {
        let out = render(&RenderOptions::default());
        assert!(!out.contains('\u{1b}'), "no ANSI escapes without colour");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn colour_uses_ansi_and_unicode() {
        let out = render(&RenderOptions {
            color: true,
            ..RenderOptions::default()
        });
        assert!(out.contains('\u{1b}'));
        assert!(out.contains('╭'));
        // A long header's URL is on its own line, coloured as a link.
        let url_line = out
            .lines()
            .find(|l| l.contains("rules.md#lead001"))
            .unwrap();
        assert!(!url_line.contains("LEAD001"), "{url_line}");
        assert!(
            url_line.starts_with('(') && url_line.contains('\u{1b}'),
            "{url_line:?}"
        );
    }

    #[test]
    fn long_headers_put_the_url_on_a_line_of_its_own() {
        let out = render(&RenderOptions::default());
        for line in out.lines() {
            assert!(line.chars().count() <= 100, "{line}");
        }
        assert!(out.starts_with(
            "error[LEAD001] accountabilities-assigned\n\
             (https://github.com/orglint/orglint/blob/main/docs/rules.md#lead001)\n\n"
        ));
        // A header that fits keeps its URL (wider terminal).
        let out = render(&RenderOptions {
            width: 120,
            ..RenderOptions::default()
        });
        assert!(out.starts_with(
            "error[LEAD001] accountabilities-assigned (https://github.com/orglint/orglint/blob/main/docs/rules.md#lead001)\n\n"
        ));
    }

    #[test]
    fn quiet_drops_summary_and_notes() {
        let out = render(&RenderOptions {
            quiet: true,
            ..RenderOptions::default()
        });
        assert!(!out.contains("Found "));
        assert!(!out.contains("note:"));
        assert!(out.contains("error[ORG002]"));
    }

    #[test]
    fn max_findings_counts_the_rest() {
        let out = render(&RenderOptions {
            max_findings: 1,
            ..RenderOptions::default()
        });
        assert!(out.contains("error[LEAD001]"));
        assert!(!out.contains("info[ORG009]"));
        assert!(
            !out.contains("TEAM001"),
            "suppressed findings are never printed"
        );
        assert!(out.ends_with(
            "Found 3 errors, 1 warning, 1 info in 2 files (4 entities); 1 suppressed; 2 baselined; 0.04s\n\
             note: 4 more findings not shown (at most 1 are printed; see [lint] max-findings)\n\
             note: 3 baseline entries fixed\n"
        ));
    }

    #[test]
    fn clean_run() {
        let sources = sources();
        let mut summary = summary();
        summary.suppressed = 0;
        summary.baselined = 0;
        summary.notes.clear();
        let mut out = Vec::new();
        human(
            &report(&sources, &[], &summary),
            &RenderOptions::default(),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "No findings in 2 files (4 entities); 0.04s\n"
        );
    }

    #[test]
    fn related_labels_grouped_by_file() {
        use crate::report::tests::{A, B, span_of};
        let sources = sources();
        let a = FileId(0);
        let b = FileId(1);
        // Several related labels in another file, with different texts, and
        // related labels of a finding without a place of its own.
        let ds = vec![
            Diagnostic::new("GOV004", "x", Severity::Warning, "two bodies")
                .at(span_of(B, b, "[teams.core]"))
                .related(span_of(A, a, "[teams.core]"), "first")
                .related(span_of(A, a, "[teams.platform]"), "second"),
            Diagnostic::new("LEAD002", "y", Severity::Info, "no lead")
                .related(span_of(A, a, "[organisation]"), "organisation here"),
        ];
        let out = render_with(&ds, &sources, &RenderOptions::default());
        insta::assert_snapshot!(out);
    }

    #[test]
    fn bad_spans_do_not_panic() {
        let sources = sources();
        let ds = vec![
            Diagnostic::new("X001", "x", Severity::Error, "past the end")
                .at(Span::new(FileId(0), 10_000, 20_000))
                .related(Span::new(FileId(1), 0, 2), "inside the BOM")
                .related(Span::new(FileId(7), 0, 1), "unknown file"),
            Diagnostic::new("X002", "x", Severity::Error, "unknown file").at(Span::new(
                FileId(9),
                0,
                1,
            )),
        ];
        let out = render_with(&ds, &sources, &RenderOptions::default());
        assert!(out.contains("past the end"));
        assert!(out.contains("unknown file"));
        assert!(!out.contains("Failed to read"));
    }

    /// A 5 MB file with one finding every few lines, each with a related
    /// label far away in the same file.
    fn big_run(n: usize) -> (SourceMap, Vec<Diagnostic>) {
        let mut text = String::with_capacity(5 << 20);
        let mut i = 0;
        while text.len() < 5 << 20 {
            text.push_str(&format!(
                "[teams.team-{i}]\nname = \"Team ñ {i}\"\nlead = \"p{i}\"\n\n"
            ));
            i += 1;
        }
        let starts: Vec<usize> = text.match_indices("lead = ").map(|(s, _)| s).collect();
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("big.toml".into(), "big.toml".into(), text));
        let step = (starts.len() / n).max(1);
        let ds = (0..n)
            .map(|k| {
                let s = starts[(k * step) % starts.len()];
                let far = starts[(k * step + starts.len() / 2) % starts.len()];
                Diagnostic::new(
                    "ORG001",
                    "unknown-reference",
                    Severity::Error,
                    "unknown lead",
                )
                .at_labelled(Span::new(id, s + 7, s + 12), "no such person")
                .related(Span::new(id, far, far + 4), "other")
                .help("fix it")
            })
            .collect();
        (sources, ds)
    }

    fn time_big(n: usize) -> std::time::Duration {
        let (sources, ds) = big_run(n);
        let summary = summary();
        let opts = RenderOptions {
            max_findings: usize::MAX,
            ..RenderOptions::default()
        };
        let mut out = Vec::new();
        let t = std::time::Instant::now();
        human(&report(&sources, &ds, &summary), &opts, &mut out).unwrap();
        let elapsed = t.elapsed();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("error[ORG001]").count(), n);
        // Far-apart labels get their own snippets: no report is huge.
        assert!(text.len() < n * 2000);
        elapsed
    }

    #[test]
    fn large_file_renders_fast() {
        // Generous bound for debug builds; miette's String source takes
        // about 6 ms per diagnostic here.
        let elapsed = time_big(1_000);
        assert!(elapsed.as_secs_f64() < 3.0, "{elapsed:?}");
    }

    /// `cargo test --release --lib report::human -- --ignored`
    #[test]
    #[ignore = "timing; run in release"]
    fn ten_thousand_findings_on_5mb_under_half_a_second() {
        let elapsed = time_big(10_000);
        eprintln!("10,000 diagnostics on a 5 MB file: {elapsed:?}");
        assert!(elapsed.as_secs_f64() < 0.5, "{elapsed:?}");
    }
}
