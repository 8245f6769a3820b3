//! The `json` format: one pretty-printed document, byte-identical across
//! runs over the same input (no time in it).

use serde::Serialize;

use super::Report;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{SourceMap, Span};

/// Writes the whole report as one JSON document, followed by a newline.
pub fn json(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let sources = report.sources;
    let counts = report.counts();
    let doc = Document {
        version: report.tool_version,
        diagnostics: report
            .findings()
            .map(|d| JsonDiagnostic::new(sources, d))
            .collect(),
        suppressed: report
            .diagnostics
            .iter()
            .filter_map(|d| {
                let s = d.suppressed.as_ref()?;
                Some(JsonSuppressed {
                    diagnostic: JsonDiagnostic::new(sources, d),
                    justification: &s.justification,
                })
            })
            .collect(),
        summary: JsonSummary {
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            files: report.summary.files,
            entities: report.summary.entities,
            suppressed: report.summary.suppressed,
            baselined: report.summary.baselined,
            notes: &report.summary.notes,
        },
        statistics: report.statistics.then(|| super::statistics(report)),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct Document<'a> {
    version: &'a str,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    suppressed: Vec<JsonSuppressed<'a>>,
    summary: JsonSummary<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    statistics: Option<Vec<super::RuleCount<'a>>>,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    errors: usize,
    warnings: usize,
    infos: usize,
    files: usize,
    entities: usize,
    suppressed: usize,
    baselined: usize,
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
    entity: Option<JsonEntity<'a>>,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    diagnostic: JsonDiagnostic<'a>,
    justification: &'a str,
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    kind: &'static str,
    id: &'a str,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    message: Option<&'a str>,
}

/// `path`, `start`, `end`, `offset`, `length`; all null without a span.
#[derive(Serialize, Default)]
struct Location<'a> {
    path: Option<&'a str>,
    start: Option<Position>,
    end: Option<Position>,
    offset: Option<u32>,
    length: Option<u32>,
}

/// 1-based line and column (Unicode scalar values); ends are exclusive.
#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

impl<'a> Location<'a> {
    fn of(sources: &'a SourceMap, span: Option<Span>) -> Self {
        let Some((span, file)) = span.and_then(|s| Some((s, sources.get(s.file)?))) else {
            return Location::default();
        };
        let start = file.line_col(span.start);
        let end = file.line_col(span.end);
        Location {
            path: Some(&file.display),
            start: Some(Position {
                line: start.line,
                column: start.column,
            }),
            end: Some(Position {
                line: end.line,
                column: end.column,
            }),
            offset: Some(span.start),
            length: Some(span.len()),
        }
    }
}

impl<'a> JsonDiagnostic<'a> {
    fn new(sources: &'a SourceMap, d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            code: &d.code,
            name: &d.name,
            severity: d.severity,
            message: &d.message,
            location: Location::of(sources, d.span()),
            entity: d.entity.as_ref().map(|e| JsonEntity {
                kind: e.kind.key(),
                id: &e.id,
            }),
            help: d.help.as_deref(),
            related: d
                .related
                .iter()
                .map(|l: &'a Label| JsonRelated {
                    location: Location::of(sources, Some(l.span)),
                    message: l.text.as_deref(),
                })
                .collect(),
        }
    }
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
        json(&report(&sources, &ds, &summary), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn snapshot() {
        let out = render();
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["diagnostics"].as_array().unwrap().len(), 5);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn deterministic() {
        assert_eq!(render(), render());
    }
}
