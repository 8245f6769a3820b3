//! A [`miette::SourceCode`] over a [`SourceFile`] that uses the file's line
//! index instead of rescanning the text.
//!
//! miette's own implementation for `str`/`String` walks the file from its
//! first byte for every label it reads, which costs milliseconds per
//! diagnostic on a large file. [`FileSource`] finds the lines around a span
//! with two binary searches in [`SourceFile::line_starts`].
//!
//! It returns what miette's `String` implementation returns (the same bytes,
//! span, line and line count semantics, see the tests), with three deliberate
//! differences:
//!
//! * `column` counts Unicode scalar values and skips a byte-order mark, like
//!   every other position orglint prints (decisions 19); miette counts bytes.
//!   Only the `[file:line:col]` header of a snippet uses it.
//! * A byte-order mark is never part of the returned data (it would be
//!   printed as an invisible character at the start of line 1).
//! * `line_count` is the number of lines the returned data covers, as the
//!   trait documents; miette's `String` implementation counts every line from
//!   the start of the file, which makes its renderer merge labels that are
//!   far apart into one huge snippet.
//!
//! A lone `\r` is not a line break here (nor in [`SourceFile`], TOML or
//! miette's renderer); miette's `context_info` treats it as one.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::SourceFile;

/// One source file as miette source code, named by its display path.
#[derive(Clone, Copy, Debug)]
pub struct FileSource<'a> {
    file: &'a SourceFile,
}

impl<'a> FileSource<'a> {
    pub fn new(file: &'a SourceFile) -> Self {
        FileSource { file }
    }

    pub fn file(&self) -> &'a SourceFile {
        self.file
    }

    /// Number of line terminators (`\n`) in `start..end`.
    fn newlines_between(&self, start: usize, end: usize) -> usize {
        let starts = self.file.line_starts();
        // A `\n` at byte i starts a line at i + 1; count i in start..end.
        let lo = starts.partition_point(|&s| (s as usize) <= start);
        let hi = starts.partition_point(|&s| (s as usize) <= end);
        hi.saturating_sub(lo)
    }

    /// Offset at which the 0-based `line` starts, as a raw offset (the BOM
    /// included); the text length past the last line.
    fn raw_line_start(&self, line: usize) -> usize {
        self.file
            .line_starts()
            .get(line)
            .map_or(self.file.text.len(), |&s| s as usize)
    }
}

