//! Discovery: from the PATHS on the command line to the list of org files.
//!
//! A file given explicitly is always taken. In a directory, files matching
//! `[files] include` and not `[files] exclude` are taken (globs relative to
//! the config's directory); hidden paths, paths ignored by `.gitignore`
//! (inside a git repository or not), every `orglint.toml`, the active config
//! and every loaded pack are skipped. The same file reached twice is taken
//! once, under its first display path. The result is sorted by display path.
//! Only the paths given are walked: nothing beside them is read, even when
//! the globs and `.gitignore` files that apply come from a directory above.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::diagnostic::compare_paths;

mod gitignore;
mod paths;
#[cfg(test)]
mod tests;
mod walk;

pub use paths::{absolute, display_path, normalize, relative_below, relative_to};
use walk::Walk;

/// The name of the config file, skipped by directory walks.
pub const CONFIG_FILE_NAME: &str = "orglint.toml";

/// Default `[files] include`.
pub const DEFAULT_INCLUDE: &str = "**/*.toml";

/// Default `[files] max-files`.
pub const DEFAULT_MAX_FILES: usize = 100_000;

/// How to discover files.
#[derive(Clone, Debug)]
pub struct DiscoverOptions {
    /// The directory globs are relative to: the config's directory, else the
    /// current directory. A relative base is taken relative to `cwd`.
    pub base_dir: PathBuf,
    /// `[files] include` (globset syntax; `*` does not cross `/`).
    pub include: Vec<String>,
    /// `[files] exclude`.
    pub exclude: Vec<String>,
    /// Files a directory walk never takes: the active config and every
    /// loaded pack. Given explicitly, they are still taken.
    pub skip: Vec<PathBuf>,
    /// `[files] max-files`.
    pub max_files: usize,
    /// The current directory, for display paths (tests set it; the default
    /// is the process's current directory).
    pub cwd: PathBuf,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        DiscoverOptions {
            base_dir: cwd.clone(),
            include: vec![DEFAULT_INCLUDE.to_owned()],
            exclude: Vec::new(),
            skip: Vec::new(),
            max_files: DEFAULT_MAX_FILES,
            cwd,
        }
    }
}

/// One file to lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveredFile {
    /// The path to read (the path given, joined with what the walk found).
    pub path: PathBuf,
    /// The path to print: relative to the current directory when below it,
    /// else as given; `/` separators; lossy for non-UTF-8 names.
    pub display: String,
    /// Named on the command line (not found by a directory walk).
    pub explicit: bool,
}

/// What discovery found.
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    /// Sorted by display path, component by component.
    pub files: Vec<DiscoveredFile>,
    /// Problems met on the way (unreadable directory, symlink loop, bad
    /// `.gitignore` line); the walk went on.
    pub warnings: Vec<String>,
    /// Set when more than `max_files` files were found and the list was cut.
    pub note: Option<String>,
}

/// Why discovery could not be done (the caller exits 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoverError {
    /// Paths given on the command line that do not exist (display form).
    NotFound(Vec<String>),
    /// A path given on the command line that could not be examined.
    Inaccessible { path: String, message: String },
    /// An include or exclude glob that does not compile.
    Glob { pattern: String, message: String },
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoverError::NotFound(paths) => {
                let quoted: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
                if quoted.len() == 1 {
                    write!(f, "path {} does not exist", quoted.join(", "))
                } else {
                    write!(f, "paths {} do not exist", quoted.join(", "))
                }
            }
            DiscoverError::Inaccessible { path, message } => {
                write!(f, "cannot access `{path}`: {message}")
            }
            DiscoverError::Glob { pattern, message } => {
                write!(f, "invalid glob `{pattern}`: {message}")
            }
        }
    }
}

impl std::error::Error for DiscoverError {}

/// Compiles one glob the way orglint reads globs everywhere (`[files]`
/// and `[[lint.overrides]] files`): globset syntax, `*` and `?` do not
/// match `/`, `**` matches any number of directories.
pub fn compile_glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

/// Compiles a list of globs into one set; the error names the bad pattern.
pub fn compile_globs<S: AsRef<str>>(patterns: &[S]) -> Result<GlobSet, DiscoverError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let pattern = pattern.as_ref();
        let glob = compile_glob(pattern).map_err(|e| DiscoverError::Glob {
            pattern: pattern.to_owned(),
            message: e.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| DiscoverError::Glob {
        pattern: e.glob().unwrap_or("").to_owned(),
        message: e.kind().to_string(),
    })
}

/// A file found, before deduplication.
struct Candidate {
    /// Which PATH argument it came from.
    arg: usize,
    file: DiscoveredFile,
    /// Canonical path, the identity for deduplication.
    identity: PathBuf,
}

/// Finds the org files under `paths` (`.` when empty).
pub fn discover(paths: &[PathBuf], opts: &DiscoverOptions) -> Result<Discovered, DiscoverError> {
    let default_paths = [PathBuf::from(".")];
    let paths: &[PathBuf] = if paths.is_empty() {
        &default_paths
    } else {
        paths
    };
    let cwd = normalize(&opts.cwd);
    let include = compile_globs(&opts.include)?;
    let exclude = compile_globs(&opts.exclude)?;
    let base = absolute(&opts.base_dir, &cwd);

    // Every path must exist before anything is walked.
    let mut missing = Vec::new();
    let mut kinds = Vec::with_capacity(paths.len());
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) => kinds.push(meta.is_dir()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                missing.push(display_path(path, &cwd));
                kinds.push(false);
            }
            Err(e) => {
                return Err(DiscoverError::Inaccessible {
                    path: display_path(path, &cwd),
                    message: e.to_string(),
                });
            }
        }
    }
    if !missing.is_empty() {
        return Err(DiscoverError::NotFound(missing));
    }

    let skip: HashSet<PathBuf> = opts.skip.iter().map(|p| identity(p, &cwd)).collect();
    let walk = Walk {
        cwd: &cwd,
        base: &base,
        include: &include,
        exclude: &exclude,
        skip: &skip,
    };

    let mut found = Discovered::default();
    let mut candidates = Vec::new();
    for (arg, (path, is_dir)) in paths.iter().zip(kinds).enumerate() {
        if is_dir {
            walk.dir(arg, path, &mut candidates, &mut found.warnings);
        } else {
            candidates.push(Candidate {
                arg,
                file: DiscoveredFile {
                    path: path.clone(),
                    display: display_path(path, &cwd),
                    explicit: true,
                },
                identity: identity(path, &cwd),
            });
        }
    }

    // The first display path wins: the first PATH argument, then the
    // smallest display path within it.
    candidates.sort_by(|a, b| {
        a.arg
            .cmp(&b.arg)
            .then_with(|| compare_paths(&a.file.display, &b.file.display))
    });
    let mut seen = HashSet::with_capacity(candidates.len());
    let mut files: Vec<DiscoveredFile> = candidates
        .into_iter()
        .filter(|c| seen.insert(c.identity.clone()))
        .map(|c| c.file)
        .collect();
    files.sort_by(order);
    if files.len() > opts.max_files {
        found.note = Some(format!(
            "{} files found; only the first {} (in path order) are linted: raise `[files] max-files` in orglint.toml",
            files.len(),
            opts.max_files
        ));
        files.truncate(opts.max_files);
    }
    found.files = files;
    Ok(found)
}

fn order(a: &DiscoveredFile, b: &DiscoveredFile) -> Ordering {
    compare_paths(&a.display, &b.display).then_with(|| a.path.cmp(&b.path))
}

/// The canonical path when it can be had, else the normalized absolute one.
fn identity(path: &Path, cwd: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path, cwd))
}
