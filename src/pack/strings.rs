//! Mapping byte ranges inside a decoded TOML string back to the file, so
//! that an error inside a CEL expression points at the exact character.

use std::ops::Range;

use crate::source::Span;

/// Maps a byte range of a decoded TOML string back into the file: `value`
/// is the span of the string value (quotes included) in `source`, and
/// `inner` a range in the decoded text `decoded`. Escapes and line-ending
/// backslashes are followed; when the source does not decode to `decoded`
/// (or the range is out of bounds), the whole value span is returned.
pub fn span_in_string(source: &str, value: Span, decoded: &str, inner: Range<usize>) -> Span {
    let fallback = value;
    let Some(raw) = source.get(value.range()) else {
        return fallback;
    };
    let Some(map) = decode_map(raw) else {
        return fallback;
    };
    if map.text != decoded || inner.start > inner.end {
        return fallback;
    }
    let at = |i: usize| map.offsets.get(i).copied();
    let (Some(start), Some(end)) = (at(inner.start), at(inner.end)) else {
        return fallback;
    };
    let base = value.start as usize;
    Span::new(value.file, base + start, base + end)
}

struct DecodeMap {
    text: String,
    /// For each byte of `text` (and one past the end): its offset in the raw
    /// value.
    offsets: Vec<usize>,
}

/// Decodes a raw TOML string value (with its quotes), recording where each
/// decoded byte came from.
fn decode_map(raw: &str) -> Option<DecodeMap> {
    let (open, literal) = if raw.starts_with("\"\"\"") {
        ("\"\"\"", false)
    } else if raw.starts_with("'''") {
        ("'''", true)
    } else if raw.starts_with('"') {
        ("\"", false)
    } else if raw.starts_with('\'') {
        ("'", true)
    } else {
        return None;
    };
    let multiline = open.len() == 3;
    let body_end = raw.len().checked_sub(open.len())?;
    let mut pos = open.len();
    if body_end < pos || !raw.get(body_end..)?.starts_with(open) {
        return None;
    }
    if multiline {
        // A newline right after the opening delimiter is trimmed.
        let rest = raw.get(pos..body_end)?;
        if rest.starts_with("\r\n") {
            pos += 2;
        } else if rest.starts_with('\n') {
            pos += 1;
        }
    }
    let body = raw.get(pos..body_end)?;
    let mut text = String::with_capacity(body.len());
    let mut offsets = Vec::with_capacity(body.len() + 1);
    let push = |text: &mut String, offsets: &mut Vec<usize>, c: char, from: usize| {
        for _ in 0..c.len_utf8() {
            offsets.push(from);
        }
        text.push(c);
    };
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let from = pos + i;
        if literal || c != '\\' {
            push(&mut text, &mut offsets, c, from);
            continue;
        }
        let (_, e) = chars.next()?;
        let simple = match e {
            'b' => Some('\u{8}'),
            't' => Some('\t'),
            'n' => Some('\n'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            _ => None,
        };
        if let Some(s) = simple {
            push(&mut text, &mut offsets, s, from);
            continue;
        }
        let digits = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => 0,
        };
        if digits > 0 {
            let mut hex = String::new();
            for _ in 0..digits {
                hex.push(chars.next()?.1);
            }
            let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
            push(&mut text, &mut offsets, c, from);
            continue;
        }
        if multiline && e.is_whitespace() {
            // A line-ending backslash: skip all whitespace and newlines.
            while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            continue;
        }
        return None;
    }
    offsets.push(body_end);
    Some(DecodeMap { text, offsets })
}
