//! Inline suppressions: `# orglint: allow(CODE, ...) [until DATE] -- reason`
//! comments hide findings in their scope, and the META rules report the
//! suppressions themselves (unused, without a reason, expired).

pub mod date;
pub mod scan;

use std::collections::HashMap;

use rayon::prelude::*;

pub use date::Date;
pub use scan::{Directive, Malformed, Scanned};

use crate::diagnostic::{Diagnostic, Severity, Suppressed};
use crate::source::{FileId, SourceMap};

/// What a code or name in a directive refers to.
pub enum Lookup {
    /// A rule, by its code, and whether it runs in this run.
    Rule {
        code: String,
        enabled: bool,
    },
    Unknown,
}

/// Scans every file for directives (in parallel; only files that mention
/// `orglint` are lexed).
pub fn scan_all(sources: &SourceMap) -> Vec<(FileId, Scanned)> {
    let files: Vec<(FileId, &str)> = sources
        .iter()
        .map(|(id, f)| (id, f.text.as_str()))
        .collect();
    files
        .par_iter()
        .map(|&(id, text)| (id, scan::scan(id, text)))
        .filter(|(_, s)| !s.directives.is_empty() || !s.malformed.is_empty())
        .collect()
}

/// A directive of this run: its resolved codes (`None` = unknown or
/// unsuppressible) and which of them hid something.
struct Live<'a> {
    directive: &'a Directive,
    codes: Vec<Option<String>>,
    used: Vec<bool>,
    expired: bool,
}

/// One code of one live directive, with the scope it covers.
struct Entry {
    start: u32,
    end: u32,
    live: usize,
    code: usize,
}

/// Marks every finding that a live directive of its file and code covers,
/// and every directive code that covers some finding.
///
/// One sweep per (file, code) over scopes and findings sorted by position,
/// so the cost is O((findings + directives) log directives), however many
/// suppressions a file holds. A finding covered by several directives takes
/// its justification from the one whose scope starts last (the innermost).
fn match_findings(by_file: &mut HashMap<FileId, Vec<Live>>, diagnostics: &mut [Diagnostic]) {
    use std::cmp::Reverse;
    use std::collections::{BTreeSet, BinaryHeap};

    // Per (file, code): the scopes that hide it, and the findings.
    type Group = (Vec<Entry>, Vec<usize>);
    let mut groups: HashMap<(FileId, &str), Group> = HashMap::new();
    for (file, lives) in by_file.iter() {
        for (l, live) in lives.iter().enumerate() {
            if live.expired {
                continue;
            }
            for (c, code) in live.codes.iter().enumerate() {
                if let Some(code) = code {
                    let scope = &live.directive.scope;
                    groups
                        .entry((*file, code.as_str()))
                        .or_default()
                        .0
                        .push(Entry {
                            start: scope.start,
                            end: scope.end,
                            live: l,
                            code: c,
                        });
                }
            }
        }
    }
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        let Some(span) = diagnostic.span() else {
            continue;
        };
        if diagnostic.code == "ORG008" || diagnostic.code.starts_with("META") {
            continue;
        }
        if let Some((_, findings)) = groups.get_mut(&(span.file, &*diagnostic.code)) {
            findings.push(i);
        }
    }
    let position = |i: usize| {
        diagnostics
            .get(i)
            .and_then(Diagnostic::span)
            .map_or(0, |s| s.start)
    };
    // (finding, file, live) suppressions, and (file, live, code) uses.
    let mut hidden: Vec<(usize, FileId, usize)> = Vec::new();
    let mut used: Vec<(FileId, usize, usize)> = Vec::new();
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by_key(|((file, code), _)| (*file, *code));
    for ((file, _), (mut entries, mut findings)) in groups {
        if findings.is_empty() {
            continue;
        }
        entries.sort_by_key(|e| (e.start, e.live, e.code));
        findings.sort_by_key(|&i| (position(i), i));
        // Scopes that have begun, by start (for the innermost) and by end
        // (to retire them); and those begun but not yet marked used.
        let mut active: BTreeSet<(u32, usize)> = BTreeSet::new();
        let mut ends: BinaryHeap<Reverse<(u32, u32, usize)>> = BinaryHeap::new();
        let mut unmarked: Vec<usize> = Vec::new();
        let mut next = 0;
        for i in findings {
            let at = position(i);
            while let Some(e) = entries.get(next).filter(|e| e.start <= at) {
                active.insert((e.start, next));
                ends.push(Reverse((e.end, e.start, next)));
                unmarked.push(next);
                next += 1;
            }
            while let Some(&Reverse((end, start, ix))) = ends.peek() {
                if end > at {
                    break;
                }
                ends.pop();
                active.remove(&(start, ix));
            }
            let Some(&(_, innermost)) = active.last() else {
                continue;
            };
            for ix in unmarked.drain(..) {
                if let Some(e) = entries.get(ix).filter(|e| e.end > at) {
                    used.push((file, e.live, e.code));
                }
            }
            if let Some(e) = entries.get(innermost) {
                hidden.push((i, file, e.live));
            }
        }
    }
    for (file, live, code) in used {
        if let Some(flag) = by_file
            .get_mut(&file)
            .and_then(|l| l.get_mut(live))
            .and_then(|l| l.used.get_mut(code))
        {
            *flag = true;
        }
    }
    for (i, file, live) in hidden {
        let reason = by_file
            .get(&file)
            .and_then(|l| l.get(live))
            .and_then(|l| l.directive.reason.clone());
        if let Some(d) = diagnostics.get_mut(i) {
            d.suppressed = Some(Suppressed {
                justification: reason.unwrap_or_default(),
            });
        }
    }
}

