//! From a spanned TOML tree to one file's definitions, checking every key,
//! type, enumeration and id against [`super::schema`]. Each problem is an
//! ORG008 at the exact span; the walk always goes on.
//!
//! This module holds the [`Walker`], its span and reporting helpers, the
//! [`Broken`] lines of a file and the top-level dispatch of a document.
//! [`values`] reads typed values (strings, ids, enumerations, lists) and
//! [`entities`] reads the tables that hold them (the organisation, posts,
//! accountabilities, and each kind of entity).

mod entities;
mod redefined;
mod values;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::schema;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::FileDefs;
use crate::source::{FileId, Span};
use crate::suggest;

pub(crate) use redefined::Redefined;

/// An ORG008 diagnostic.
pub fn invalid(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new("ORG008", "invalid-file", Severity::Error, message).at(span)
}

type Entry<'a, 'i> = (
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
);

/// The lines of a file that do not parse. The parser recovers from syntax
/// errors and what it recovered is still read, but a value on such a line
/// is unknown: it was already reported as invalid TOML, so it is neither
/// checked again nor used (decisions.md 3, one root cause, one diagnostic).
#[derive(Debug, Default)]
pub(crate) struct Broken {
    /// Offsets of the file's newlines (only when some line is broken).
    newlines: Vec<usize>,
    /// Merged, sorted ranges of broken lines (0-based, inclusive).
    lines: Vec<(usize, usize)>,
}

impl Broken {
    pub fn new(text: &str, errors: &[Span]) -> Broken {
        if errors.is_empty() {
            return Broken::default();
        }
        let newlines: Vec<usize> = text
            .bytes()
            .enumerate()
            .filter_map(|(i, b)| (b == b'\n').then_some(i))
            .collect();
        let mut b = Broken {
            newlines,
            lines: Vec::new(),
        };
        let mut lines: Vec<(usize, usize)> = errors
            .iter()
            .map(|s| (b.line(s.start as usize), b.line(s.end as usize)))
            .collect();
        lines.sort_unstable();
        for (first, last) in lines {
            match b.lines.last_mut() {
                Some(prev) if first <= prev.1 + 1 => prev.1 = prev.1.max(last),
                _ => b.lines.push((first, last)),
            }
        }
        b
    }

    fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset)
    }

    /// Whether the byte range (in file offsets) touches a broken line.
    pub fn touches(&self, start: usize, end: usize) -> bool {
        if self.lines.is_empty() {
            return false;
        }
        let (first, last) = (self.line(start), self.line(end));
        let i = self.lines.partition_point(|&(_, b)| b < first);
        self.lines.get(i).is_some_and(|&(a, _)| a <= last)
    }
}

pub(crate) struct Walker<'t> {
    file: FileId,
    broken: Broken,
    redefined: Redefined,
    /// The whole file text (BOM included).
    text: &'t str,
    /// Offset of the parsed text in the file (the BOM's length).
    base: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub defs: FileDefs,
}

/// The dotted name of a table in messages (`people.bob`), formatted only
/// when a message needs it.
#[derive(Clone, Copy)]
struct Name<'a>(&'a str, Option<&'a str>);

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 {
            Some(id) => write!(f, "{}.{id}", self.0),
            None => f.write_str(self.0),
        }
    }
}

fn article(type_str: &str) -> &'static str {
    match type_str {
        "string" => "a string",
        "integer" => "an integer",
        "float" => "a float",
        "boolean" => "a boolean",
        "datetime" => "a datetime",
        "array" => "an array",
        "table" => "a table",
        _ => "a value",
    }
}

impl<'t> Walker<'t> {
    pub fn new(
        file: FileId,
        text: &'t str,
        base: usize,
        broken: Broken,
        redefined: Redefined,
    ) -> Self {
        Walker {
            file,
            broken,
            redefined,
            text,
            base,
            diagnostics: Vec::new(),
            defs: FileDefs::default(),
        }
    }

    fn span(&self, r: std::ops::Range<usize>) -> Span {
        Span::new(self.file, r.start + self.base, r.end + self.base)
    }

    fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Whether a parsed range lies on a line that does not parse.
    fn is_broken(&self, r: std::ops::Range<usize>) -> bool {
        self.broken.touches(r.start + self.base, r.end + self.base)
    }

    /// A key written in the body of a table defined a second time in the
    /// file: not read (decisions.md 2, the model keeps the first definition).
    fn dropped(&self, key: &Spanned<std::borrow::Cow<'_, str>>) -> bool {
        self.redefined.dropped(&key.span())
    }

