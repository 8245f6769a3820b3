//! Baselines: adopting orglint on an organisation that already has findings.
//!
//! `--write-baseline FILE` records the current findings; `--baseline FILE`
//! then hides those and reports only new ones. A finding is identified by
//! its [`fingerprint`]: a hash of the rule code, the file path (relative to
//! the baseline file's directory), the entity kind and id, the key path and
//! the offending value (the source text under the primary span). It never
//! depends on line numbers or byte offsets, so edits elsewhere in a file do
//! not break the baseline.
//!
//! The file is JSON, pretty-printed and deterministic (entries sorted by
//! path, code, entity and fingerprint, not by line, so moved lines do not
//! churn it):
//!
//! ```json
//! {
//!   "version": 1,
//!   "entries": [
//!     {
//!       "code": "OWN001",
//!       "path": "services.toml",
//!       "entity": { "kind": "service", "id": "licensing-records-archive" },
//!       "fingerprint": "0123456789abcdef"
//!     }
//!   ]
//! }
//! ```
//!
//! The baseline is a multiset: each entry hides one occurrence. Suppressed
//! findings are never recorded, and neither is ORG008 (a file orglint cannot
//! read hides every problem in it, so like an inline suppression a baseline
//! cannot hide it).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, compare_paths};
use crate::report::Summary;
use crate::source::{FileId, SourceMap};

/// The version of the baseline file format this orglint reads and writes.
pub const VERSION: u64 = 1;

/// Codes a baseline never records or hides.
const NEVER_BASELINED: &[&str] = &["ORG008"];

/// Why a baseline could not be read or written (exit 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// The entity of an entry: its kind's machine-readable name and its id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityEntry {
    pub kind: String,
    pub id: String,
}

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    /// Relative to the baseline file's directory, `/`-separated; `null` for
    /// findings without a location.
    pub path: Option<String>,
    pub entity: Option<EntityEntry>,
    /// [`fingerprint`]: 16 lowercase hexadecimal digits.
    pub fingerprint: String,
}

impl Entry {
    fn order(&self, other: &Entry) -> Ordering {
        let path = match (&self.path, &other.path) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(a), Some(b)) => compare_paths(a, b),
        };
        path.then_with(|| self.code.cmp(&other.code))
            .then_with(|| self.entity.cmp(&other.entity))
            .then_with(|| self.fingerprint.cmp(&other.fingerprint))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u64,
    entries: Vec<Entry>,
}

/// A set of recorded findings (a multiset: an entry may repeat).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    pub entries: Vec<Entry>,
}

impl Baseline {
    /// Parses the text of a baseline file.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        // The version first, so that a file of another version gets a
        // message about its version rather than about its shape.
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let Some(object) = value.as_object() else {
            return Err("expected a JSON object with `version` and `entries`".to_owned());
        };
        match object.get("version") {
            None => return Err("no `version` field".to_owned()),
            Some(v) if v.as_u64() == Some(VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "version {v} is not supported (this orglint reads version {VERSION})"
                ));
            }
        }
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        for (i, entry) in file.entries.iter().enumerate() {
            if !is_fingerprint(&entry.fingerprint) {
                return Err(format!(
                    "entry {} has fingerprint `{}`: expected 16 lowercase hexadecimal digits",
                    i + 1,
                    entry.fingerprint
                ));
            }
            if entry.code.is_empty() {
                return Err(format!("entry {} has an empty `code`", i + 1));
            }
        }
        Ok(Baseline {
            entries: file.entries,
        })
    }

    /// Reads a baseline file.
    pub fn read(file: &Path) -> Result<Baseline, Error> {
        let shown = show(file);
        let text = std::fs::read_to_string(file).map_err(|e| {
            Error(format!(
                "cannot read baseline `{shown}`: {e}; record one with `--write-baseline {shown}`"
            ))
        })?;
        Baseline::parse(&text).map_err(|e| Error(format!("invalid baseline `{shown}`: {e}")))
    }

    /// Records every unsuppressed finding (ORG008 aside), with paths relative
    /// to `dir`.
    pub fn record(diagnostics: &[Diagnostic], sources: &SourceMap, dir: &Path) -> Baseline {
        let mut paths = RelativePaths::new(dir);
        let mut entries: Vec<Entry> = diagnostics
            .iter()
            .filter_map(|d| entry(d, sources, &mut paths))
            .collect();
        entries.sort_by(Entry::order);
        Baseline { entries }
    }

    /// The file's text: pretty-printed JSON and a final newline.
    pub fn to_json(&self) -> String {
        let file = BaselineFile {
            version: VERSION,
            entries: self.entries.clone(),
        };
        // Serialising plain strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Hides the diagnostics this baseline records (one per entry), and
    /// returns how many were hidden and how many entries matched nothing.
    /// Paths are taken relative to `dir`, the baseline file's directory.
    pub fn apply(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        sources: &SourceMap,
        dir: &Path,
    ) -> Applied {
        let mut remaining: HashMap<&Entry, usize> = HashMap::new();
        for e in &self.entries {
            *remaining.entry(e).or_default() += 1;
        }
        let mut paths = RelativePaths::new(dir);
        let hide: Vec<bool> = diagnostics
            .iter()
            .map(|d| {
                let Some(entry) = entry(d, sources, &mut paths) else {
                    return false;
                };
                match remaining.get_mut(&entry) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        true
                    }
                    _ => false,
                }
            })
            .collect();
        let hidden = hide.iter().filter(|h| **h).count();
        let mut hide = hide.into_iter();
        diagnostics.retain(|_| !hide.next().unwrap_or(false));
        Applied {
            hidden,
            unmatched: remaining.values().sum(),
        }
    }
}

