//! Tables defined twice in one file. That is invalid TOML (the parser reports
//! `duplicate key` at the second header), and the model keeps the first
//! definition (decisions.md 2). The parser merges the two tables, so the
//! walker drops every key written in the second one's body, and names the
//! table by its first header.
//!
//! Linear in the file: one pass of the lexer over it (only when the parser
//! reported a duplicate), and lookups by binary search.

use std::collections::HashMap;
use std::ops::Range;

use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// The second definitions of a file (offsets in the parsed text).
#[derive(Debug, Default)]
pub(crate) struct Redefined {
    /// Per second definition, in file order: its header, the end of its
    /// body (the next header, or the end of the file), and the first header
    /// with the same key path, when the table was first defined by a header.
    seconds: Vec<Second>,
}

#[derive(Debug)]
struct Second {
    header: Range<usize>,
    end: usize,
    first: Option<Range<usize>>,
}

impl Redefined {
    /// `duplicates`: where the parser reported `duplicate key`. Those inside
    /// a table header are second definitions; the others (a key repeated in
    /// a body) are left to the broken-line handling.
    pub fn new(text: &str, duplicates: &[Range<usize>]) -> Redefined {
        if duplicates.is_empty() {
            return Redefined::default();
        }
        let mut starts: Vec<usize> = duplicates.iter().map(|d| d.start).collect();
        starts.sort_unstable();
        let headers = headers(text);
        let mut first_of: HashMap<String, Range<usize>> = HashMap::new();
        let mut found = Redefined::default();
        for (i, header) in headers.iter().enumerate() {
            let path = key_path(text, header);
            let at = starts.partition_point(|&s| s < header.start);
            let is_second = starts.get(at).is_some_and(|&s| s < header.end);
            if !is_second {
                first_of.entry(path).or_insert_with(|| header.clone());
                continue;
            }
            found.seconds.push(Second {
                header: header.clone(),
                end: headers.get(i + 1).map_or(text.len(), |h| h.start),
                first: first_of.get(&path).cloned(),
            });
        }
        found
    }

    /// The second definition whose header or body holds `at`.
    fn at(&self, at: usize) -> Option<&Second> {
        let i = self.seconds.partition_point(|s| s.header.start <= at);
        let second = self.seconds.get(i.checked_sub(1)?)?;
        (at < second.end).then_some(second)
    }

    /// Whether `at` lies in the header of a second definition.
    pub fn in_second_header(&self, at: usize) -> bool {
        self.at(at).is_some_and(|s| at < s.header.end)
    }

    /// Whether a key at `key` (parsed offsets) was written in the body of a
    /// second definition: such keys are not read.
    pub fn dropped(&self, key: &Range<usize>) -> bool {
        self.at(key.start)
            .is_some_and(|s| s.header.end <= key.start)
    }

    /// For a table whose header `header` defines it again: its first header
    /// (`Some(Some(..))`), or `Some(None)` when it was first defined by keys
    /// (`bob = ...`, `bob.name = ...`); `None` for any other header.
    pub fn first_header(&self, header: &Range<usize>) -> Option<Option<Range<usize>>> {
        // By start: the parser's span of a broken header (`[a.b]]`) may
        // end elsewhere than the lexer's.
        self.at(header.start)
            .filter(|s| s.header.start == header.start)
            .map(|s| s.first.clone())
    }
}

/// Every table header (`[a.b]`, `[[a.b]]`): from its first `[` to its last
/// `]`, in file order. Headers are the `[` that start a line outside any
/// value; the lexer keeps strings (multi-line ones too) whole.
fn headers(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut line_first = true;
    let mut open: Option<Range<usize>> = None;
    for token in Source::new(text).lex() {
        let span = token.span();
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Comment | TokenKind::Eof => {}
            TokenKind::Newline => {
                if let Some(h) = open.take() {
                    out.push(h);
                }
                line_first = true;
            }
            kind => {
                if let Some(h) = &mut open {
                    if kind == TokenKind::RightSquareBracket {
                        h.end = span.end();
                    }
                } else if line_first && depth == 0 && kind == TokenKind::LeftSquareBracket {
                    open = Some(span.start()..span.end());
                } else {
                    match kind {
                        TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
                        TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                            depth = depth.saturating_sub(1);
                        }
                        _ => {}
                    }
                }
                line_first = false;
            }
        }
    }
    out.extend(open);
    out
}

