//! The `junit` format: JUnit XML for CI test reports.
//!
//! One `<testsuite>` per file read (named by its display path), one
//! `<testcase>` per entity the file defines (`team hosting`,
//! `person amara-okafor`, `organisation`, ...), in the order written, after
//! a `(file)` testcase for what concerns the file itself (invalid TOML,
//! suppression comments). A testcase fails when an unsuppressed finding is
//! about its entity, wherever the finding points; its one `<failure>`
//! lists those findings, a line each, as `path:line:col CODE message`.
//! Findings without a span go to the `(organisation)` testcase of a first
//! `(organisation)` testsuite (decisions.md 22). A finding about an entity
//! the model does not hold gets a testcase of its own in the file it points
//! into. No times: two runs give the same bytes.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::Report;
use crate::diagnostic::{Diagnostic, EntityKind, compare_paths};
use crate::model::Model;
use crate::source::{SourceMap, Span};

/// The testcase (and testsuite) holding findings without a span.
const ORGANISATION_CASE: &str = "(organisation)";
/// The testcase of a file's own findings.
const FILE_CASE: &str = "(file)";

/// Writes the whole report as one JUnit XML document.
pub fn junit(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let suites = build(report);
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let mut xml = String::with_capacity(4096 + 160 * tests);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"orglint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for suite in &suites {
        suite.write(report.sources, &mut xml);
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

struct Suite<'a> {
    name: String,
    cases: Vec<Case<'a>>,
}

impl Suite<'_> {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| !c.findings.is_empty()).count()
    }

    fn write(&self, sources: &SourceMap, xml: &mut String) {
        let name = attr(&self.name);
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            self.cases.len(),
            self.failures()
        );
        for case in &self.cases {
            let _ = write!(
                xml,
                "    <testcase name=\"{}\" classname=\"{name}\"",
                attr(&case.name)
            );
            let Some(first) = case.findings.first() else {
                xml.push_str("/>\n");
                continue;
            };
            let mut message = format!("{} {}", first.code, one_line(&first.message));
            if case.findings.len() > 1 {
                let _ = write!(message, " (and {} more)", case.findings.len() - 1);
            }
            let worst = case
                .findings
                .iter()
                .map(|d| d.severity)
                .max()
                .unwrap_or(first.severity);
            let _ = write!(
                xml,
                ">\n      <failure message=\"{}\" type=\"{worst}\">",
                attr(&message)
            );
            for (i, d) in case.findings.iter().enumerate() {
                if i > 0 {
                    xml.push('\n');
                }
                xml.push_str(&text(&finding_line(sources, d)));
            }
            xml.push_str("</failure>\n    </testcase>\n");
        }
        xml.push_str("  </testsuite>\n");
    }
}

struct Case<'a> {
    name: String,
    /// Where the entity is defined (its first finding's place for an entity
    /// the model does not hold); the `(file)` testcase sorts first.
    order: (bool, u32),
    findings: Vec<&'a Diagnostic>,
}

/// Which testcase of a file: an entity's, or the file's own.
type CaseKey = Option<(EntityKind, String)>;

