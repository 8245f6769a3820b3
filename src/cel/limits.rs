//! The size limits of a CEL expression, checked on its text before the
//! parser sees it (see the module docs of [`crate::cel`]).
//!
//! The scan is a small CEL tokenizer: it skips string and bytes literals
//! (raw or not, single or triple quoted) and `//` comments, so that a bracket
//! or an operator inside a string is not counted.

use std::ops::Range;

/// The longest expression accepted, in bytes.
pub const MAX_BYTES: usize = 4096;

/// The deepest nesting accepted: brackets (`(`, `[`, `{`), and the branches
/// of a conditional `a ? b : c`, each count one level.
pub const MAX_NESTING: usize = 32;

/// The most operators accepted in one expression: every member access,
/// index, call, arithmetic, comparison, `in`, `!` and `?` counts; `&&` and
/// `||` do not (the parser balances them).
pub const MAX_OPERATORS: usize = 512;

/// An expression over a limit: what is wrong, and where in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exceeded {
    pub message: String,
    /// A byte range in the expression; `None` for the whole expression.
    pub at: Option<Range<usize>>,
}

/// Checks the limits.
pub fn check(text: &str) -> Result<(), Exceeded> {
    if text.len() > MAX_BYTES {
        return Err(Exceeded {
            message: format!(
                "the expression is {} bytes long; the limit is {MAX_BYTES} bytes",
                text.len()
            ),
            at: None,
        });
    }
    let mut scan = Scan {
        bytes: text.as_bytes(),
        pos: 0,
        // One open level per bracket, counting the `?` opened inside it.
        levels: vec![0],
        operators: 0,
    };
    scan.run()
}

struct Scan<'a> {
    bytes: &'a [u8],
    pos: usize,
    levels: Vec<usize>,
    operators: usize,
}

