//! Renders diagnostics for people (`human`), editors (`short`), scripts
//! (`json`), code scanning (`sarif`), GitHub Actions (`github`), CI test
//! reports (`junit`) and job summaries (`markdown`).
//!
//! Every renderer takes a [`Report`] whose diagnostics are already in report
//! order ([`crate::diagnostic::sort`]) and writes one complete document.
//! Suppressed diagnostics travel in the same slice; they are counted, never
//! printed as findings.

mod github;
mod human;
mod json;
mod junit;
mod markdown;
pub mod sarif;
mod short;
pub mod source_code;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::registry::RuleMeta;
use crate::source::SourceMap;

pub use github::github;
pub use human::human;
pub use json::json;
pub use junit::junit;
pub use markdown::{MARKDOWN_LIMIT, markdown};
pub use sarif::{WorkTrees, sarif};
pub use short::{short, short_footer};
pub use source_code::FileSource;

/// Where the rules are documented; a rule's page is `URL#<code lowercase>`.
/// Derived from `package.repository` in Cargo.toml.
pub const RULES_DOC_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// Totals of one run, for the summary line and the json summary.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Entities in the model.
    pub entities: usize,
    /// Findings hidden by inline suppressions.
    pub suppressed: usize,
    /// Findings hidden by a baseline.
    pub baselined: usize,
    pub elapsed: Duration,
    /// Extra summary notes (e.g. "3 baseline entries fixed").
    pub notes: Vec<String>,
}

/// Everything a renderer needs.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    /// Sorted in report order (crate::diagnostic::sort). Includes suppressed
    /// ones (`d.suppressed.is_some()`): they are NOT printed by
    /// human/short/json (json lists them in a separate "suppressed" array),
    /// only counted.
    pub diagnostics: &'a [Diagnostic],
    pub summary: &'a Summary,
    pub tool_version: &'a str,
    /// The rules enabled in the run (SARIF's `tool.driver.rules`).
    pub rules: &'a [RuleMeta],
    /// The model, for junit's one testcase per entity.
    pub model: Option<&'a Model>,
    /// How sarif and github paths are made relative to git work trees;
    /// `None`: display paths.
    pub repo: Option<&'a WorkTrees>,
    /// The config file, where SARIF points findings without a span when no
    /// org file was read.
    pub config_path: Option<&'a Path>,
    /// `--statistics`: counts per rule (a table in human and short, a field
    /// in json).
    pub statistics: bool,
}

/// How many unsuppressed findings one rule gave.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RuleCount<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// The most severe level among its findings.
    pub severity: Severity,
    pub count: usize,
}

/// Counts per rule, most frequent first, then by code.
pub fn statistics<'a>(report: &Report<'a>) -> Vec<RuleCount<'a>> {
    let mut counts: std::collections::BTreeMap<&'a str, RuleCount<'a>> =
        std::collections::BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| d.suppressed.is_none()) {
        let c = counts.entry(&d.code).or_insert(RuleCount {
            code: &d.code,
            name: &d.name,
            severity: d.severity,
            count: 0,
        });
        c.count += 1;
        c.severity = c.severity.max(d.severity);
    }
    let mut counts: Vec<RuleCount> = counts.into_values().collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    counts
}

/// Options of the human and short renderers.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    pub color: bool,
    /// Wrap width for human output (100 when not a terminal).
    pub width: usize,
    /// `-q`: no summary line, no notes.
    pub quiet: bool,
    /// human and short print at most this many findings; the rest are
    /// counted in a note.
    pub max_findings: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 100,
            quiet: false,
            max_findings: 1000,
        }
    }
}

/// The documentation URL of a rule.
pub fn rule_url(code: &str) -> String {
    format!("{RULES_DOC_URL}#{}", code.to_ascii_lowercase())
}

/// Where rule packs are documented: the link SARIF gives a rule of a
/// user's pack, which has no page of its own (cli.md asks for a `helpUri`
/// on every rule).
pub const PACKS_DOC_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "#rule-packs-and-user-rules");