fn build<'a>(report: &'a Report) -> Vec<Suite<'a>> {
    let sources = report.sources;
    // One suite per file, each with its `(file)` testcase.
    let mut suites: Vec<Suite> = sources
        .iter()
        .map(|(_, file)| Suite {
            name: file.display.clone(),
            cases: vec![Case {
                name: FILE_CASE.to_owned(),
                order: (false, 0),
                findings: Vec::new(),
            }],
        })
        .collect();
    let mut keys: Vec<HashMap<CaseKey, usize>> =
        suites.iter().map(|_| HashMap::from([(None, 0)])).collect();
    // Where each entity of the model is tested: (suite, case).
    let mut homes: HashMap<(EntityKind, &str), (usize, usize)> = HashMap::new();
    if let Some(model) = report.model {
        for (kind, id, span) in entities(model) {
            let file = span.file.0 as usize;
            let (Some(suite), Some(keys)) = (suites.get_mut(file), keys.get_mut(file)) else {
                continue;
            };
            let key = Some((kind, id.to_owned()));
            if keys.contains_key(&key) {
                continue;
            }
            keys.insert(key, suite.cases.len());
            homes.insert((kind, id), (file, suite.cases.len()));
            suite.cases.push(Case {
                name: case_name(kind, id),
                order: (true, span.start),
                findings: Vec::new(),
            });
        }
    }

    let mut organisation = Case {
        name: ORGANISATION_CASE.to_owned(),
        order: (false, 0),
        findings: Vec::new(),
    };
    for d in report.findings() {
        let Some(span) = d.span().filter(|s| sources.get(s.file).is_some()) else {
            organisation.findings.push(d);
            continue;
        };
        if let Some(&(suite, case)) = d
            .entity
            .as_ref()
            .and_then(|e| homes.get(&(e.kind, e.id.as_str())))
            && let Some(c) = suites.get_mut(suite).and_then(|s| s.cases.get_mut(case))
        {
            c.findings.push(d);
            continue;
        }
        let file = span.file.0 as usize;
        let (Some(suite), Some(keys)) = (suites.get_mut(file), keys.get_mut(file)) else {
            organisation.findings.push(d);
            continue;
        };
        let key: CaseKey = d.entity.as_ref().map(|e| (e.kind, e.id.clone()));
        let index = match keys.get(&key) {
            Some(&i) => i,
            None => {
                let name = d
                    .entity
                    .as_ref()
                    .map_or_else(|| FILE_CASE.to_owned(), |e| case_name(e.kind, &e.id));
                suite.cases.push(Case {
                    name,
                    order: (true, span.start),
                    findings: Vec::new(),
                });
                keys.insert(key, suite.cases.len() - 1);
                suite.cases.len() - 1
            }
        };
        if let Some(c) = suite.cases.get_mut(index) {
            c.findings.push(d);
        }
    }

    for suite in &mut suites {
        suite
            .cases
            .sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.name.cmp(&b.name)));
    }
    suites.sort_by(|a, b| compare_paths(&a.name, &b.name));
    let mut all = Vec::with_capacity(suites.len() + 1);
    all.push(Suite {
        name: ORGANISATION_CASE.to_owned(),
        cases: vec![organisation],
    });
    all.extend(suites);
    all
}

/// Every entity of the model with the span that defines it.
fn entities(model: &Model) -> Vec<(EntityKind, &str, Span)> {
    let mut out = Vec::new();
    if let Some(org) = &model.organisation {
        out.push((EntityKind::Organisation, "organisation", org.header));
    }
    out.extend(
        model
            .posts
            .iter()
            .map(|a| (EntityKind::Post, a.name.as_str(), a.key)),
    );
    out.extend(
        model
            .accountabilities
            .iter()
            .map(|a| (EntityKind::Accountability, a.name.as_str(), a.key)),
    );
    out.extend(
        model
            .people
            .iter()
            .map(|e| (EntityKind::Person, e.id.as_str(), e.header)),
    );
    out.extend(
        model
            .teams
            .iter()
            .map(|e| (EntityKind::Team, e.id.as_str(), e.header)),
    );
    out.extend(
        model
            .services
            .iter()
            .map(|e| (EntityKind::Service, e.id.as_str(), e.header)),
    );
    out.extend(
        model
            .bodies
            .iter()
            .map(|e| (EntityKind::Body, e.id.as_str(), e.header)),
    );
    out.extend(
        model
            .suppliers
            .iter()
            .map(|e| (EntityKind::Supplier, e.id.as_str(), e.header)),
    );
    out.extend(
        model
            .roles
            .iter()
            .map(|e| (EntityKind::Role, e.id.as_str(), e.header)),
    );
    out
}

/// `team hosting`; the organisation is just `organisation`.
fn case_name(kind: EntityKind, id: &str) -> String {
    match kind {
        EntityKind::Organisation => "organisation".to_owned(),
        _ => format!("{} {id}", kind.key()),
    }
}

/// `path:line:col CODE message` (just `CODE message` without a span), on
/// one line.
fn finding_line(sources: &SourceMap, d: &Diagnostic) -> String {
    let mut line = String::new();
    if let Some((span, file)) = d.span().and_then(|s| Some((s, sources.get(s.file)?))) {
        let lc = file.line_col(span.start);
        let _ = write!(line, "{}:{}:{} ", file.display, lc.line, lc.column);
    }
    let _ = write!(line, "{} {}", d.code, one_line(&d.message));
    line
}

/// A message on one line: its lines joined by spaces.
fn one_line(s: &str) -> String {
    s.lines()
        .map(|l| l.trim_end_matches('\r'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// XML character data.
fn text(s: &str) -> String {
    escape(s, false)
}

/// An XML attribute value (in double quotes); line breaks and tabs as
/// character references so that they survive attribute normalization.
fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            // Not allowed in XML 1.0, not even as references: shown.
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
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
        junit(&report(&sources, &ds, &summary), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render());
    }

    #[test]
    fn escaping() {
        assert_eq!(
            attr("a<b>&\"c\" 'd'\n\te\r"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;&#10;&#9;e&#13;"
        );
        assert_eq!(text("x & y\n<z>"), "x &amp; y\n&lt;z&gt;");
        assert_eq!(text("bell\u{7}"), "bell\\u{7}");
    }
}