    /// A table that exists only through a second definition whose first
    /// was not a table (`bob = "x"`, then `[people.bob]`): the parser kept
    /// the second, but the model keeps the first, which is no table.
    fn only_redefined(&self, value: &Spanned<DeValue<'_>>) -> bool {
        let DeValue::Table(table) = value.get_ref() else {
            return false;
        };
        self.redefined.first_header(&value.span()) == Some(None)
            && table.iter().all(|(k, _)| self.dropped(k))
    }

    /// An entry on a broken line: its value is unknown, and not reported
    /// again.
    fn broken_entry(&self, entry: Entry<'_, '_>) -> bool {
        let (k, v) = entry;
        self.is_broken(k.span()) || self.is_broken(v.span())
    }

    /// The span that names a table: the whole `[kind.id]` header when it is
    /// one, else the key path as written on the key's line (`people.bob`,
    /// `people . bob`, or `bob` under a `[people]` header): decisions.md 18.
    fn header_span(&self, key: std::ops::Range<usize>, value: std::ops::Range<usize>) -> Span {
        let at = value.start + self.base;
        if self.text.as_bytes().get(at) == Some(&b'[') {
            // A table defined again is named by its first header (by the
            // second when it was first defined by keys).
            if let Some(first) = self.redefined.first_header(&value).flatten() {
                return self.span(first);
            }
            // After an unclosed header the parser may start this table's
            // span there: it never starts before the line of its own key.
            let key_at = key.start + self.base;
            let line = self
                .text
                .get(..key_at)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |n| n + 1);
            let start = (value.start + self.base).max(line);
            let start = self.text.get(start..).map_or(start, |rest| {
                start + (rest.len() - rest.trim_start_matches([' ', '\t']).len())
            });
            return Span::new(self.file, start, value.end + self.base);
        }
        let start = dotted_path_start(self.text.as_bytes(), key.start + self.base);
        Span::new(self.file, start, key.end + self.base)
    }

    fn type_error(&mut self, value: &Spanned<DeValue<'_>>, expected: &str, key: &str) {
        if let DeValue::Integer(i) = value.get_ref()
            && !fits_i64(i.as_str(), i.radix())
        {
            self.report(
                invalid(
                    self.span(value.span()),
                    format!(
                        "invalid TOML: integer `{}` does not fit in 64 bits",
                        i.as_str()
                    ),
                )
                .key(key.to_owned()),
            );
            return;
        }
        let found = article(value.get_ref().type_str());
        self.report(
            invalid(
                self.span(value.span()),
                format!("`{key}` must be {expected}, found {found}"),
            )
            .key(key.to_owned()),
        );
    }

    /// Walks the document root.
    pub fn document(&mut self, root: &DeTable<'_>) {
        for (key, value) in root.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "organisation" => self.organisation(key, value),
                "posts" => self.assignments(key, value, false),
                "accountabilities" => self.assignments(key, value, true),
                "people" | "teams" | "services" | "governance" | "suppliers" | "roles" => {
                    self.entities(name, value)
                }
                _ => {
                    let mut d = invalid(
                        self.span(key.span()),
                        format!("unknown top-level table `{name}`"),
                    );
                    d = d.help(
                        suggest::help(name, schema::TOP_LEVEL.iter().copied()).unwrap_or_else(
                            || {
                                format!(
                                    "an org file holds only {}",
                                    suggest::one_of(schema::TOP_LEVEL)
                                )
                            },
                        ),
                    );
                    self.report(d);
                }
            }
        }
        // Tables come out of the parser in key order; the model wants file
        // order. `sort_by_cached_key` sorts (key, index) pairs and then moves
        // each entity once, where a plain sort moved these large structs
        // log(n) times (5% of all instructions at 17k people).
        let defs = &mut self.defs;
        defs.people.sort_by_cached_key(|e| e.header.start);
        defs.teams.sort_by_cached_key(|e| e.header.start);
        defs.services.sort_by_cached_key(|e| e.header.start);
        defs.bodies.sort_by_cached_key(|e| e.header.start);
        defs.suppliers.sort_by_cached_key(|e| e.header.start);
        defs.roles.sort_by_cached_key(|e| e.header.start);
        defs.posts.sort_by_cached_key(|e| e.key.start);
        defs.accountabilities.sort_by_cached_key(|e| e.key.start);
    }

    fn expect_table<'a, 'i>(
        &mut self,
        what: Name<'_>,
        value: &'a Spanned<DeValue<'i>>,
    ) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            // On a line that does not parse: already reported.
            _ if self.is_broken(value.span()) => None,
            other => {
                let found = article(other.type_str());
                self.report(invalid(
                    self.span(value.span()),
                    format!("`{what}` must be a table, found {found}"),
                ));
                None
            }
        }
    }
}

