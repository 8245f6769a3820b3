//! The `markdown` format: a report for GitHub job summaries
//! (`$GITHUB_STEP_SUMMARY`) and pull-request comments.
//!
//! A summary line, a table of counts by rule and severity, then the
//! findings grouped by file, each with a relative link to its lines
//! (`path#L12`). Paths are display paths (decisions.md 21). GitHub refuses
//! a step summary over 1 MiB, so the report stops listing findings before
//! [`MARKDOWN_LIMIT`] and says how many it left out.
//!
//! Messages keep their `code spans`; everything else Markdown or HTML would
//! read as markup is backslash-escaped, and line breaks become spaces, so a
//! hostile id or path cannot break the layout.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::sarif::encode_path;
use super::{Report, doc_url, is_documented, plural};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceMap;

/// GitHub's limit on a step summary: 1 MiB.
pub const MARKDOWN_LIMIT: usize = 1024 * 1024;

/// Room kept free for the truncation note and the footer.
const RESERVE: usize = 8 * 1024;

/// Writes the whole report as one Markdown document, under
/// [`MARKDOWN_LIMIT`] bytes.
pub fn markdown(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(render(report, MARKDOWN_LIMIT).as_bytes())
}

fn render(report: &Report, limit: usize) -> String {
    let budget = limit.saturating_sub(RESERVE);
    let mut doc = Doc {
        text: String::with_capacity(64 * 1024),
        budget,
        full: false,
    };
    doc.text.push_str("## orglint\n\n");
    doc.text.push_str(&summary(report));

    let total = report.findings().count();
    let mut listed = 0usize;
    if total > 0 {
        counts_table(report, &mut doc);
        listed = findings(report, &mut doc);
    }

    // The footer: what is not listed, and why.
    let mut footer = String::new();
    if listed < total {
        let _ = write!(
            footer,
            "\n> [!WARNING]\n> This report was truncated to stay under GitHub's 1 MiB job summary limit: {} of {total} {} not listed. The `json` and `sarif` formats carry every finding.\n",
            plural(total - listed, "finding", "findings"),
            if total - listed == 1 { "is" } else { "are" },
        );
    }
    let s = report.summary;
    let mut hidden = Vec::new();
    if s.suppressed > 0 {
        hidden.push(format!(
            "{} by inline suppressions",
            plural(s.suppressed, "finding is hidden", "findings are hidden")
        ));
    }
    if s.baselined > 0 {
        hidden.push(format!(
            "{} by the baseline",
            plural(s.baselined, "finding is hidden", "findings are hidden")
        ));
    }
    if !hidden.is_empty() {
        let _ = writeln!(footer, "\n_{}._", hidden.join("; "));
    }
    let mut notes = String::new();
    for note in &s.notes {
        let _ = writeln!(notes, "- {}", inline(note));
    }
    if !notes.is_empty() {
        footer.push_str("\nNotes:\n\n");
        footer.push_str(&notes);
    }
    // The footer goes out whole when it fits; otherwise the truncation
    // warning alone (which always fits in the reserve).
    if doc.text.len() + footer.len() <= limit {
        doc.text.push_str(&footer);
    } else if listed < total {
        let warning_end = footer.find("\n_").unwrap_or(footer.len());
        doc.text.push_str(footer.get(..warning_end).unwrap_or(""));
    }
    doc.text
}

/// The document so far, and whether it has reached its budget.
struct Doc {
    text: String,
    budget: usize,
    full: bool,
}

impl Doc {
    /// Appends `piece` when it fits in the budget; once one does not, none
    /// does (so the document never skips a piece and goes on).
    fn push(&mut self, piece: &str) -> bool {
        if self.full || self.text.len() + piece.len() > self.budget {
            self.full = true;
            return false;
        }
        self.text.push_str(piece);
        true
    }
}

/// `Found 3 errors, 1 warning, 1 info in 3 files (13 entities).`
fn summary(report: &Report) -> String {
    let counts = report.counts();
    let s = report.summary;
    let mut parts = Vec::new();
    if counts.errors > 0 {
        parts.push(format!("**{}**", plural(counts.errors, "error", "errors")));
    }
    if counts.warnings > 0 {
        parts.push(format!(
            "**{}**",
            plural(counts.warnings, "warning", "warnings")
        ));
    }
    if counts.infos > 0 {
        parts.push(format!("**{}**", plural(counts.infos, "info", "info")));
    }
    let found = if parts.is_empty() {
        "No findings".to_owned()
    } else {
        format!("Found {}", parts.join(", "))
    };
    format!(
        "{found} in {} ({}).\n",
        plural(s.files, "file", "files"),
        plural(s.entities, "entity", "entities")
    )
}

/// Counts by rule (in code order) and severity, with a total row.
fn counts_table(report: &Report, doc: &mut Doc) {
    let mut rows: BTreeMap<&str, (&str, [usize; 3])> = BTreeMap::new();
    for d in report.findings() {
        let row = rows.entry(&d.code).or_insert((&d.name, [0; 3]));
        row.1[column(d.severity)] += 1;
    }
    let mut table = String::from(
        "\n| Rule | Name | Errors | Warnings | Info |\n| --- | --- | ---: | ---: | ---: |\n",
    );
    let mut totals = [0usize; 3];
    for (code, (name, n)) in &rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} |",
            linked_code(code),
            inline(name),
            n[0],
            n[1],
            n[2]
        );
        for (t, v) in totals.iter_mut().zip(n) {
            *t += v;
        }
    }
    let _ = writeln!(
        table,
        "| **Total** | | **{}** | **{}** | **{}** |",
        totals[0], totals[1], totals[2]
    );
    // Link reference definitions: findings link to `[CODE]`, which keeps
    // each line short and leaves room for more of them.
    let links: Vec<_> = rows.keys().filter_map(|c| Some((c, doc_url(c)?))).collect();
    if !links.is_empty() {
        table.push('\n');
    }
    for (code, url) in links {
        let _ = writeln!(table, "[{code}]: {url}");
    }
    doc.push(&table);
}