/// What [`Baseline::apply`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings hidden.
    pub hidden: usize,
    /// Entries that matched no finding (fixed, or changed).
    pub unmatched: usize,
}

/// The summary note about entries that no longer match, if any.
pub fn unmatched_note(unmatched: usize) -> Option<String> {
    match unmatched {
        0 => None,
        1 => Some(
            "1 baseline entry no longer matches: the baseline can be pruned with --write-baseline"
                .to_owned(),
        ),
        n => Some(format!(
            "{n} baseline entries no longer match: the baseline can be pruned with --write-baseline"
        )),
    }
}

/// The baseline work of one `check` run: `--baseline` (read before the
/// run, so that a missing or invalid file stops it early) and
/// `--write-baseline`.
#[derive(Debug, Default)]
pub struct Plan {
    compare: Option<(PathBuf, Baseline)>,
    write: Option<PathBuf>,
}

impl Plan {
    /// Reads the `--baseline` file, if any.
    pub fn new(baseline: Option<&Path>, write: Option<&Path>) -> Result<Plan, Error> {
        let compare = match baseline {
            Some(file) => Some((file.to_path_buf(), Baseline::read(file)?)),
            None => None,
        };
        Ok(Plan {
            compare,
            write: write.map(Path::to_path_buf),
        })
    }

    /// Whether the run writes a baseline (and so exits 0).
    pub fn writes(&self) -> bool {
        self.write.is_some()
    }

    /// Between the engine and the reporters: hides the baselined findings
    /// (counted in `summary.baselined`), notes stale entries, then writes
    /// the new baseline from every current finding, hidden ones included.
    pub fn run(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        sources: &SourceMap,
        summary: &mut Summary,
    ) -> Result<(), Error> {
        let recorded = match &self.write {
            Some(file) => {
                let dir = prepare_dir(file)?;
                Some((file, Baseline::record(diagnostics, sources, &dir)))
            }
            None => None,
        };
        if let Some((file, baseline)) = &self.compare {
            let applied = baseline.apply(diagnostics, sources, &base_dir(file));
            summary.baselined += applied.hidden;
            summary.notes.extend(unmatched_note(applied.unmatched));
        }
        if let Some((file, baseline)) = recorded {
            std::fs::write(file, baseline.to_json())
                .map_err(|e| Error(format!("cannot write baseline `{}`: {e}", show(file))))?;
            let n = baseline.entries.len();
            summary.notes.push(format!(
                "wrote {n} baseline {} to `{}`",
                if n == 1 { "entry" } else { "entries" },
                show(file)
            ));
        }
        Ok(())
    }
}

/// Creates the directory of a baseline file about to be written, and
/// returns it in absolute form.
fn prepare_dir(file: &Path) -> Result<PathBuf, Error> {
    let parent = parent(file);
    std::fs::create_dir_all(&parent).map_err(|e| {
        Error(format!(
            "cannot write baseline `{}`: cannot create `{}`: {e}",
            show(file),
            show(&parent)
        ))
    })?;
    Ok(absolute(&parent))
}

/// The absolute directory that paths in a baseline file are relative to.
pub fn base_dir(file: &Path) -> PathBuf {
    absolute(&parent(file))
}

