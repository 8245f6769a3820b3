//! The `sarif` format: SARIF 2.1.0 for GitHub code scanning, valid against
//! the OASIS schema (tests/schemas/sarif-schema-2.1.0.json).
//!
//! Written by hand: every object is a struct with `Serialize`, so keys come
//! out in one fixed order and two runs give byte-identical documents.
//! Paths are relative to the root of each file's git work tree
//! ([`WorkTrees`], decisions.md 21); columns count Unicode code points and ends are exclusive
//! (decisions.md 19). Suppressed findings are results with an `inSource`
//! suppression; findings without a span get line 1 of the first file read,
//! else the config file (decisions.md 22), since code scanning needs a
//! location.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{PACKS_DOC_URL, Report, doc_url};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover;
use crate::registry::RuleMeta;
use crate::source::{SourceFile, Span};

/// The schema URI written as `$schema`.
pub const SARIF_SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where orglint lives, for `tool.driver.informationUri` (Cargo.toml's
/// `package.repository`).
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The `partialFingerprints` key. A new hashing scheme gets a new version.
pub const FINGERPRINT_KEY: &str = "orglint/v1";

/// How sarif and github paths are made relative to git work trees
/// (decisions.md 21). A file below the work tree that holds the current
/// directory is relative to its root, as code scanning of that repository
/// needs (a submodule's files included); any other file is relative to the
/// root of the work tree that holds it, found from the file; a file in no
/// work tree keeps its display path. A root is the nearest directory with a
/// `.git` directory or file (worktrees, submodules). Runs no git command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkTrees {
    /// The current directory, against which relative file paths are read.
    cwd: PathBuf,
    /// The root of the work tree holding the current directory, and that
    /// root with symlinks resolved.
    current: Option<(PathBuf, PathBuf)>,
}

impl WorkTrees {
    /// `cwd` is absolute.
    pub fn new(cwd: &Path) -> WorkTrees {
        let cwd = discover::normalize(cwd);
        let root = root_of(&cwd);
        WorkTrees::with_root(root, cwd)
    }

    /// The current directory's work tree given (tests).
    pub fn with_root(root: Option<PathBuf>, cwd: PathBuf) -> WorkTrees {
        let current = root.map(|root| {
            let real = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
            (root, real)
        });
        WorkTrees { cwd, current }
    }

    /// `path` (relative to `cwd`, or absolute) relative to the root of its
    /// work tree, with `/` separators; `None` when it lies in none.
    /// `roots` caches the root of each directory looked up.
    fn relative(&self, path: &Path, roots: &mut Roots) -> Option<String> {
        let absolute = discover::absolute(path, &self.cwd);
        // Reached through a symlink: the real path too.
        let real = || std::fs::canonicalize(&absolute).ok();
        if let Some((root, real_root)) = &self.current {
            let below = discover::relative_below(&absolute, root)
                .or_else(|| discover::relative_below(&real()?, real_root));
            if let Some(rel) = below.filter(|rel| !rel.is_empty()) {
                return Some(rel);
            }
        }
        below_own_root(&absolute, roots).or_else(|| below_own_root(&real()?, roots))
    }
}

/// `path` relative to the root of the work tree that holds it.
fn below_own_root(path: &Path, roots: &mut Roots) -> Option<String> {
    let dir = path.parent()?;
    let root = match roots.get(dir) {
        Some(root) => root.as_ref(),
        None => roots
            .entry(dir.to_path_buf())
            .or_insert_with(|| root_of(dir))
            .as_ref(),
    }?;
    discover::relative_below(path, root).filter(|rel| !rel.is_empty())
}