fn column(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// The findings, grouped by file in report order; returns how many went in.
fn findings(report: &Report, doc: &mut Doc) -> usize {
    let sources = report.sources;
    let mut listed = 0;
    // `None`: the findings without a file, which come first.
    let mut current: Option<Option<u32>> = None;
    for d in report.findings() {
        let file = d.span().and_then(|s| sources.get(s.file).map(|_| s.file.0));
        let mut piece = String::new();
        if current != Some(file) {
            piece.push_str(&heading(sources, file));
        }
        piece.push_str(&item(sources, d));
        if !doc.push(&piece) {
            break;
        }
        current = Some(file);
        listed += 1;
    }
    listed
}

fn heading(sources: &SourceMap, file: Option<u32>) -> String {
    match file.and_then(|f| sources.get(crate::source::FileId(f))) {
        Some(f) => format!(
            "\n### [{}]({})\n\n",
            code_span(&f.display),
            encode_path(&f.display)
        ),
        None => "\n### Whole organisation\n\n".to_owned(),
    }
}

/// A rule's code, linked to its documentation (`[`OWN001`][OWN001]`, the
/// link defined under the table) when orglint documents it: a user's pack
/// rule has no page.
fn linked_code(code: &str) -> String {
    if is_documented(code) {
        format!("[{}][{code}]", code_span(code))
    } else {
        code_span(code)
    }
}

/// `- :x: **error** [`OWN001`][OWN001] service-owner at [12:1](path#L12): message`
fn item(sources: &SourceMap, d: &Diagnostic) -> String {
    let (icon, word) = match d.severity {
        Severity::Error => (":x:", "error"),
        Severity::Warning => (":warning:", "warning"),
        Severity::Info => (":information_source:", "info"),
    };
    let mut line = format!(
        "- {icon} **{word}** {} {}",
        linked_code(&d.code),
        inline(&d.name)
    );
    if let Some((span, file)) = d.span().and_then(|s| Some((s, sources.get(s.file)?))) {
        let start = file.line_col(span.start);
        let end = file.line_col(span.end);
        let anchor = if end.line > start.line {
            format!("L{}-L{}", start.line, end.line)
        } else {
            format!("L{}", start.line)
        };
        let _ = write!(
            line,
            " at [{}:{}]({}#{anchor})",
            start.line,
            start.column,
            encode_path(&file.display)
        );
    }
    line.push_str(": ");
    line.push_str(&message(&d.message));
    line.push('\n');
    line
}

/// A message in Markdown: its `code spans` kept, the rest escaped, on one
/// line.
fn message(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(open) = rest.find('`') {
        out.push_str(&inline(&rest[..open]));
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) => {
                out.push_str(&code_span(&after[..close]));
                rest = &after[close + 1..];
            }
            None => {
                out.push_str("\\`");
                rest = after;
            }
        }
    }
    out.push_str(&inline(rest));
    out
}

/// Plain text in Markdown: the ASCII punctuation that could start markup
/// (emphasis, links, HTML, tables, strikethrough, entities, mentions)
/// backslash-escaped, line breaks as spaces. Items never start with the
/// text, so line-start markup (`#`, `-`, `1.`) cannot arise.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\r' => {}
            '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '@' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a code span, whatever backticks it holds; on one line.
fn code_span(text: &str) -> String {
    let text: String = text
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' | '\n' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{diagnostics, report, sources, summary};
    use crate::source::{FileId, SourceFile, Span};

    #[test]
    fn snapshot() {
        let sources = sources();
        let ds = diagnostics(&sources);
        let summary = summary();
        let out = render(&report(&sources, &ds, &summary), MARKDOWN_LIMIT);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn escaping() {
        assert_eq!(
            message("unknown person `a|b<c>` in *x* [y](z)\nnext"),
            "unknown person `a|b<c>` in \\*x\\* \\[y\\](z) next"
        );
        assert_eq!(message("one ` tick"), "one \\` tick");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(encode_path("odd,name:1%.toml"), "odd,name%3A1%25.toml");
    }

    #[test]
    fn truncates_under_the_limit() {
        let text = "[teams.x]\n".repeat(10);
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new("a.toml".into(), "a.toml".into(), text));
        let ds: Vec<Diagnostic> = (0..50_000)
            .map(|i| {
                Diagnostic::new(
                    "TEAM004",
                    "supplier-majority",
                    Severity::Warning,
                    format!(
                        "finding number {i}, with a longish message to fill the summary quickly"
                    ),
                )
                .at(Span::new(FileId(0), (i % 10) * 10, (i % 10) * 10 + 9))
            })
            .collect();
        let summary = summary();
        let out = render(&report(&sources, &ds, &summary), MARKDOWN_LIMIT);
        assert!(out.len() <= MARKDOWN_LIMIT, "{} bytes", out.len());
        assert!(
            out.len() > MARKDOWN_LIMIT - 2 * RESERVE,
            "{} bytes",
            out.len()
        );
        assert!(out.contains("truncated"));
        let listed = out.lines().filter(|l| l.starts_with("- :warning:")).count();
        assert!(out.contains(&format!(
            "{} findings of 50000 are not listed",
            50_000 - listed
        )));
        // Small limits: the warning still fits.
        let out = render(&report(&sources, &ds, &summary), 12 * 1024);
        assert!(out.len() <= 12 * 1024, "{} bytes", out.len());
        assert!(out.contains("truncated"));
    }
}