/// Whether orglint documents the rule: built-in rules only.
pub fn is_documented(code: &str) -> bool {
    static BUILTIN: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            crate::pack::load_builtin()
                .into_iter()
                .map(|r| r.code.into_owned())
                .collect()
        })
        .contains(code)
}

/// The documentation page of a rule, when orglint documents it. A rule of
/// a user's pack has no page, so reports link none.
pub fn doc_url(code: &str) -> Option<String> {
    is_documented(code).then(|| rule_url(code))
}

impl Report<'_> {
    /// Diagnostics that are printed: the unsuppressed ones, in order.
    pub(crate) fn findings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.suppressed.is_none())
    }

    pub(crate) fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for d in self.findings() {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

/// Unsuppressed findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one summary line of the human and short formats (no newline), e.g.
/// `Found 3 errors, 2 warnings, 1 info in 12 files (345 entities); 2 suppressed; 0.04s`.
/// The time (`; 0.04s`) only when `with_time`: short's summary leaves it
/// out, so that everything short writes is the same from run to run.
pub(crate) fn summary_line(report: &Report, with_time: bool) -> String {
    let counts = report.counts();
    let s = report.summary;
    let mut line = String::new();
    if counts.total() == 0 {
        line.push_str("No findings");
    } else {
        let mut parts = Vec::new();
        if counts.errors > 0 {
            parts.push(plural(counts.errors, "error", "errors"));
        }
        if counts.warnings > 0 {
            parts.push(plural(counts.warnings, "warning", "warnings"));
        }
        if counts.infos > 0 {
            parts.push(plural(counts.infos, "info", "info"));
        }
        line.push_str("Found ");
        line.push_str(&parts.join(", "));
    }
    let _ = write!(
        line,
        " in {} ({})",
        plural(s.files, "file", "files"),
        plural(s.entities, "entity", "entities")
    );
    if s.suppressed > 0 {
        let _ = write!(line, "; {} suppressed", s.suppressed);
    }
    if s.baselined > 0 {
        let _ = write!(line, "; {} baselined", s.baselined);
    }
    if with_time {
        let _ = write!(line, "; {:.2}s", s.elapsed.as_secs_f64());
    }
    line
}

/// Writes what follows the findings in human output, and what the CLI
/// writes to standard error after short output ([`short_footer`]): the
/// summary line, then one line per note (the note about findings left out by
/// `max_findings` first). Nothing when quiet.
pub(crate) fn write_footer(
    report: &Report,
    opts: &RenderOptions,
    not_shown: usize,
    with_time: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if opts.quiet {
        return Ok(());
    }
    writeln!(out, "{}", summary_line(report, with_time))?;
    if not_shown > 0 {
        writeln!(
            out,
            "note: {} not shown (at most {} are printed; see [lint] max-findings)",
            plural(not_shown, "more finding", "more findings"),
            opts.max_findings
        )?;
    }
    for note in &report.summary.notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    //! A small hand-built run shared by the renderers' tests.

    use super::*;
    use crate::diagnostic::{EntityKind, Suppressed};
    use crate::source::{FileId, SourceFile, Span};

    pub(crate) const A: &str = "\
[organisation]
name = \"Département de l'Intérieur\"

[teams.core]
name = \"Core\"
members = [\"zoë\", \"ghost\"] # équipe

[teams.platform]
name = \"Platform\"
members = [
  \"ann\",
  \"bob\",
]
";

    /// Starts with a byte-order mark and uses CRLF line ends.
    pub(crate) const B: &str =
        "\u{feff}# shared teams\r\n[teams.core]\r\nname = \"Core again\"\r\n";

    pub(crate) fn span_of(text: &str, file: FileId, needle: &str) -> Span {
        let start = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in text"));
        Span::new(file, start, start + needle.len())
    }

    pub(crate) fn sources() -> SourceMap {
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new(
            "a.toml".into(),
            "org/a.toml".into(),
            A.into(),
        ));
        sources.add(SourceFile::new(
            "b.toml".into(),
            "org/b.toml".into(),
            B.into(),
        ));
        sources
    }

    pub(crate) fn diagnostics(sources: &SourceMap) -> Vec<Diagnostic> {
        let a = FileId(0);
        let b = FileId(1);
        let mut ds = vec![
            // span-less
            Diagnostic::new(
                "LEAD001",
                "accountabilities-assigned",
                Severity::Error,
                "no post is accountable for `data`",
            )
            .help("Add an [accountabilities] table naming a post for `data`."),
            // non-ASCII text before the span
            Diagnostic::new(
                "ORG001",
                "unknown-reference",
                Severity::Error,
                "`ghost` is not a person",
            )
            .at_labelled(span_of(A, a, "\"ghost\""), "no person `ghost`")
            .help("Define [people.ghost] or fix the id; did you mean `bob`?")
            .entity(EntityKind::Team, "core")
            .key("members"),
            // multi-line span
            Diagnostic::new(
                "TEAM004",
                "team-size",
                Severity::Warning,
                "team `platform` has 2 members; a team needs at least 3",
            )
            .at_labelled(span_of(A, a, "[\n  \"ann\",\n  \"bob\",\n]"), "2 members")
            .related(span_of(A, a, "[teams.platform]"), "team defined here")
            .entity(EntityKind::Team, "platform")
            .key("members"),
            // info, primary label without text
            Diagnostic::new(
                "ORG009",
                "name-style",
                Severity::Info,
                "organisation name has non-ASCII characters",
            )
            .at(span_of(A, a, "\"Département de l'Intérieur\""))
            .entity(EntityKind::Organisation, "organisation"),
            // error related to another file
            Diagnostic::new(
                "ORG002",
                "duplicate-definition",
                Severity::Error,
                "team `core` is defined twice",
            )
            .at_labelled(span_of(B, b, "[teams.core]"), "defined again here")
            .related(span_of(A, a, "[teams.core]"), "first defined here")
            .help("Rename one of the teams or remove the second definition.")
            .entity(EntityKind::Team, "core"),
            // suppressed
            Diagnostic::new(
                "TEAM001",
                "team-composition",
                Severity::Warning,
                "team `core` has no product manager",
            )
            .at(span_of(A, a, "[teams.core]"))
            .entity(EntityKind::Team, "core"),
        ];
        if let Some(last) = ds.last_mut() {
            last.suppressed = Some(Suppressed {
                justification: "shared with the licensing pilot".into(),
            });
        }
        crate::diagnostic::sort(sources, &mut ds);
        ds
    }

    pub(crate) fn summary() -> Summary {
        Summary {
            files: 2,
            entities: 4,
            suppressed: 1,
            baselined: 2,
            elapsed: Duration::from_millis(42),
            notes: vec!["3 baseline entries fixed".into()],
        }
    }

    pub(crate) fn report<'a>(
        sources: &'a SourceMap,
        diagnostics: &'a [Diagnostic],
        summary: &'a Summary,
    ) -> Report<'a> {
        Report {
            sources,
            diagnostics,
            summary,
            tool_version: "0.1.0",
            rules: &[],
            model: None,
            repo: None,
            config_path: None,
            statistics: false,
        }
    }

    #[test]
    fn summary_lines() {
        let sources = sources();
        let ds = diagnostics(&sources);
        let mut summary = summary();
        let r = report(&sources, &ds, &summary);
        assert_eq!(
            summary_line(&r, true),
            "Found 3 errors, 1 warning, 1 info in 2 files (4 entities); 1 suppressed; 2 baselined; 0.04s"
        );
        assert_eq!(
            summary_line(&r, false),
            "Found 3 errors, 1 warning, 1 info in 2 files (4 entities); 1 suppressed; 2 baselined"
        );
        summary.files = 1;
        summary.entities = 1;
        summary.suppressed = 0;
        summary.baselined = 0;
        summary.elapsed = Duration::from_millis(6);
        let r = report(&sources, &[], &summary);
        assert_eq!(
            summary_line(&r, true),
            "No findings in 1 file (1 entity); 0.01s"
        );
        let r = report(&sources, &ds[..1], &summary);
        assert_eq!(
            summary_line(&r, true),
            "Found 1 error in 1 file (1 entity); 0.01s"
        );
    }
}