fn parent(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The baseline entry of a diagnostic; `None` when it is not baselined.
fn entry(d: &Diagnostic, sources: &SourceMap, paths: &mut RelativePaths) -> Option<Entry> {
    if d.suppressed.is_some() || NEVER_BASELINED.contains(&&*d.code) {
        return None;
    }
    let path = d.span().and_then(|s| paths.get(sources, s.file));
    Some(Entry {
        code: d.code.to_string(),
        fingerprint: fingerprint(d, sources, path.as_deref().unwrap_or("")),
        path,
        entity: d.entity.as_ref().map(|e| EntityEntry {
            kind: e.kind.key().to_owned(),
            id: e.id.clone(),
        }),
    })
}

/// A finding's fingerprint: FNV-1a 64 as 16 lowercase hex digits, over the
/// rule code, `path` (as the caller wants it shown: relative to the baseline
/// file, or to the repository for SARIF), the entity kind and id, the key
/// path and the offending value (the source text under the primary span,
/// with CRLF read as LF). Lines and offsets never enter it.
pub fn fingerprint(d: &Diagnostic, sources: &SourceMap, path: &str) -> String {
    let mut h = Fnv1a::new();
    h.field(Some(&*d.code));
    h.field(Some(path));
    h.field(d.entity.as_ref().map(|e| e.kind.key()));
    h.field(d.entity.as_ref().map(|e| e.id.as_str()));
    h.field(d.key.as_deref());
    let value = d.span().map(|s| sources.slice(s).replace("\r\n", "\n"));
    h.field(value.as_deref());
    format!("{:016x}", h.0)
}

fn is_fingerprint(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The 64-bit FNV-1a hash.
struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Self {
        Fnv1a(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// One field: a presence byte, the text, and 0xFF (never in UTF-8) as
    /// the terminator, so that no two field lists hash the same input.
    fn field(&mut self, value: Option<&str>) {
        match value {
            Some(s) => {
                self.write(&[1]);
                self.write(s.as_bytes());
            }
            None => self.write(&[0]),
        }
        self.write(&[0xff]);
    }
}

/// Paths of source files relative to a baseline's directory, computed once
/// per file.
struct RelativePaths {
    dir: PathBuf,
    cache: HashMap<FileId, Option<String>>,
}

impl RelativePaths {
    fn new(dir: &Path) -> Self {
        RelativePaths {
            dir: dir.to_path_buf(),
            cache: HashMap::new(),
        }
    }

    fn get(&mut self, sources: &SourceMap, file: FileId) -> Option<String> {
        let dir = &self.dir;
        self.cache
            .entry(file)
            .or_insert_with(|| {
                let source = sources.get(file)?;
                Some(relative(dir, &absolute(&source.path)))
            })
            .clone()
    }
}

/// The real absolute path (symlinks resolved) when the path exists, else
/// the lexically normalised absolute path.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `target` relative to the directory `base` (both absolute), with `/`
/// separators and `..` where needed; `target` itself when the two share no
/// root (another drive).
fn relative(base: &Path, target: &Path) -> String {
    let base: Vec<Component> = base.components().collect();
    let target: Vec<Component> = target.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return show(&target.iter().collect::<PathBuf>());
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// A path as shown in messages and baseline files: `/` separators.
fn show(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{EntityKind, Severity, Suppressed};
    use crate::source::{SourceFile, Span};

    fn sources(text: &str) -> SourceMap {
        let mut s = SourceMap::new();
        s.add(SourceFile::new(
            "/org/teams.toml".into(),
            "teams.toml".into(),
            text.into(),
        ));
        s
    }

    fn at(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap_or(0);
        Span::new(FileId(0), start, start + needle.len())
    }

    fn finding(text: &str, needle: &str) -> Diagnostic {
        Diagnostic::new("ORG001", "unknown-reference", Severity::Error, "x")
            .at(at(text, needle))
            .entity(EntityKind::Team, "core")
            .key("lead")
    }

    #[test]
    fn fnv1a_known_values() {
        let mut h = Fnv1a::new();
        assert_eq!(h.0, 0xcbf29ce484222325);
        h.write(b"a");
        assert_eq!(h.0, 0xaf63dc4c8601ec8c);
        let mut h = Fnv1a::new();
        h.write(b"foobar");
        assert_eq!(h.0, 0x85944171f73967e8);
    }

    #[test]
    fn fingerprint_ignores_lines_and_line_ends() {
        let a = "[teams.core]\nlead = \"ghost\"\n";
        let b = "# moved\r\n\r\n[teams.core]\r\nname = \"Core\"\r\nlead = \"ghost\"\r\n";
        let fa = fingerprint(&finding(a, "\"ghost\""), &sources(a), "teams.toml");
        let fb = fingerprint(&finding(b, "\"ghost\""), &sources(b), "teams.toml");
        assert_eq!(fa, fb);
        assert!(is_fingerprint(&fa), "{fa}");
    }

    #[test]
    fn fingerprint_depends_on_each_field() {
        let text = "[teams.core]\nlead = \"ghost\"\nowner = \"ghost\"\nx = \"other\"\n";
        let s = sources(text);
        let base = finding(text, "\"ghost\"");
        let f = |d: &Diagnostic, p: &str| fingerprint(d, &s, p);
        let reference = f(&base, "teams.toml");
        let mut other_code = base.clone();
        other_code.code = "ORG002".into();
        let other_entity = base.clone().entity(EntityKind::Service, "core");
        let other_id = base.clone().entity(EntityKind::Team, "core2");
        let other_key = base.clone().key("owner");
        let no_key = Diagnostic {
            key: None,
            ..base.clone()
        };
        let other_value = base.clone().at(at(text, "\"other\""));
        let no_span = Diagnostic {
            primary: None,
            ..base.clone()
        };
        let all = [
            f(&other_code, "teams.toml"),
            f(&base, "teams2.toml"),
            f(&other_entity, "teams.toml"),
            f(&other_id, "teams.toml"),
            f(&other_key, "teams.toml"),
            f(&no_key, "teams.toml"),
            f(&other_value, "teams.toml"),
            f(&no_span, "teams.toml"),
        ];
        for (i, other) in all.iter().enumerate() {
            assert_ne!(&reference, other, "variant {i}");
        }
        // The same value at another place is the same finding.
        let second = base.clone().at(Span::new(
            FileId(0),
            text.rfind("\"ghost\"").unwrap_or(0),
            text.rfind("\"ghost\"").unwrap_or(0) + 7,
        ));
        assert_eq!(reference, f(&second, "teams.toml"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/b/c/d.toml")),
            "c/d.toml"
        );
        assert_eq!(
            relative(Path::new("/a/b"), Path::new("/a/c/d.toml")),
            "../c/d.toml"
        );
        assert_eq!(relative(Path::new("/"), Path::new("/x.toml")), "x.toml");
    }

    #[test]
    fn record_apply_multiset_and_round_trip() {
        let text = "[teams.core]\nlead = \"ghost\"\n";
        let s = sources(text);
        let d = finding(text, "\"ghost\"");
        let mut suppressed = d.clone();
        suppressed.suppressed = Some(Suppressed {
            justification: "x".into(),
        });
        let mut invalid = d.clone();
        invalid.code = "ORG008".into();
        let dir = Path::new("/org");
        let baseline = Baseline::record(&[d.clone(), suppressed.clone(), invalid.clone()], &s, dir);
        assert_eq!(baseline.entries.len(), 1);
        assert_eq!(baseline.entries[0].path.as_deref(), Some("teams.toml"));
        let parsed = Baseline::parse(&baseline.to_json()).unwrap();
        assert_eq!(parsed, baseline);

        let mut ds = vec![d.clone(), d.clone(), suppressed, invalid];
        let applied = parsed.apply(&mut ds, &s, dir);
        assert_eq!(
            applied,
            Applied {
                hidden: 1,
                unmatched: 0
            }
        );
        assert_eq!(ds.len(), 3);

        let mut none = Vec::new();
        assert_eq!(parsed.apply(&mut none, &s, dir).unmatched, 1);
    }

    #[test]
    fn parse_errors() {
        assert!(Baseline::parse("").is_err());
        assert!(Baseline::parse("[]").is_err());
        assert!(
            Baseline::parse("{\"entries\": []}")
                .unwrap_err()
                .contains("version")
        );
        let v2 = Baseline::parse("{\"version\": 2, \"entries\": 3}").unwrap_err();
        assert!(v2.contains("version 2 is not supported"), "{v2}");
        let bad = r#"{"version": 1, "entries": [{"code": "X", "path": null, "entity": null, "fingerprint": "zz"}]}"#;
        assert!(Baseline::parse(bad).unwrap_err().contains("entry 1"));
        let ok = r#"{"version": 1, "entries": [{"code": "X", "path": "a.toml", "entity": {"kind": "team", "id": "a"}, "fingerprint": "0123456789abcdef"}]}"#;
        assert_eq!(Baseline::parse(ok).map(|b| b.entries.len()), Ok(1));
    }

    #[test]
    fn notes() {
        assert_eq!(unmatched_note(0), None);
        assert_eq!(
            unmatched_note(3).as_deref(),
            Some(
                "3 baseline entries no longer match: the baseline can be pruned with --write-baseline"
            )
        );
        assert!(
            unmatched_note(1).is_some_and(|n| n.starts_with("1 baseline entry no longer matches"))
        );
    }
}