/// The nearest directory at or above `dir` holding `.git`.
fn root_of(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// The work-tree root of each directory looked at.
type Roots = HashMap<PathBuf, Option<PathBuf>>;

/// The path of every file of the run as sarif and github print it, indexed
/// by `FileId`: relative to the work-tree root when the run is inside one
/// and the file below it, else the display path.
pub(crate) fn repo_paths(report: &Report) -> Vec<String> {
    let mut roots = Roots::new();
    report
        .sources
        .iter()
        .map(|(_, file)| repo_path(report, &file.path, &file.display, &mut roots))
        .collect()
}

fn repo_path(report: &Report, path: &Path, display: &str, roots: &mut Roots) -> String {
    report
        .repo
        .and_then(|trees| trees.relative(path, roots))
        .unwrap_or_else(|| display.to_owned())
}

/// Writes the whole report as one SARIF 2.1.0 document and a newline.
pub fn sarif(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let log = build(report);
    serde_json::to_writer_pretty(&mut *out, &log).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

fn build<'a>(report: &'a Report<'a>) -> Log<'a> {
    let paths = repo_paths(report);
    let mut rules: Vec<Rule> = report.rules.iter().map(Rule::from_meta).collect();
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(rules.len());
    for (i, rule) in report.rules.iter().enumerate() {
        index.entry(&rule.code).or_insert(i);
    }
    // A finding of a rule the caller did not list still gets a descriptor.
    for d in report.diagnostics {
        if !index.contains_key(&*d.code) {
            index.insert(&d.code, rules.len());
            rules.push(Rule::from_diagnostic(d));
        }
    }
    let fallback = fallback_location(report, &paths);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results = report
        .diagnostics
        .iter()
        .map(|d| {
            let base = fingerprint_of(report, &paths, d);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fingerprint = if *n == 1 {
                base
            } else {
                // The same finding again (the baseline is a multiset): its
                // rank keeps the two results apart.
                format!("{base}:{n}")
            };
            SarifResult::new(report, &paths, &index, &fallback, d, fingerprint)
        })
        .collect();
    Log {
        schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "orglint",
                    version: report.tool_version,
                    semantic_version: report.tool_version,
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// Where findings without a span point: line 1 of the first file read, else
/// the config file, else nowhere.
fn fallback_location(report: &Report, paths: &[String]) -> Option<Location> {
    if let Some((id, file)) = report.sources.iter().next() {
        let path = paths
            .get(id.0 as usize)
            .map_or(file.display.as_str(), |p| p);
        let width = file.line_text(0).chars().count() as u32;
        return Some(Location::new(
            path,
            Some(Region {
                start_line: 1,
                start_column: Some(1),
                end_line: Some(1),
                end_column: Some(width + 1),
            }),
            None,
        ));
    }
    let config = report.config_path?;
    let cwd = match report.repo {
        Some(repo) => repo.cwd.clone(),
        None => std::env::current_dir().unwrap_or_default(),
    };
    let display = discover::display_path(config, &cwd);
    let path = repo_path(report, config, &display, &mut Roots::new());
    Some(Location::new(
        &path,
        Some(Region {
            start_line: 1,
            start_column: None,
            end_line: None,
            end_column: None,
        }),
        None,
    ))
}

/// The finding's fingerprint (decisions.md 26), shared with baselines:
/// rule, repository-relative file, entity, key path and offending value,
/// never a line.
fn fingerprint_of(report: &Report, paths: &[String], d: &Diagnostic) -> String {
    let path = d
        .span()
        .and_then(|s| paths.get(s.file.0 as usize))
        .map_or("", String::as_str);
    crate::baseline::fingerprint(d, report.sources, path)
}

/// The SARIF level of a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: every byte outside the unreserved
/// set, `/` and a few safe sub-delimiters percent-encoded (so `:` cannot
/// read as a scheme and `%` stays literal). An absolute path becomes a
/// `file:` URI.
fn path_uri(path: &str) -> (String, bool) {
    let is_drive = path.len() >= 3
        && path.as_bytes()[0].is_ascii_alphabetic()
        && path.as_bytes()[1] == b':'
        && path.as_bytes()[2] == b'/';
    if path.starts_with('/') {
        (format!("file://{}", encode(path, true)), true)
    } else if is_drive {
        (format!("file:///{}", encode(path, true)), true)
    } else {
        (encode(path, false), false)
    }
}

/// A `/`-separated relative path percent-encoded for a URI reference or a
/// Markdown link destination.
pub(crate) fn encode_path(path: &str) -> String {
    encode(path, false)
}

/// Bytes a path keeps as they are: unreserved, `/`, and the sub-delimiters
/// that are safe in a path segment and a Markdown link (not `(` and `)`).
const KEEP: &[u8] = b"-._~/!$&'*+,;=@";

fn encode(path: &str, keep_drive_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || KEEP.contains(&b)
            || (keep_drive_colon && i == 1 && b == b':');
        if keep {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The document. Field order is the output order.
// ---------------------------------------------------------------------------

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    semantic_version: &'a str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize, Clone)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct TextMarkdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: TextMarkdown,
    /// The rule's page; for a user's pack rule, which has none, how rule
    /// packs work.
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

impl Rule {
    fn from_meta(rule: &RuleMeta) -> Rule {
        let summary = non_empty(&rule.summary).unwrap_or(&rule.name);
        let rationale = non_empty(&rule.rationale);
        let source = non_empty(&rule.source);
        let help = rule.help.as_deref().and_then(non_empty);
        let url = doc_url(&rule.code);

        let mut text = format!("{summary}.");
        let mut markdown = format!("**{}.**", markdown_text(summary));
        if let Some(r) = rationale {
            text.push_str(&format!("\n\n{r}"));
            markdown.push_str(&format!("\n\n{}", markdown_text(r)));
        }
        if let Some(s) = source {
            text.push_str(&format!("\n\nSource: {s}"));
            markdown.push_str(&format!("\n\n*Source:* {}", markdown_text(s)));
        }
        if let Some(h) = help {
            text.push_str(&format!("\n\nHow to fix: {h}"));
            markdown.push_str(&format!("\n\n**How to fix:** {}", markdown_text(h)));
        }
        if let Some(url) = &url {
            text.push_str(&format!("\n\nDocumentation: {url}"));
            markdown.push_str(&format!("\n\n[Documentation]({url})"));
        }

        Rule {
            id: rule.code.to_string(),
            name: rule.name.to_string(),
            short_description: Text {
                text: summary.to_owned(),
            },
            full_description: Text {
                text: rationale.unwrap_or(summary).to_owned(),
            },
            help: TextMarkdown { text, markdown },
            help_uri: url.unwrap_or_else(|| PACKS_DOC_URL.to_owned()),
            default_configuration: Configuration {
                level: level(rule.severity),
            },
            properties: RuleProperties {
                tags: vec![rule.pack.clone()],
            },
        }
    }

    /// A descriptor from a finding alone (a rule missing from the list).
    fn from_diagnostic(d: &Diagnostic) -> Rule {
        let url = doc_url(&d.code);
        let mut text = d.name.to_string();
        let mut markdown = markdown_text(&d.name);
        if let Some(url) = &url {
            text.push_str(&format!("\n\nDocumentation: {url}"));
            markdown.push_str(&format!("\n\n[Documentation]({url})"));
        }
        Rule {
            id: d.code.to_string(),
            name: d.name.to_string(),
            short_description: Text {
                text: d.name.to_string(),
            },
            full_description: Text {
                text: d.name.to_string(),
            },
            help: TextMarkdown { text, markdown },
            help_uri: url.unwrap_or_else(|| PACKS_DOC_URL.to_owned()),
            default_configuration: Configuration {
                level: level(d.severity),
            },
            properties: RuleProperties { tags: Vec::new() },
        }
    }
}

fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

/// Rule text in Markdown: rule texts use backticks for code already; other
/// characters that Markdown would take as markup are escaped.
fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
        } else if !in_code && matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

impl<'a> SarifResult<'a> {
    fn new(
        report: &'a Report<'a>,
        paths: &[String],
        index: &HashMap<&str, usize>,
        fallback: &Option<Location>,
        d: &'a Diagnostic,
        fingerprint: String,
    ) -> Self {
        let primary = d
            .primary
            .as_ref()
            .and_then(|l| located(report, paths, l.span, l.text.as_deref()));
        let locations = match primary {
            Some(l) => vec![l],
            None => fallback.iter().cloned().collect(),
        };
        SarifResult {
            rule_id: &d.code,
            rule_index: index.get(&*d.code).copied().unwrap_or(0),
            level: level(d.severity),
            message: Text {
                text: d.message.clone(),
            },
            locations,
            related_locations: d
                .related
                .iter()
                .filter_map(|l| located(report, paths, l.span, l.text.as_deref()))
                .collect(),
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
            suppressions: d
                .suppressed
                .as_ref()
                .map(|s| Suppression {
                    kind: "inSource",
                    justification: non_empty(&s.justification),
                })
                .into_iter()
                .collect(),
        }
    }
}

/// The location of a span, with a full region.
fn located(report: &Report, paths: &[String], span: Span, text: Option<&str>) -> Option<Location> {
    let file: &SourceFile = report.sources.get(span.file)?;
    let path = paths
        .get(span.file.0 as usize)
        .map_or(file.display.as_str(), String::as_str);
    let start = file.line_col(span.start);
    let end = file.line_col(span.end);
    Some(Location::new(
        path,
        Some(Region {
            start_line: start.line,
            start_column: Some(start.column),
            end_line: Some(end.line),
            end_column: Some(end.column),
        }),
        text,
    ))
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

impl Location {
    fn new(path: &str, region: Option<Region>, message: Option<&str>) -> Location {
        let (uri, absolute) = path_uri(path);
        Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri,
                    uri_base_id: (!absolute).then_some("%SRCROOT%"),
                },
                region,
            },
            message: message.map(|m| Text { text: m.to_owned() }),
        }
    }
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::EntityKind;
    use crate::report::tests::{diagnostics, report, sources, summary};

    fn render(report: &Report) -> serde_json::Value {
        let mut out = Vec::new();
        sarif(report, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn results_locations_and_suppressions() {
        let sources = sources();
        let ds = diagnostics(&sources);
        let summary = summary();
        let log = render(&report(&sources, &ds, &summary));
        let run = &log["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 6);
        // The span-less finding points at line 1 of the first file.
        let first = &results[0];
        assert_eq!(first["ruleId"], "LEAD001");
        let loc = &first["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "org/a.toml");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 1);
        // Columns count code points: `"Département..."` on line 2.
        let info = results.iter().find(|r| r["ruleId"] == "ORG009").unwrap();
        assert_eq!(info["level"], "note");
        let region = &info["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"], 8);
        assert_eq!(region["endColumn"], 36);
        let suppressed = results.iter().find(|r| r["ruleId"] == "TEAM001").unwrap();
        assert_eq!(suppressed["suppressions"][0]["kind"], "inSource");
        assert_eq!(
            suppressed["suppressions"][0]["justification"],
            "shared with the licensing pilot"
        );
        let related = results.iter().find(|r| r["ruleId"] == "ORG002").unwrap();
        assert_eq!(
            related["relatedLocations"][0]["message"]["text"],
            "first defined here"
        );
        // No rule list given: descriptors come from the findings.
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for r in results {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
    }

    #[test]
    fn fingerprints_ignore_lines() {
        let moved = format!("\n\n{}", crate::report::tests::A);
        let mut moved_sources = crate::source::SourceMap::new();
        moved_sources.add(crate::source::SourceFile::new(
            "a.toml".into(),
            "org/a.toml".into(),
            moved.clone(),
        ));
        let span = crate::report::tests::span_of(&moved, crate::source::FileId(0), "\"ghost\"");
        let d = Diagnostic::new("ORG001", "x", Severity::Error, "m")
            .at(span)
            .entity(EntityKind::Team, "core")
            .key("members");
        let summary = summary();
        let r = report(&moved_sources, std::slice::from_ref(&d), &summary);
        let moved_fp =
            render(&r)["runs"][0]["results"][0]["partialFingerprints"][FINGERPRINT_KEY].clone();

        let sources = sources();
        let ds = diagnostics(&sources);
        let log = render(&report(&sources, &ds, &summary));
        let original = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "ORG001")
            .unwrap()["partialFingerprints"][FINGERPRINT_KEY]
            .clone();
        assert_eq!(moved_fp, original);
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(
            path_uri("dir/odd,name:1%.toml"),
            ("dir/odd,name%3A1%25.toml".to_owned(), false)
        );
        assert_eq!(
            path_uri("/tmp/a b.toml"),
            ("file:///tmp/a%20b.toml".to_owned(), true)
        );
        assert_eq!(
            path_uri("C:/x/é.toml"),
            ("file:///C:/x/%C3%A9.toml".to_owned(), true)
        );
    }

    #[test]
    fn repo_root_relative_paths() {
        let repo = WorkTrees::with_root(Some("/repo".into()), "/repo/sub".into());
        let mut roots = Roots::new();
        let mut relative = |p: &str| repo.relative(Path::new(p), &mut roots);
        assert_eq!(relative("./a/b.toml").as_deref(), Some("sub/a/b.toml"));
        assert_eq!(relative("../top.toml").as_deref(), Some("top.toml"));
        assert_eq!(relative("/elsewhere/x.toml"), None);
    }
}