fn meta(code: &'static str, name: &'static str, severity: Severity, message: String) -> Diagnostic {
    Diagnostic::new(code, name, severity, message)
}

/// Marks the diagnostics that a directive covers as suppressed, and returns
/// the META findings. ORG008 and META findings are never suppressed.
pub fn apply(
    scanned: &[(FileId, Scanned)],
    diagnostics: &mut [Diagnostic],
    lookup: &dyn Fn(&str, FileId) -> Lookup,
    today: Date,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_file: HashMap<FileId, Vec<Live>> = HashMap::new();
    for (file, s) in scanned {
        for m in &s.malformed {
            out.push(
                meta(
                    "META001",
                    "unused-suppression",
                    Severity::Warning,
                    format!("malformed suppression: {}", m.problem),
                )
                .at(m.comment)
                .help("write `# orglint: allow(CODE, ...) -- reason`, optionally with `until YYYY-MM-DD` before `--`"),
            );
        }
        for d in &s.directives {
            let expired = d.until.is_some_and(|u| today > u);
            let mut codes = Vec::with_capacity(d.codes.len());
            for (code, span) in &d.codes {
                let resolved = match lookup(code, *file) {
                    Lookup::Rule { code: c, .. } if c == "ORG008" => {
                        out.push(
                            meta(
                                "META001",
                                "unused-suppression",
                                Severity::Warning,
                                "ORG008 (invalid-file) cannot be suppressed".to_owned(),
                            )
                            .at(*span)
                            .help("fix the file instead: orglint cannot check what it cannot read"),
                        );
                        None
                    }
                    Lookup::Rule { code: c, enabled } => enabled.then_some(c),
                    Lookup::Unknown => {
                        out.push(
                            meta(
                                "META001",
                                "unused-suppression",
                                Severity::Warning,
                                format!("unknown rule `{code}` in suppression"),
                            )
                            .at(*span)
                            .help("name a rule by its code or name: `orglint rules` lists them"),
                        );
                        None
                    }
                };
                codes.push(resolved);
            }
            if d.reason.is_none() {
                out.push(
                    meta(
                        "META002",
                        "suppression-without-reason",
                        Severity::Error,
                        "suppression gives no reason".to_owned(),
                    )
                    .at(d.comment)
                    .help(
                        "say why after `--`, e.g. `-- interim owner while the post is recruited`",
                    ),
                );
            }
            if let (true, Some(until)) = (expired, d.until) {
                out.push(
                    meta(
                        "META003",
                        "expired-suppression",
                        Severity::Warning,
                        format!("suppression expired on {until} and no longer hides anything"),
                    )
                    .at(d.comment)
                    .help("fix the finding, or extend `until` with a reason"),
                );
            }
            let used = vec![false; codes.len()];
            by_file.entry(*file).or_default().push(Live {
                directive: d,
                codes,
                used,
                expired,
            });
        }
    }
    match_findings(&mut by_file, diagnostics);
    let mut files: Vec<_> = by_file.into_iter().collect();
    files.sort_by_key(|(f, _)| *f);
    for (_, lives) in files {
        for live in lives {
            if live.expired {
                continue;
            }
            for ((code, used), (written, span)) in
                live.codes.iter().zip(&live.used).zip(&live.directive.codes)
            {
                if code.is_some() && !used {
                    out.push(
                        meta(
                            "META001",
                            "unused-suppression",
                            Severity::Warning,
                            format!("suppression of `{written}` matched no finding"),
                        )
                        .at(*span)
                        .help("remove it: a suppression that hides nothing only hides future problems"),
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    const ORG: &str = r##"# orglint: allow(TEAM001, team-without-service) -- shared with the pilot
[teams.licensing]
name = "Licensing"
members = [
  "a",
  # orglint: allow(TEAM003) -- interim
  "b",
  "c", # orglint: allow(TEAM002) -- moving next month
]

[services.apply]
name = "Apply"
# orglint: allow(OWN003) until 2027-03-31 -- interim owner
owner = "raj"
funding = "project" # orglint: allow(MODEL002)
note = "# orglint: allow(NEED001) -- inside a string, not a comment"
# orglint: allow(NEED002) until 2020-01-01 -- expired
procurement = "best-value"
# orglint: deny(X)
"##;

    fn setup() -> (SourceMap, Vec<(FileId, Scanned)>) {
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new(
            "a.toml".into(),
            "a.toml".into(),
            ORG.into(),
        ));
        let scanned = scan_all(&sources);
        (sources, scanned)
    }

    fn at(text: &str, needle: &str) -> Span {
        let start = ORG
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {text:.0}"));
        Span::new(FileId(0), start, start + needle.len())
    }

    fn finding(code: &'static str, needle: &str) -> Diagnostic {
        Diagnostic::new(code, "x", Severity::Warning, "m").at(at(ORG, needle))
    }

    fn lookup(code: &str, _file: FileId) -> Lookup {
        let codes = [
            ("TEAM001", "core-roles"),
            ("TEAM002", "stability-innovation-split"),
            ("TEAM003", "government-in-control"),
            ("TEAM005", "team-without-service"),
            ("OWN003", "owner-in-government"),
            ("MODEL002", "project-funding-in-product-model"),
            ("NEED002", "best-value-procurement"),
        ];
        match codes.iter().find(|(c, n)| *c == code || *n == code) {
            Some((c, _)) => Lookup::Rule {
                code: (*c).to_owned(),
                enabled: true,
            },
            None => Lookup::Unknown,
        }
    }

    #[test]
    fn scopes_and_meta_findings() {
        let (_, scanned) = setup();
        let mut ds = vec![
            finding("TEAM001", "\"a\""),             // in the table: suppressed
            finding("TEAM005", "[teams.licensing]"), // header: suppressed, by name
            finding("TEAM003", "\"b\""),             // next element: suppressed
            finding("TEAM003", "\"c\""),             // not the next element
            finding("TEAM002", "\"c\""),             // trailing on its line
            finding("OWN003", "\"raj\""),            // key line, not expired
            finding("MODEL002", "\"project\""),      // trailing, no reason
            finding("NEED002", "\"best-value\""),    // expired: not suppressed
            finding("OWN003", "\"Apply\""),          // other key: not suppressed
        ];
        let metas = apply(
            &scanned,
            &mut ds,
            &lookup,
            Date::parse("2026-06-01").unwrap(),
        );
        let suppressed: Vec<bool> = ds.iter().map(|d| d.suppressed.is_some()).collect();
        assert_eq!(
            suppressed,
            [true, true, true, false, true, true, true, false, false]
        );
        let mut metas: Vec<String> = metas
            .iter()
            .map(|d| {
                format!(
                    "{} {} @{}",
                    d.code,
                    d.message,
                    d.span().map_or(0, |s| s.start)
                )
            })
            .collect();
        metas.sort();
        let deny = ORG.find("# orglint: deny").unwrap();
        let expired = ORG.find("# orglint: allow(NEED002)").unwrap();
        let no_reason = ORG.find("# orglint: allow(MODEL002)").unwrap();
        assert_eq!(
            metas,
            [
                format!(
                    "META001 malformed suppression: expected `allow(CODE, ...)` after `orglint:` @{deny}"
                ),
                format!("META002 suppression gives no reason @{no_reason}"),
                format!(
                    "META003 suppression expired on 2020-01-01 and no longer hides anything @{expired}"
                ),
            ]
        );
    }

    #[test]
    fn nested_scopes_all_count_as_used_and_the_innermost_reason_wins() {
        let text = "# orglint: allow(OWN003) -- table-wide\n[services.a]\nname = \"A\"\n\
                    # orglint: allow(OWN003) -- this key\nowner = \"raj\"\n\
                    # orglint: allow(OWN003) -- next key, nothing there\nfunding = \"project\"\n";
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new(
            "c.toml".into(),
            "c.toml".into(),
            text.into(),
        ));
        let scanned = scan_all(&sources);
        let owner = text.find("\"raj\"").unwrap();
        let name = text.find("\"A\"").unwrap();
        let mut ds = vec![
            Diagnostic::new("OWN003", "x", Severity::Warning, "m").at(Span::new(
                FileId(0),
                owner,
                owner + 5,
            )),
            Diagnostic::new("OWN003", "x", Severity::Warning, "m").at(Span::new(
                FileId(0),
                name,
                name + 3,
            )),
        ];
        let metas = apply(
            &scanned,
            &mut ds,
            &lookup,
            Date::parse("2026-06-01").unwrap(),
        );
        let reasons: Vec<Option<&str>> = ds
            .iter()
            .map(|d| d.suppressed.as_ref().map(|s| s.justification.as_str()))
            .collect();
        assert_eq!(reasons, [Some("this key"), Some("table-wide")]);
        let unused: Vec<usize> = metas
            .iter()
            .filter_map(|d| d.span())
            .map(|s| s.start as usize)
            .collect();
        let third =
            text.find("# orglint: allow(OWN003) -- next").unwrap() + "# orglint: allow(".len();
        assert_eq!(unused, [third]);
    }

    #[test]
    fn unused_and_unknown_codes_point_inside_the_comment() {
        let text = "[services.a] # orglint: allow(OWN003, NOPE001) -- reason\nname = \"A\"\n";
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new(
            "b.toml".into(),
            "b.toml".into(),
            text.into(),
        ));
        let scanned = scan_all(&sources);
        let metas = apply(
            &scanned,
            &mut [],
            &lookup,
            Date::parse("2026-06-01").unwrap(),
        );
        let got: Vec<(String, &str)> = metas
            .iter()
            .map(|d| (d.message.clone(), d.span().map_or("", |s| sources.slice(s))))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "unknown rule `NOPE001` in suppression".to_owned(),
                    "NOPE001"
                ),
                (
                    "suppression of `OWN003` matched no finding".to_owned(),
                    "OWN003"
                ),
            ]
        );
    }
}