impl SourceCode for FileSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.file.shown_text().as_bytes();
        let len = text.len();
        let start = span.offset();
        let end = start.saturating_add(span.len());
        // miette accepts a span reaching one byte past the end of the file.
        if start > len || end.saturating_sub(1) > len {
            return Err(MietteError::OutOfBounds);
        }
        let mut end = end.min(len);
        // A span ending between the `\r` and `\n` of a line end reads on to
        // the `\n`, as in miette.
        if end > 0 && text.get(end - 1) == Some(&b'\r') && text.get(end) == Some(&b'\n') {
            end += 1;
        }
        let bom = self.file.bom as usize;

        let at = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        let start_line = self.file.line_index(at(start));
        // The line the span ends on; a span ending with a `\n` ends on the
        // next line, as in miette.
        let end_line = self.file.line_index(at(end));

        let (first_line, data_start, column) = if context_lines_before == 0 {
            let lc = self.file.line_col(at(start));
            let column = lc.column.saturating_sub(1) as usize;
            (start_line, start, column)
        } else {
            let first = start_line.saturating_sub(context_lines_before);
            let mut data_start = self.raw_line_start(first);
            if data_start < bom {
                data_start = bom;
            }
            (first, data_start.min(start), 0)
        };

        let data_end = if context_lines_after == 0 {
            end
        } else {
            let last = end_line.saturating_add(context_lines_after);
            self.raw_line_start(last.saturating_add(1)).max(end)
        };

        let data = text.get(data_start..data_end).unwrap_or_default();
        let line_count = self.newlines_between(data_start, data_end);
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.display.clone(),
            data,
            SourceSpan::new(data_start.into(), data_end - data_start),
            first_line,
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::NamedSource;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("a.toml".into(), "a.toml".into(), text.into())
    }

    struct Got {
        data: Vec<u8>,
        span: (usize, usize),
        line: usize,
        column: usize,
        line_count: usize,
        name: Option<String>,
    }

    fn got(c: &dyn SpanContents<'_>) -> Got {
        Got {
            data: c.data().to_vec(),
            span: (c.span().offset(), c.span().len()),
            line: c.line(),
            column: c.column(),
            line_count: c.line_count(),
            name: c.name().map(str::to_owned),
        }
    }

    /// Compares our contents with miette's for the same span and context,
    /// in a file without BOM, lone CR or non-ASCII text before the span (the
    /// documented differences). `line_count` is compared after removing the
    /// lines miette counts before the data.
    fn assert_same(text: &str, start: usize, len: usize, before: usize, after: usize) {
        let f = file(text);
        let ours = FileSource::new(&f);
        let theirs = NamedSource::new("a.toml", text.to_owned());
        let span = SourceSpan::new(start.into(), len);
        let a = got(&*ours.read_span(&span, before, after).unwrap());
        let b = got(&*theirs.read_span(&span, before, after).unwrap());
        let ctx = format!("span {start}+{len} context {before}/{after} in {text:?}");
        assert_eq!(
            String::from_utf8_lossy(&a.data),
            String::from_utf8_lossy(&b.data),
            "data, {ctx}"
        );
        assert_eq!(a.span, b.span, "span, {ctx}");
        assert_eq!(a.line, b.line, "line, {ctx}");
        // miette resets its column to 0 at any line end after the span when
        // it reads context after but none before; its renderer never asks
        // for that.
        if before > 0 || after == 0 {
            assert_eq!(a.column, b.column, "column, {ctx}");
        }
        assert_eq!(a.name, b.name, "name, {ctx}");
        let newlines_before = text.as_bytes()[..b.span.0]
            .iter()
            .filter(|&&c| c == b'\n')
            .count();
        assert_eq!(
            a.line_count,
            b.line_count - newlines_before,
            "line_count, {ctx}"
        );
    }

    fn all_spans(text: &str) {
        let n = text.len();
        for start in 0..=n {
            for end in start..=n {
                // miette's quirk: an empty span at 0 reads the first byte.
                if start == 0 && end == 0 && n > 0 {
                    continue;
                }
                // No span starts inside a CRLF line end; miette's column for
                // one leaves out the `\r`.
                if start > 0 && text.as_bytes()[start - 1] == b'\r' {
                    continue;
                }
                for before in 0..3 {
                    for after in 0..3 {
                        assert_same(text, start, end - start, before, after);
                    }
                }
            }
        }
    }

    #[test]
    fn same_as_miette_lf() {
        all_spans("a = 1\nbb = 2\n\nccc = 3\nd = 4");
        all_spans("a = 1\nb = 2\n");
        all_spans("\n\nx\n\n");
    }

    #[test]
    fn same_as_miette_crlf() {
        all_spans("a = 1\r\nbb = 2\r\n\r\nccc = 3\r\nd = 4\r\n");
    }

    #[test]
    fn same_as_miette_first_last_line_and_eof() {
        let text = "[teams.a]\nname = \"A\"\nlead = \"x\"\n";
        // first line
        assert_same(text, 0, 9, 1, 1);
        assert_same(text, 1, 5, 0, 0);
        // last line
        assert_same(text, 21, 10, 1, 1);
        assert_same(text, 28, 3, 2, 2);
        // at EOF, and one byte past it (miette allows that)
        assert_same(text, text.len(), 0, 1, 1);
        assert_same(text, text.len(), 1, 1, 1);
        assert_same(text, text.len() - 1, 1, 1, 1);
        // multi-line span
        assert_same(text, 3, 20, 1, 1);
    }

    #[test]
    fn empty_file() {
        let f = file("");
        let src = FileSource::new(&f);
        for (before, after) in [(0, 0), (1, 1), (3, 0)] {
            let c = src.read_span(&SourceSpan::new(0.into(), 0), before, after);
            let c = got(&*c.unwrap());
            assert_eq!((c.data.len(), c.span, c.line, c.column), (0, (0, 0), 0, 0));
            assert_eq!(c.line_count, 0);
        }
        assert_same("", 0, 0, 1, 1);
        assert_same("", 0, 1, 1, 1);
        assert!(src.read_span(&SourceSpan::new(1.into(), 0), 1, 1).is_err());
        assert!(src.read_span(&SourceSpan::new(0.into(), 2), 1, 1).is_err());
    }

    #[test]
    fn out_of_bounds_like_miette() {
        let text = "a = 1\n";
        let f = file(text);
        let src = FileSource::new(&f);
        let named = NamedSource::new("a.toml", text.to_owned());
        for (start, len) in [(8, 0), (6, 2), (3, 10)] {
            let span = SourceSpan::new(start.into(), len);
            assert!(src.read_span(&span, 1, 1).is_err());
            assert!(named.read_span(&span, 1, 1).is_err());
        }
    }

    #[test]
    fn bom_is_skipped_and_columns_count_scalars() {
        let text = "\u{feff}a = 1\nb = \"é\" # x\nc = 3\n";
        let f = file(text);
        let src = FileSource::new(&f);
        // A span on line 1: the data starts after the BOM.
        let c = got(&*src.read_span(&SourceSpan::new(3.into(), 1), 1, 1).unwrap());
        assert_eq!(String::from_utf8_lossy(&c.data), "a = 1\nb = \"é\" # x\n");
        assert_eq!((c.span.0, c.line, c.column, c.line_count), (3, 0, 0, 2));
        // Without context the column is 0 for the first character.
        let c = got(&*src.read_span(&SourceSpan::new(3.into(), 1), 0, 0).unwrap());
        assert_eq!((c.span, c.line, c.column), ((3, 1), 0, 0));
        // After a non-ASCII character, columns count scalar values.
        let hash = text.find('#').unwrap();
        let c = got(&*src
            .read_span(&SourceSpan::new(hash.into(), 3), 0, 0)
            .unwrap());
        assert_eq!((c.line, c.column), (1, 8));
        assert_eq!(c.data, b"# x");
        // Away from line 1 the result is the same as miette's.
        let c = text.find("c = 3").unwrap();
        assert_same(text, c, 5, 1, 1);
        // A span inside the BOM still reads.
        let c = got(&*src.read_span(&SourceSpan::new(0.into(), 4), 1, 1).unwrap());
        assert_eq!(c.span.0, 0);
    }

    #[test]
    fn matches_miette_rendering() {
        use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

        struct D<'a> {
            src: &'a dyn SourceCode,
            labels: Vec<LabeledSpan>,
        }
        impl std::fmt::Display for D<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("message")
            }
        }
        impl std::error::Error for D<'_> {}
        impl Diagnostic for D<'_> {
            fn source_code(&self) -> Option<&dyn SourceCode> {
                Some(self.src)
            }
            fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
                Some(Box::new(self.labels.iter().cloned()))
            }
        }
        impl std::fmt::Debug for D<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("D")
            }
        }

        let handler =
            GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
        let render = |src: &dyn SourceCode, labels: &[LabeledSpan]| {
            let mut s = String::new();
            let d = D {
                src,
                labels: labels.to_vec(),
            };
            handler.render_report(&mut s, &d).unwrap();
            s
        };
        for text in [
            "[teams.a]\nname = \"A\"\nlead = \"x\"\nmembers = [\"x\", \"y\"]\n",
            "[teams.a]\r\nname = \"A\"\r\nlead = \"x\"\r\nmembers = [\"x\", \"y\"]",
        ] {
            let f = file(text);
            let ours = FileSource::new(&f);
            let theirs = NamedSource::new("a.toml", text.to_owned());
            let lead = text.find("\"x\"").unwrap();
            let members = text.find("members").unwrap();
            let cases: Vec<Vec<LabeledSpan>> = vec![
                vec![LabeledSpan::new_primary_with_span(
                    Some("here".into()),
                    (lead, 3),
                )],
                vec![LabeledSpan::new_primary_with_span(None, (0, 9))],
                vec![
                    LabeledSpan::new_primary_with_span(Some("multi".into()), (lead, 20)),
                    LabeledSpan::new_with_span(Some("header".into()), (0, 9)),
                ],
                vec![LabeledSpan::new_primary_with_span(
                    Some("end".into()),
                    (members, text.len() - members),
                )],
                vec![LabeledSpan::new_primary_with_span(
                    Some("eof".into()),
                    (text.len(), 0),
                )],
            ];
            for labels in cases {
                assert_eq!(render(&ours, &labels), render(&theirs, &labels));
            }
        }
    }
}
