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
mod values;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::schema;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::FileDefs;
use crate::source::{FileId, Span};
use crate::suggest;

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
    pub fn new(file: FileId, text: &'t str, base: usize, broken: Broken) -> Self {
        Walker {
            file,
            broken,
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

    /// An entry on a broken line: its value is unknown, and not reported
    /// again.
    fn broken_entry(&self, entry: Entry<'_, '_>) -> bool {
        let (k, v) = entry;
        self.is_broken(k.span()) || self.is_broken(v.span())
    }

    /// The span that names a table: the whole `[kind.id]` header when it is
    /// one, else the key path (`people.bob` or `bob`).
    fn header_span(
        &self,
        parent_key: Option<std::ops::Range<usize>>,
        key: std::ops::Range<usize>,
        value: std::ops::Range<usize>,
    ) -> Span {
        let at = value.start + self.base;
        if self.text.as_bytes().get(at) == Some(&b'[') {
            return self.span(value);
        }
        if let Some(parent) = parent_key {
            let between = self
                .text
                .get(parent.end + self.base..key.start + self.base)
                .unwrap_or("\n");
            if parent.end <= key.start && !between.contains('\n') {
                return self.span(parent.start..key.end);
            }
        }
        self.span(key)
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
                    self.entities(name, key, value)
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