/// Whether a TOML integer literal fits a signed 64-bit integer (TOML
/// requires it to).
fn fits_i64(literal: &str, radix: u32) -> bool {
    let digits: String = literal.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(d) => (true, d.to_owned()),
        None => (false, digits.trim_start_matches('+').to_owned()),
    };
    let digits = if radix == 10 {
        digits.as_str()
    } else {
        digits.get(2..).unwrap_or("")
    };
    let value = if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    i64::from_str_radix(&value, radix).is_ok()
}

/// Where the dotted key path that ends with the key at `start` begins on its
/// line: `people` for `bob` in `people . bob.name = ...`. Walks back over
/// `.`-separated bare or quoted keys; stops at anything else.
fn dotted_path_start(bytes: &[u8], start: usize) -> usize {
    let blank = |i: usize| i > 0 && matches!(bytes.get(i - 1), Some(b' ' | b'\t'));
    let mut at = start;
    loop {
        let mut i = at;
        while blank(i) {
            i -= 1;
        }
        if i == 0 || bytes.get(i - 1) != Some(&b'.') {
            return at;
        }
        i -= 1;
        while blank(i) {
            i -= 1;
        }
        let end = i;
        match end.checked_sub(1).and_then(|q| Some((q, *bytes.get(q)?))) {
            Some((close, quote @ (b'"' | b'\''))) => {
                // The opening quote, on the same line.
                let mut j = close;
                let open = loop {
                    let Some(prev) = j.checked_sub(1) else {
                        break None;
                    };
                    j = prev;
                    match bytes.get(j) {
                        None | Some(b'\n') => break None,
                        Some(&c) if c == quote && (quote == b'\'' || !escaped(bytes, j)) => {
                            break Some(j);
                        }
                        _ => {}
                    }
                };
                let Some(open) = open else { return at };
                i = open;
            }
            _ => {
                let bare = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-');
                while i > 0 && bytes.get(i - 1).is_some_and(bare) {
                    i -= 1;
                }
                if i == end {
                    return at;
                }
            }
        }
        at = i;
    }
}

