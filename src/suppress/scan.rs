//! Finding `# orglint: allow(...)` directives in an org file and the part of
//! the file each one covers. Only real TOML comments count: the file is
//! lexed with the TOML lexer, so a `#` inside a string is never a directive.

use toml_parser::Source;
use toml_parser::lexer::TokenKind;

use super::date::Date;
use crate::source::{FileId, Span};

/// One parsed directive.
#[derive(Clone, Debug)]
pub struct Directive {
    /// The whole comment.
    pub comment: Span,
    /// The codes or names listed, each with its span inside the comment.
    pub codes: Vec<(String, Span)>,
    pub until: Option<Date>,
    /// The reason after `--`, trimmed; `None` when missing or empty.
    pub reason: Option<String>,
    /// The byte range it covers: a diagnostic is suppressed when its primary
    /// span starts inside.
    pub scope: std::ops::Range<u32>,
}

/// A comment that starts like a directive but does not parse.
#[derive(Clone, Debug)]
pub struct Malformed {
    pub comment: Span,
    pub problem: String,
}

#[derive(Default)]
pub struct Scanned {
    pub directives: Vec<Directive>,
    pub malformed: Vec<Malformed>,
}

/// How far a comment reaches, before its extent is known.
#[derive(Clone, Copy, Debug)]
enum Reach {
    /// Own line at the top level: the next header's table or key's statement.
    NextItem,
    /// Own line inside an array or inline table: the next element.
    NextElement,
    /// Trailing on a header line: that table.
    Table(u32),
    /// Trailing on a key line: that statement.
    Statement(u32),
    /// Trailing elsewhere: findings starting on that line.
    Line(u32, u32),
}

struct Pending {
    comment: Span,
    /// The directive after `orglint:`, and its offset in the file.
    text: String,
    offset: usize,
    reach: Reach,
}

/// Where a pending scope ends.
enum Open {
    Table,
    Statement,
    Element(usize),
}

