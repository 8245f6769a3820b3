//! The load stage: read every org file in parallel, parse it with spans, and
//! turn it into that file's definitions. One bad file never stops the others.

pub mod schema;
mod walk;

use std::io::Read;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::FileDefs;
use crate::source::{FileId, SourceFile, SourceMap, Span};

pub use walk::invalid;

/// Default `[files] max-file-size`: 10 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// A file to load: the path to read and the path to print.
#[derive(Clone, Debug)]
pub struct Input {
    pub path: PathBuf,
    pub display: String,
}

#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub max_file_size: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Every file read, what each defines, and every ORG008 found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    /// Indexed by [`FileId`], in the order of the inputs.
    pub defs: Vec<FileDefs>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads every input in parallel. The result keeps the inputs' order: file
/// `i` of the inputs is `FileId(i)`.
pub fn load(inputs: &[Input], options: &LoadOptions) -> Loaded {
    let results: Vec<(SourceFile, FileDefs, Vec<Diagnostic>)> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| load_one(FileId(i as u32), input, options))
        .collect();
    let mut loaded = Loaded::default();
    for (source, defs, diagnostics) in results {
        loaded.sources.add(source);
        loaded.defs.push(defs);
        loaded.diagnostics.extend(diagnostics);
    }
    loaded
}

/// Loads one file that is already in memory (for tests, editors and fuzzing).
pub fn load_text(file: FileId, text: &str) -> (FileDefs, Vec<Diagnostic>) {
    parse(file, text)
}

fn load_one(
    file: FileId,
    input: &Input,
    options: &LoadOptions,
) -> (SourceFile, FileDefs, Vec<Diagnostic>) {
    let empty = |diagnostic: Diagnostic| {
        (
            SourceFile::new(input.path.clone(), input.display.clone(), String::new()),
            FileDefs::default(),
            vec![diagnostic],
        )
    };
    let at_start = Span::new(file, 0, 0);
    let bytes = match read_limited(input, options.max_file_size) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return empty(
                invalid(
                    at_start,
                    format!(
                        "file is larger than the limit of {} bytes",
                        options.max_file_size
                    ),
                )
                .help("raise `[files] max-file-size` in orglint.toml, or split the file"),
            );
        }
        Err(e) => return empty(invalid(at_start, format!("could not read file: {e}"))),
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let (defs, diagnostics) = parse(file, &text);
            (
                SourceFile::new(input.path.clone(), input.display.clone(), text),
                defs,
                diagnostics,
            )
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = SourceFile::new(input.path.clone(), input.display.clone(), text);
            let d = invalid(
                Span::new(file, valid, valid),
                format!("file is not valid UTF-8 (first invalid byte at offset {valid})"),
            )
            .help("org files are TOML, which must be UTF-8: re-save the file as UTF-8");
            (source, FileDefs::default(), vec![d])
        }
    }
}

/// Reads at most `limit` bytes; `Ok(None)` when the file is larger.
fn read_limited(input: &Input, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(&input.path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    if meta.len() > limit {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(None);
    }
    Ok(Some(bytes))
}

fn parse(file: FileId, text: &str) -> (FileDefs, Vec<Diagnostic>) {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(base..).unwrap_or("");
    let (root, errors) = toml::de::DeTable::parse_recoverable(body);
    let duplicates: Vec<_> = errors
        .iter()
        .filter(|e| e.message() == "duplicate key")
        .filter_map(|e| e.span())
        .collect();
    let redefined = walk::Redefined::new(body, &duplicates);
    let mut diagnostics = Vec::with_capacity(errors.len());
    let mut spans = Vec::with_capacity(errors.len());
    for e in &errors {
        let range = e.span().unwrap_or(0..0);
        // A key repeated in the body of a table defined again: that body is
        // dropped whole, under the one error at its header.
        if e.message() == "duplicate key" && redefined.dropped(&range) {
            continue;
        }
        let span = Span::new(file, range.start + base, range.end + base);
        // A table defined again is not a line that fails to parse: its body
        // is dropped whole (`Redefined`).
        if !redefined.in_second_header(range.start) {
            spans.push(span);
        }
        let mut d = invalid(span, format!("invalid TOML: {}", e.message()));
        if e.message().contains("recurs") {
            // The `toml` crate's fixed depth limit (80): say what it means.
            d = d.help(
                "the file nests deeper than the TOML reader allows (80 levels of arrays and \
                 inline tables, or 80 parts in a dotted key): flatten it",
            );
        }
        diagnostics.push(d);
    }
    let broken = walk::Broken::new(text, &spans);
    let mut walker = walk::Walker::new(file, text, base, broken, redefined);
    walker.document(root.get_ref());
    diagnostics.extend(walker.diagnostics);
    (walker.defs, diagnostics)
}