impl Scan<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn depth(&self) -> usize {
        // Every bracket beyond the outermost level, and every open `?`.
        self.levels.len() - 1 + self.levels.iter().sum::<usize>()
    }

    fn run(&mut self) -> Result<(), Exceeded> {
        while let Some(b) = self.peek(0) {
            let start = self.pos;
            match b {
                b'"' | b'\'' => self.string(false),
                b'/' if self.peek(1) == Some(b'/') => {
                    while self.peek(0).is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    while self
                        .peek(0)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                    {
                        self.pos += 1;
                    }
                    let word = self.bytes.get(start..self.pos).unwrap_or_default();
                    let prefix = word.len() <= 2
                        && word.iter().all(|b| matches!(b, b'r' | b'R' | b'b' | b'B'));
                    if prefix && matches!(self.peek(0), Some(b'"' | b'\'')) {
                        let raw = word.iter().any(|b| matches!(b, b'r' | b'R'));
                        self.string(raw);
                    } else if word == b"in" {
                        self.operator(start)?;
                    }
                }
                b'0'..=b'9' => {
                    // Digits, hex digits, `.`, exponents and suffixes.
                    while self
                        .peek(0)
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.')
                    {
                        let exponent = matches!(self.peek(0), Some(b'e' | b'E'));
                        self.pos += 1;
                        if exponent && matches!(self.peek(0), Some(b'+' | b'-')) {
                            self.pos += 1;
                        }
                    }
                }
                b'(' | b'[' | b'{' => {
                    self.pos += 1;
                    self.operator(start)?;
                    self.levels.push(0);
                    if self.depth() > MAX_NESTING {
                        return Err(self.too_deep(start));
                    }
                }
                b')' | b']' | b'}' => {
                    self.pos += 1;
                    if self.levels.len() > 1 {
                        self.levels.pop();
                    }
                }
                b'?' => {
                    self.pos += 1;
                    self.operator(start)?;
                    if let Some(open) = self.levels.last_mut() {
                        *open += 1;
                    }
                    if self.depth() > MAX_NESTING {
                        return Err(self.too_deep(start));
                    }
                }
                b'&' | b'|' => {
                    self.pos += if self.peek(1) == Some(b) { 2 } else { 1 };
                }
                b'.' | b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'=' | b'!' => {
                    self.pos += if self.peek(1) == Some(b'=') { 2 } else { 1 };
                    self.operator(start)?;
                }
                _ => self.pos += 1,
            }
        }
        Ok(())
    }

    fn operator(&mut self, start: usize) -> Result<(), Exceeded> {
        self.operators += 1;
        if self.operators > MAX_OPERATORS {
            return Err(Exceeded {
                message: format!(
                    "the expression has more than {MAX_OPERATORS} operators; the limit is {MAX_OPERATORS}"
                ),
                at: Some(start..self.pos.max(start + 1)),
            });
        }
        Ok(())
    }

    fn too_deep(&self, start: usize) -> Exceeded {
        Exceeded {
            message: format!(
                "the expression nests deeper than {MAX_NESTING} levels; the limit is {MAX_NESTING}"
            ),
            at: Some(start..start + 1),
        }
    }

    /// Skips a string literal starting at the quote under the cursor.
    fn string(&mut self, raw: bool) {
        let Some(quote) = self.peek(0) else {
            return;
        };
        let triple = self.peek(1) == Some(quote) && self.peek(2) == Some(quote);
        self.pos += if triple { 3 } else { 1 };
        while let Some(b) = self.peek(0) {
            if b == b'\\' && !raw {
                self.pos += 2;
            } else if b == quote
                && (!triple || (self.peek(1) == Some(quote) && self.peek(2) == Some(quote)))
            {
                self.pos += if triple { 3 } else { 1 };
                return;
            } else if b == b'\n' && !triple {
                // An unterminated string: the parser reports it.
                return;
            } else {
                self.pos += 1;
            }
        }
        self.pos = self.pos.min(self.bytes.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Exceeded {
        check(text).expect_err(text)
    }

    #[test]
    fn within_limits() {
        for ok in [
            "has(service.funding)",
            &format!("{}1{}", "(".repeat(32), ")".repeat(32)),
            // Brackets and operators inside strings and comments do not count.
            &format!("'{}' == x", "(".repeat(100)),
            &format!("r\"{}\\\" == x", "[".repeat(100)),
            &format!("'''{}''' == x", "+'\n".repeat(600)),
            &format!("x // {}\n", "(".repeat(100)),
            // `&&` and `||` are free.
            &format!("a{}", "&&a||a".repeat(600)),
            "1.5e-3 + 0x1F + 2u",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn too_long() {
        let text = "a".repeat(MAX_BYTES + 1);
        let e = err(&text);
        assert_eq!(
            e.message,
            "the expression is 4097 bytes long; the limit is 4096 bytes"
        );
        assert_eq!(e.at, None);
        assert_eq!(check(&"a".repeat(MAX_BYTES)), Ok(()));
    }

    #[test]
    fn too_deep() {
        let text = format!("{}1{}", "([{".repeat(11), "}])".repeat(11));
        let e = err(&text);
        assert_eq!(
            e.message,
            "the expression nests deeper than 32 levels; the limit is 32"
        );
        assert_eq!(e.at, Some(32..33));
        // Conditionals nest too.
        let text = format!("{}1", "a ? 1 : ".repeat(33));
        let last = text.rfind('?').unwrap_or(0);
        assert_eq!(err(&text).at, Some(last..last + 1));
        // Closing brackets end levels; unbalanced ones are left to the parser.
        let text = format!("{}x", "(1) + ".repeat(100));
        assert_eq!(check(&text), Ok(()));
        assert_eq!(check(&")".repeat(100)), Ok(()));
    }

    #[test]
    fn too_many_operators() {
        let text = format!("1{}", "+1".repeat(MAX_OPERATORS));
        assert_eq!(check(&text), Ok(()));
        let text = format!("1{}", "+1".repeat(MAX_OPERATORS + 1));
        let e = check(&text).expect_err("too many");
        assert_eq!(
            e.message,
            "the expression has more than 512 operators; the limit is 512"
        );
        assert_eq!(e.at, Some(text.len() - 2..text.len() - 1));
        let text = format!("x{}", ".y".repeat(MAX_OPERATORS + 1));
        assert!(check(&text).is_err());
        let text = format!("x{}", " in y".repeat(MAX_OPERATORS + 1));
        assert!(check(&text).is_err());
    }
}
