//! Tables defined twice in one file. That is invalid TOML (the parser reports
//! `duplicate key` at the second header), and the model keeps the first
//! definition (decisions.md 2). The parser merges the two tables, so the
//! walker drops every key written in the second one's body, and names the
//! table by its first header.

use std::ops::Range;

use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// The second definitions of a file (offsets in the parsed text).
#[derive(Debug, Default)]
pub(crate) struct Redefined {
    /// Per second definition, sorted: its header, and the end of its body
    /// (the next header, or the end of the file).
    bodies: Vec<(Range<usize>, usize)>,
    /// Per second definition: the first header with the same key path, when
    /// the table was first defined by a header.
    first: Vec<Option<Range<usize>>>,
}

impl Redefined {
    /// `duplicates`: where the parser reported `duplicate key`. Those inside
    /// a table header are second definitions; the others (a key repeated in
    /// a body) are left to the broken-line handling.
    pub fn new(text: &str, duplicates: &[Range<usize>]) -> Redefined {
        if duplicates.is_empty() {
            return Redefined::default();
        }
        let headers = headers(text);
        let mut found = Redefined::default();
        for (i, header) in headers.iter().enumerate() {
            if !duplicates
                .iter()
                .any(|d| header.start <= d.start && d.start < header.end)
            {
                continue;
            }
            let end = headers.get(i + 1).map_or(text.len(), |h| h.start);
            let path = key_path(text, header);
            let first = headers
                .iter()
                .take(i)
                .find(|h| key_path(text, h) == path)
                .cloned();
            found.bodies.push((header.clone(), end));
            found.first.push(first);
        }
        found
    }

    /// Whether a key at `key` (parsed offsets) was written in the body of a
    /// second definition: such keys are not read.
    pub fn dropped(&self, key: &Range<usize>) -> bool {
        let i = self.bodies.partition_point(|(h, _)| h.start <= key.start);
        i.checked_sub(1)
            .and_then(|i| self.bodies.get(i))
            .is_some_and(|(h, end)| h.end <= key.start && key.start < *end)
    }

    /// The first header of a table whose header `header` defines it again.
    pub fn first_header(&self, header: &Range<usize>) -> Option<Range<usize>> {
        let i = self.bodies.iter().position(|(h, _)| h == header)?;
        self.first.get(i).cloned().flatten()
    }
}

/// Every table header (`[a.b]`, `[[a.b]]`): from its first `[` to its last
/// `]`, in file order. Headers are the `[` that start a line outside any
/// value; the lexer keeps strings (multi-line ones too) whole.
fn headers(text: &str) -> Vec<Range<usize>> {
    let tokens: Vec<_> = Source::new(text).lex().collect();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut line_first = true;
    let mut open: Option<Range<usize>> = None;
    for token in &tokens {
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

/// A header's text without its brackets and without blanks outside quotes,
/// to compare key paths (`[ people . bob ]` is `people.bob`).
fn key_path(text: &str, header: &Range<usize>) -> String {
    let raw = text.get(header.clone()).unwrap_or("");
    let mut out = String::with_capacity(raw.len());
    let mut quote = None;
    let mut escaped = false;
    for c in raw.trim_matches(|c| c == '[' || c == ']').chars() {
        match quote {
            Some(q) => {
                out.push(c);
                if escaped {
                    escaped = false;
                } else if q == '"' && c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == ' ' || c == '\t' => {}
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
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
    fn drops_the_body_of_a_second_definition_only() {
        let text = "[p.a]\nx = 1\n[p . a]\ny = 2\n[q]\nz = 3\n";
        let second = text.find("[p . a]").unwrap_or(0);
        // The parser's error: at `a` in the second header.
        let at_a = std::iter::once(second + 5..second + 6);
        let r = Redefined::new(text, &at_a.collect::<Vec<_>>());
        let at = |key: &str| {
            let s = text.find(key).unwrap_or(0);
            s..s + key.len()
        };
        assert!(!r.dropped(&at("x")));
        assert!(r.dropped(&at("y")));
        assert!(!r.dropped(&at("z")));
        // The header's own keys are not dropped: the table is kept.
        assert!(!r.dropped(&(second + 5..second + 6)));
        assert_eq!(r.first_header(&(second..second + 7)), Some(0..5));
    }
}