/// Scans one file (`text` is the whole file, BOM included).
pub fn scan(file: FileId, text: &str) -> Scanned {
    let mut out = Scanned::default();
    if !text.contains("orglint") {
        return out;
    }
    let tokens = Source::new(text).lex().into_vec();
    let mut depth = 0usize;
    // Start of the current line's first significant token and its kind.
    let mut line_start = 0u32;
    let mut line_first: Option<(u32, bool)> = None; // (start, is header)
    let mut in_header = false;
    let mut stmt_start: Option<u32> = None;
    let mut last_end = 0u32;
    // Comments waiting for the next significant token.
    let mut waiting: Vec<Pending> = Vec::new();
    // Scopes whose start is known, waiting for their end.
    let mut open: Vec<(Pending, u32, Open)> = Vec::new();
    let mut done: Vec<(Pending, std::ops::Range<u32>)> = Vec::new();
    let end_of = |text: &str| text.len() as u32;

    for token in &tokens {
        let span = token.span();
        let (start, end) = (span.start() as u32, span.end() as u32);
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Eof => {}
            TokenKind::Newline => {
                if depth == 0
                    && !in_header
                    && let Some(_s) = stmt_start.take()
                {
                    close(
                        &mut open,
                        &mut done,
                        |o| matches!(o, Open::Statement),
                        last_end,
                    );
                }
                in_header = false;
                line_first = None;
                line_start = end;
            }
            TokenKind::Comment => {
                let raw = text.get(start as usize..end as usize).unwrap_or("");
                let body = raw.trim_start_matches('#').trim();
                let (Some(rest), Some(at)) = (body.strip_prefix("orglint:"), raw.find("orglint:"))
                else {
                    continue;
                };
                let comment = Span::new(file, start as usize, end as usize);
                let reach = match line_first {
                    None if depth == 0 => Reach::NextItem,
                    None => Reach::NextElement,
                    Some((s, true)) => Reach::Table(s),
                    Some((s, false)) if depth == 0 || stmt_start == Some(s) => Reach::Statement(s),
                    Some(_) => Reach::Line(line_start, line_end(text, start)),
                };
                let pending = Pending {
                    comment,
                    text: rest.to_owned(),
                    offset: start as usize + at + "orglint:".len(),
                    reach,
                };
                match reach {
                    Reach::NextItem | Reach::NextElement => waiting.push(pending),
                    Reach::Table(s) => open.push((pending, s, Open::Table)),
                    Reach::Statement(s) => {
                        if stmt_start == Some(s) {
                            open.push((pending, s, Open::Statement));
                        } else {
                            // The statement already ended on this line.
                            done.push((pending, s..last_end));
                        }
                    }
                    Reach::Line(a, b) => done.push((pending, a..b)),
                }
            }
            kind => {
                let header_start =
                    depth == 0 && line_first.is_none() && kind == TokenKind::LeftSquareBracket;
                if header_start {
                    // A new table ends the previous one.
                    close(&mut open, &mut done, |o| matches!(o, Open::Table), start);
                }
                if line_first.is_none() {
                    line_first = Some((start, header_start));
                    if depth == 0 && !header_start && stmt_start.is_none() {
                        stmt_start = Some(start);
                    }
                }
                // Element ends: a comma or a closing bracket at that depth.
                let closing = matches!(
                    kind,
                    TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket
                );
                if (kind == TokenKind::Comma || closing) && !in_header {
                    let d = depth;
                    close(
                        &mut open,
                        &mut done,
                        |o| matches!(o, Open::Element(e) if *e == d),
                        last_end,
                    );
                }
                for p in waiting.drain(..) {
                    let scope = match p.reach {
                        Reach::NextElement if closing => {
                            // Nothing follows inside the array.
                            done.push((p, start..start));
                            continue;
                        }
                        Reach::NextElement => Open::Element(depth),
                        _ if header_start => Open::Table,
                        _ => Open::Statement,
                    };
                    open.push((p, start, scope));
                }
                if header_start {
                    in_header = true;
                } else if !in_header {
                    match kind {
                        TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
                        _ if closing => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                last_end = end;
            }
        }
    }
    let eof = end_of(text);
    for (p, start, _) in open.drain(..) {
        done.push((p, start..eof));
    }
    for p in waiting.drain(..) {
        done.push((p, eof..eof));
    }
    done.sort_by_key(|(p, _)| p.comment.start);
    for (p, scope) in done {
        match parse(file, &p, scope) {
            Ok(d) => out.directives.push(d),
            Err(problem) => out.malformed.push(Malformed {
                comment: p.comment,
                problem,
            }),
        }
    }
    out
}

fn close(
    open: &mut Vec<(Pending, u32, Open)>,
    done: &mut Vec<(Pending, std::ops::Range<u32>)>,
    which: impl Fn(&Open) -> bool,
    end: u32,
) {
    let mut i = 0;
    while i < open.len() {
        if open.get(i).is_some_and(|(_, _, o)| which(o)) {
            let (p, start, _) = open.remove(i);
            done.push((p, start..end.max(start)));
        } else {
            i += 1;
        }
    }
}

fn line_end(text: &str, from: u32) -> u32 {
    let rest = text.get(from as usize..).unwrap_or("");
    from + rest.find('\n').unwrap_or(rest.len()) as u32
}

/// Parses `allow(A, B) [until YYYY-MM-DD] [-- reason]` (after `orglint:`).
fn parse(file: FileId, p: &Pending, scope: std::ops::Range<u32>) -> Result<Directive, String> {
    let offset = p.offset;
    let text = p.text.as_str();
    let lead = text.len() - text.trim_start().len();
    let rest = text.trim_start();
    let Some(after) = rest.strip_prefix("allow") else {
        return Err("expected `allow(CODE, ...)` after `orglint:`".to_owned());
    };
    let after_ws = after.trim_start();
    let Some(list) = after_ws.strip_prefix('(') else {
        return Err("expected `(` after `allow`".to_owned());
    };
    let Some(close) = list.find(')') else {
        return Err("missing `)` after the list of codes".to_owned());
    };
    let list_start = offset + lead + "allow".len() + (after.len() - after_ws.len()) + 1;
    let mut codes = Vec::new();
    let mut at = 0usize;
    for part in list.get(..close).unwrap_or("").split(',') {
        let trimmed = part.trim();
        let start = list_start + at + (part.len() - part.trim_start().len());
        at += part.len() + 1;
        if trimmed.is_empty() {
            continue;
        }
        codes.push((
            trimmed.to_owned(),
            Span::new(file, start, start + trimmed.len()),
        ));
    }
    if codes.is_empty() {
        return Err("`allow()` lists no rule".to_owned());
    }
    let mut tail = list.get(close + 1..).unwrap_or("").trim();
    let mut until = None;
    if let Some(u) = tail.strip_prefix("until") {
        let u = u.trim_start();
        let date: String = u.chars().take_while(|c| !c.is_whitespace()).collect();
        until =
            Some(Date::parse(&date).ok_or_else(|| {
                format!("`until {date}` is not a date: expected `until YYYY-MM-DD`")
            })?);
        tail = u.get(date.len()..).unwrap_or("").trim();
    }
    let reason = if let Some(r) = tail.strip_prefix("--") {
        Some(r.trim()).filter(|r| !r.is_empty()).map(str::to_owned)
    } else if tail.is_empty() {
        None
    } else {
        return Err(format!("unexpected `{tail}`: the reason must follow `--`"));
    };
    Ok(Directive {
        comment: p.comment,
        codes,
        until,
        reason,
        scope,
    })
}