/// A header's key path, to compare headers: the keys without blanks around
/// them, and without the quotes of a quoted key that needs none
/// (`[ people . "bob" ]` is `people.bob`).
fn key_path(text: &str, header: &Range<usize>) -> String {
    let raw = text.get(header.clone()).unwrap_or("");
    let inner = raw.trim_matches(|c| c == '[' || c == ']');
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let (key, tail) = split_key(rest);
        let unquoted = key
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
            .filter(|k| is_bare(k));
        out.push_str(unquoted.unwrap_or(key));
        rest = tail.trim_start();
        if let Some(after) = rest.strip_prefix('.') {
            out.push('.');
            rest = after.trim_start();
        } else if !rest.is_empty() {
            // Not a key path: keep the rest as written.
            out.push_str(rest);
            break;
        }
    }
    out
}

/// The first key of `s` (bare or quoted) and what follows it.
fn split_key(s: &str) -> (&str, &str) {
    let end = match s.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let mut escaped = false;
            let close = s.char_indices().skip(1).find(|&(_, c)| {
                let found = c == q && !escaped;
                escaped = q == '"' && c == '\\' && !escaped;
                found
            });
            close.map_or(s.len(), |(i, c)| i + c.len_utf8())
        }
        _ => s
            .find(|c: char| c == '.' || c.is_whitespace())
            .unwrap_or(s.len()),
    };
    s.split_at(end)
}

fn is_bare(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_headers_outside_values_and_strings() {
        let text =
            "a = [\n  [1],\n]\ns = \"\"\"\n[not.a.header]\n\"\"\"\n[ x . y ] # c\nk = 1\n[[z]]\n";
        let got: Vec<&str> = headers(text)
            .iter()
            .map(|h| text.get(h.clone()).unwrap_or(""))
            .collect();
        assert_eq!(got, ["[ x . y ]", "[[z]]"]);
    }

    #[test]
    fn key_paths_compare_keys_not_spelling() {
        let path = |t: &str| key_path(t, &(0..t.len()));
        assert_eq!(path("[ people . \"bob\" ]"), "people.bob");
        assert_eq!(path("[people.'bob']"), "people.bob");
        assert_eq!(path("[people.\"b ob\"]"), "people.\"b ob\"");
        assert_eq!(path("[people.\"a\\\"b\"]"), "people.\"a\\\"b\"");
        assert_eq!(path("[[x]]"), "x");
    }

    #[test]
    fn drops_the_body_of_a_second_definition_only() {
        let text = "[p.a]\nx = 1\n[p . \"a\"]\ny = 2\n[q]\nz = 3\n";
        let second = text.find("[p . \"a\"]").unwrap_or(0);
        // The parser's error: at `"a"` in the second header.
        let at_a = std::iter::once(second + 5..second + 8);
        let r = Redefined::new(text, &at_a.collect::<Vec<_>>());
        let at = |key: &str| {
            let s = text.find(key).unwrap_or(0);
            s..s + key.len()
        };
        assert!(!r.dropped(&at("x")));
        assert!(r.dropped(&at("y")));
        assert!(!r.dropped(&at("z")));
        // The header's own keys are not dropped: the table is kept.
        assert!(!r.dropped(&(second + 5..second + 8)));
        assert_eq!(r.first_header(&(second..second + 9)), Some(Some(0..5)));
        assert_eq!(r.first_header(&(0..5)), None);
    }

    #[test]
    fn many_repeated_headers_stay_linear() {
        // Every header after the first is a duplicate of it: 200,000 of them.
        let text = "[a]\n".repeat(200_000);
        let duplicates: Vec<_> = (1..200_000).map(|i| i * 4 + 1..i * 4 + 2).collect();
        let started = std::time::Instant::now();
        let r = Redefined::new(&text, &duplicates);
        assert_eq!(r.seconds.len(), 199_999);
        assert_eq!(r.first_header(&(8..11)), Some(Some(0..3)));
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
}