/// Whether the byte at `i` follows an odd number of backslashes.
fn escaped(bytes: &[u8], i: usize) -> bool {
    let mut n = 0;
    while i > n && bytes.get(i - n - 1) == Some(&b'\\') {
        n += 1;
    }
    n % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::dotted_path_start;
    use crate::load::load_text;
    use crate::source::FileId;

    #[test]
    fn dotted_paths_are_walked_back_on_their_line() {
        let start = |text: &str, key: &str| {
            let at = text.rfind(key).unwrap_or(0);
            text.get(dotted_path_start(text.as_bytes(), at)..at + key.len())
                .map(str::to_owned)
        };
        assert_eq!(
            start("people.bob = 1", "bob").as_deref(),
            Some("people.bob")
        );
        assert_eq!(
            start("x = 1\n people . bob . name = 1", "bob").as_deref(),
            Some("people . bob")
        );
        assert_eq!(start("bob.name = 1", "bob").as_deref(), Some("bob"));
        assert_eq!(
            start(r#""peo\"ple".'b' = 1"#, "'b'").as_deref(),
            Some(r#""peo\"ple".'b'"#)
        );
        // Not a key path: stops at once, and never looks past the line.
        assert_eq!(start("x = { a.b = 1 }", "b").as_deref(), Some("a.b"));
        assert_eq!(start("x\nopen\".b = 1", "b").as_deref(), Some("b"));
        assert_eq!(start(".b = 1", "b").as_deref(), Some("b"));
        assert_eq!(start("a\n.b = 1", "b").as_deref(), Some("b"));
    }

    #[test]
    fn a_table_defined_twice_in_one_file_keeps_its_first_definition() {
        let text = r#"[services.s]
name = "S"

[services.s]
owner = "amara"

[people.zed]
name = "Z"
role = "tester"

[people.zed]
name = "Z2"
reports-to = "ghost"

[people]
bob = { name = "B", role = "tester" }

[people]
eve = { name = "E", role = "tester" }
"#;
        let (defs, diagnostics) = load_text(FileId(0), text);
        let codes: Vec<(&str, &str)> = diagnostics
            .iter()
            .map(|d| (&*d.code, d.message.as_str()))
            .collect();
        // Only the parser's findings: nothing read from the second bodies.
        assert!(
            codes.iter().all(|(_, m)| m.starts_with("invalid TOML")),
            "{codes:?}"
        );
        let header = |span: crate::source::Span| text.get(span.range()).unwrap_or("");
        let [s] = defs.services.as_slice() else {
            panic!("one service: {:?}", defs.services);
        };
        assert!(s.owner.is_none(), "the second body's owner is dropped");
        assert_eq!(s.header.start, 0);
        let people: Vec<(&str, &str, u32)> = defs
            .people
            .iter()
            .map(|p| (p.id.as_str(), header(p.header), p.header.start))
            .collect();
        let zed = text.find("[people.zed]").unwrap_or(0) as u32;
        assert_eq!(people.len(), 2, "{people:?}");
        assert!(people.contains(&("zed", "[people.zed]", zed)), "{people:?}");
        assert!(people.iter().any(|p| p.0 == "bob"), "{people:?}");
        let zed = defs.people.iter().find(|p| p.id == "zed");
        assert!(zed.is_some_and(|p| p.reports_to.is_none()));
        let name = zed.and_then(|p| p.name.as_ref()?.value.as_deref());
        assert_eq!(name, Some("Z"));
    }

    #[test]
    fn second_definitions_never_stand_in_for_the_first() {
        let findings = |text: &str| {
            let (defs, diagnostics) = load_text(FileId(0), text);
            let ids: Vec<String> = defs.people.iter().map(|p| p.id.to_string()).collect();
            let messages: Vec<String> = diagnostics.iter().map(|d| d.message.clone()).collect();
            (ids, messages)
        };
        // First defined as a string: no table to keep.
        let (ids, _) = findings("[people]\nbob = \"x\"\n[people.bob]\nname = \"B\"\n");
        assert!(ids.is_empty(), "{ids:?}");
        // The first definition misses `name`; the second's does not count.
        let (ids, messages) =
            findings("[people.zed]\nrole = \"tester\"\n[people.zed]\nname = \"Z\"\n");
        assert_eq!(ids, ["zed"]);
        assert!(
            messages.contains(&"`people.zed` is missing the required key `name`".to_owned()),
            "{messages:?}"
        );
        // The same key spelt otherwise is the same table.
        let text =
            "[people.\"q\"]\nname = \"Q\"\nrole = \"tester\"\n[people.q]\nreports-to = \"x\"\n";
        let (defs, _) = load_text(FileId(0), text);
        let q = defs.people.first();
        assert_eq!(q.map(|p| p.header.start), Some(0));
        assert!(q.is_some_and(|p| p.reports_to.is_none()));
    }

    #[test]
    fn a_broken_line_gives_the_parsers_error_only() {
        let messages = |text: &str| -> Vec<String> {
            let (_, diagnostics) = load_text(FileId(0), text);
            diagnostics.iter().map(|d| d.message.clone()).collect()
        };
        let only_toml = |text: &str| {
            let found = messages(text);
            assert!(
                found.iter().all(|m| m.starts_with("invalid TOML")),
                "{text:?}: {found:?}"
            );
            found.len()
        };
        // An empty key: not also "not a valid id".
        assert_eq!(only_toml("[people.]\nname = \"D\"\n"), 1);
        // A line the parser recovers as an array: not also "must be a table".
        only_toml(
            "[people.carl]\nname = \"C\"\nrole = \"tester\"\n[[[\n[people.dan]\nname = \"D\"\nrole = \"tester\"\n",
        );
        // A key repeated in a second definition: one error, at its header.
        let text = "[people.b]\nname = \"B\"\nrole = \"tester\"\n[people.b]\nname = \"B\"\n";
        assert_eq!(only_toml(text), 1);
        // After an unclosed header, the next table is named by its own.
        let text = "[people.carl\nname = \"C\"\n\n[people.dan]\nname = \"D\"\nrole = \"tester\"\n";
        let (defs, _) = load_text(FileId(0), text);
        let dan = defs.people.iter().find(|p| p.id == "dan");
        let header = dan.and_then(|p| text.get(p.header.range()));
        assert_eq!(header, Some("[people.dan]"));
    }

    #[test]
    fn entity_headers_are_the_key_path_for_dotted_keys_and_inline_tables() {
        let headers = |text: &str| {
            let (defs, diagnostics) = load_text(FileId(0), text);
            assert!(
                diagnostics
                    .iter()
                    .all(|d| !d.message.starts_with("invalid TOML")),
                "{diagnostics:?}"
            );
            let header =
                |span: crate::source::Span| text.get(span.range()).unwrap_or("").to_owned();
            let services: Vec<String> = defs.services.iter().map(|s| header(s.header)).collect();
            let people: Vec<String> = defs.people.iter().map(|p| header(p.header)).collect();
            (services, people)
        };
        let text = "services.s1 = { name = \"x\" }\nservices.s2.name = \"x\"\nservices.s2.owner = \"p\"\npeople . carl . name = \"C\"\n";
        assert_eq!(
            headers(text),
            (
                vec!["services.s1".to_owned(), "services.s2".to_owned()],
                vec!["people . carl".to_owned()]
            )
        );
        let text = "[people]\nbob = { name = \"B\" }\n";
        assert_eq!(headers(text), (vec![], vec!["bob".to_owned()]));
    }
}
