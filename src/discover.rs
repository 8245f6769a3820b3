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
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::diagnostic::compare_paths;

mod gitignore;

use gitignore::GitignoreStack;

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

/// Removes `.` components and resolves `..` lexically. A `..` that would go
/// above the root (or above the start of a relative path) is kept.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// `path` made absolute against `cwd`, then normalized.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    normalize(&cwd.join(path))
}

/// The part of `path` below `base` as a `/`-separated string, when `path`
/// lies below (or is) `base`; both must be absolute and normalized.
pub fn relative_below(path: &Path, base: &Path) -> Option<String> {
    let rest = path.strip_prefix(base).ok()?;
    Some(slash_join(rest))
}

fn slash_join(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        if let Component::Normal(part) = component {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&part.to_string_lossy());
        }
    }
    out
}

/// `path` relative to `base` as a `/`-separated string, with a `..` for each
/// level `path` lies outside `base` (`../other/a.toml`); both must be
/// absolute and normalized. Globs are matched against this form. Without a
/// common root (another drive), the whole path.
pub fn relative_to(path: &Path, base: &Path) -> String {
    let mut path_parts = path.components().peekable();
    let mut base_parts = base.components().peekable();
    let mut shared = 0usize;
    while let (Some(a), Some(b)) = (path_parts.peek(), base_parts.peek()) {
        if a != b {
            break;
        }
        path_parts.next();
        base_parts.next();
        shared += 1;
    }
    if shared == 0 {
        return as_given(path);
    }
    let mut parts: Vec<String> = base_parts
        .filter(|c| matches!(c, Component::Normal(_)))
        .map(|_| "..".to_owned())
        .collect();
    parts.extend(path_parts.filter_map(|c| match c {
        Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
        _ => None,
    }));
    parts.join("/")
}

/// The display form of a path: relative to `cwd` when below it, else as
/// given; always with `/` separators.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let cwd = normalize(cwd);
    match relative_below(&absolute(path, &cwd), &cwd) {
        Some(rel) if rel.is_empty() => ".".to_owned(),
        Some(rel) => rel,
        None => as_given(path),
    }
}

fn as_given(path: &Path) -> String {
    let text = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
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

struct Walk<'a> {
    cwd: &'a Path,
    base: &'a Path,
    include: &'a GlobSet,
    exclude: &'a GlobSet,
    skip: &'a HashSet<PathBuf>,
}

impl Walk<'_> {
    fn dir(&self, arg: usize, root: &Path, out: &mut Vec<Candidate>, warnings: &mut Vec<String>) {
        // Only `root` is walked: nothing beside it is read, so nothing beside
        // it can give a warning.
        //
        // `.gitignore` files apply from the project down: inside a git
        // repository, from its root (the ignore crate stops there); outside
        // one, from the base directory (the config's, else the current one),
        // never from directories above it, so a stray `~/.gitignore` cannot
        // hide a project. For a `root` below the base outside git, the ignore
        // crate cannot be told to stop at the base, so the `.gitignore` files
        // from the base down are matched here (`GitignoreStack`), the way the
        // crate would match them in a walk from the base.
        let root_abs = absolute(root, self.cwd);
        let in_git = root_abs.ancestors().any(|d| d.join(".git").exists());
        let base_abs = absolute(self.base, self.cwd);
        let below_base = !in_git
            && root_abs != base_abs
            && relative_below(&root_abs, &base_abs)
                .is_some_and(|rel| !rel.split('/').any(|c| c.starts_with('.')));
        let mut builder = ignore::WalkBuilder::new(root);
        builder
            .standard_filters(false)
            .hidden(true)
            .parents(in_git)
            .git_ignore(!below_base)
            .git_exclude(true)
            .require_git(false)
            .follow_links(true);
        if below_base {
            let stack = GitignoreStack::new(base_abs);
            // A walk from the base would not enter `root` if it, or a
            // directory on the way to it, is ignored.
            let mut on_the_way = root_abs.ancestors().take_while(|d| *d != stack.base);
            if on_the_way.any(|d| stack.ignored(d, true)) {
                return;
            }
            let cwd = self.cwd.to_path_buf();
            builder.filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                !stack.ignored(&absolute(e.path(), &cwd), is_dir)
            });
        }
        let walker = builder.build();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    warnings.push(self.warning(&e));
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            // Paths keep the form of the path given (`../../x/a.toml`).
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == CONFIG_FILE_NAME) {
                continue;
            }
            // Globs are relative to the base directory (`../x.toml` for a
            // file outside it).
            let rel = relative_to(&absolute(path, self.cwd), self.base);
            if !self.include.is_match(&rel) || self.exclude.is_match(&rel) {
                continue;
            }
            let identity = identity(path, self.cwd);
            if self.skip.contains(&identity) {
                continue;
            }
            out.push(Candidate {
                arg,
                file: DiscoveredFile {
                    path: path.to_path_buf(),
                    display: display_path(path, self.cwd),
                    explicit: false,
                },
                identity,
            });
        }
    }

    fn warning(&self, error: &ignore::Error) -> String {
        let shown = |p: &Path| display_path(p, self.cwd);
        match error {
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                self.warning(err)
            }
            ignore::Error::Loop { ancestor, child } => format!(
                "skipped `{}`: symbolic link loop back to `{}`",
                shown(child),
                shown(ancestor)
            ),
            ignore::Error::WithPath { path, err } => match err.as_ref() {
                ignore::Error::Io(io) => format!("skipped `{}`: {io}", shown(path)),
                other => format!("`{}`: {}", shown(path), self.warning(other)),
            },
            ignore::Error::Partial(errors) => errors
                .iter()
                .map(|e| self.warning(e))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, AtomicOrdering::SeqCst);
            let dir = std::env::temp_dir().join(format!(
                "orglint-discover-{}-{name}-{n}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            // Canonical, so that display paths are stable where /tmp is a link.
            TempDir(fs::canonicalize(&dir).unwrap())
        }

        fn write(&self, rel: &str) -> PathBuf {
            let path = self.0.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "").unwrap();
            path
        }

        fn opts(&self) -> DiscoverOptions {
            DiscoverOptions {
                base_dir: self.0.clone(),
                cwd: self.0.clone(),
                ..DiscoverOptions::default()
            }
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn displays(found: &Discovered) -> Vec<&str> {
        found.files.iter().map(|f| f.display.as_str()).collect()
    }

    fn run(dir: &TempDir, paths: &[&str], opts: &DiscoverOptions) -> Discovered {
        let paths: Vec<PathBuf> = paths.iter().map(|p| dir.0.join(p)).collect();
        discover(&paths, opts).unwrap()
    }

    #[test]
    fn include_and_exclude_are_relative_to_the_base_dir() {
        let dir = TempDir::new("globs");
        dir.write("org/a.toml");
        dir.write("org/b.yaml");
        dir.write("drafts/c.toml");
        dir.write("drafts/deep/d.toml");
        dir.write("top.toml");
        let mut opts = dir.opts();
        opts.exclude = vec!["drafts/**".into()];
        assert_eq!(
            displays(&run(&dir, &["."], &opts)),
            ["org/a.toml", "top.toml"]
        );

        // Walking a sub-directory still matches globs from the base dir.
        let found = run(&dir, &["drafts"], &opts);
        assert!(found.files.is_empty());

        // `*` does not cross `/`.
        opts.exclude = Vec::new();
        opts.include = vec!["*.toml".into()];
        assert_eq!(displays(&run(&dir, &["."], &opts)), ["top.toml"]);
        opts.include = vec!["org/*".into(), "drafts/*.toml".into()];
        assert_eq!(
            displays(&run(&dir, &["."], &opts)),
            ["drafts/c.toml", "org/a.toml", "org/b.yaml"]
        );
    }

    #[test]
    fn files_outside_the_base_dir_are_matched_with_dot_dot() {
        let dir = TempDir::new("outside");
        dir.write("conf/x.toml");
        dir.write("other/a.toml");
        dir.write("other/drafts/b.toml");
        let mut opts = dir.opts();
        opts.base_dir = dir.0.join("conf");
        opts.exclude = vec!["drafts/**".into(), "../other/drafts/**".into()];
        assert_eq!(displays(&run(&dir, &["other"], &opts)), ["other/a.toml"]);
        opts.include = vec!["*.toml".into()];
        assert_eq!(displays(&run(&dir, &["."], &opts)), ["conf/x.toml"]);
        assert_eq!(
            relative_to(Path::new("/w/a/b.toml"), Path::new("/w/c/d")),
            "../../a/b.toml"
        );
        assert_eq!(
            relative_to(Path::new("/w/a/b.toml"), Path::new("/w")),
            "a/b.toml"
        );
    }

    #[test]
    fn gitignore_is_honoured_outside_git() {
        let dir = TempDir::new("gitignore");
        fs::write(dir.0.join(".gitignore"), "ignored/\nskip-*.toml\n").unwrap();
        dir.write("ignored/a.toml");
        dir.write("skip-me.toml");
        dir.write("keep.toml");
        let found = run(&dir, &["."], &dir.opts());
        assert_eq!(displays(&found), ["keep.toml"]);
        // Given explicitly, an ignored file is linted.
        let found = run(&dir, &["skip-me.toml"], &dir.opts());
        assert_eq!(displays(&found), ["skip-me.toml"]);
    }

    #[test]
    fn gitignores_between_the_base_and_a_walked_sub_directory_apply() {
        let dir = TempDir::new("gitignore-sub");
        fs::write(
            dir.0.join(".gitignore"),
            "*.local.toml\n/a/b/gen/\nskipped/\n",
        )
        .unwrap();
        dir.write("a/b/keep.toml");
        dir.write("a/b/x.local.toml");
        dir.write("a/b/gen/g.toml");
        dir.write("a/b/c/deep.toml");
        dir.write("a/skipped/s.toml");
        fs::write(dir.0.join("a/.gitignore"), "drop-*.toml\n").unwrap();
        dir.write("a/b/drop-me.toml");
        // A deeper `.gitignore` re-includes what a shallower one ignores.
        fs::write(dir.0.join("a/b/c/.gitignore"), "!*.local.toml\n").unwrap();
        dir.write("a/b/c/wanted.local.toml");
        let expected = [
            "a/b/c/deep.toml",
            "a/b/c/wanted.local.toml",
            "a/b/keep.toml",
        ];
        assert_eq!(displays(&run(&dir, &["."], &dir.opts())), expected);
        assert_eq!(displays(&run(&dir, &["a"], &dir.opts())), expected);
        assert_eq!(displays(&run(&dir, &["a/b"], &dir.opts())), expected);
        assert_eq!(
            displays(&run(&dir, &["a/b/c"], &dir.opts())),
            ["a/b/c/deep.toml", "a/b/c/wanted.local.toml"]
        );
        // A walked directory that an ignore file above it ignores gives
        // nothing; a file named explicitly is still taken.
        assert!(run(&dir, &["a/b/gen"], &dir.opts()).files.is_empty());
        assert!(run(&dir, &["a/skipped"], &dir.opts()).files.is_empty());
        assert_eq!(
            displays(&run(&dir, &["a/b/gen/g.toml"], &dir.opts())),
            ["a/b/gen/g.toml"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_the_named_directory_is_walked() {
        use std::os::unix::fs::symlink;
        let dir = TempDir::new("siblings");
        dir.write("a/b/good/org.toml");
        dir.write("a/b/good/sub/more.toml");
        dir.write("a/other.toml");
        symlink("nowhere.toml", dir.0.join("dangling.toml")).unwrap();
        symlink(".", dir.0.join("loop")).unwrap();
        symlink("gone", dir.0.join("a/b/dangling")).unwrap();
        fs::create_dir_all(dir.0.join("a/bad")).unwrap();
        symlink("nowhere.toml", dir.0.join("a/bad/dangling.toml")).unwrap();
        let everything = run(&dir, &["."], &dir.opts());
        assert_eq!(everything.warnings.len(), 4, "{:?}", everything.warnings);
        for named in ["a/b/good", "a/b/good/sub"] {
            let found = run(&dir, &[named], &dir.opts());
            assert!(found.warnings.is_empty(), "{named}: {:?}", found.warnings);
        }
        let found = run(&dir, &["a/b/good"], &dir.opts());
        assert_eq!(
            displays(&found),
            ["a/b/good/org.toml", "a/b/good/sub/more.toml"]
        );
        // Reached twice (as a directory and inside another), taken once.
        let found = run(&dir, &["a/b/good/sub", "a/b/good"], &dir.opts());
        assert_eq!(
            displays(&found),
            ["a/b/good/org.toml", "a/b/good/sub/more.toml"]
        );
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
    }

    #[test]
    fn hidden_paths_are_skipped_in_walks() {
        let dir = TempDir::new("hidden");
        dir.write(".hidden/a.toml");
        dir.write(".b.toml");
        dir.write("c.toml");
        assert_eq!(displays(&run(&dir, &["."], &dir.opts())), ["c.toml"]);
        // A hidden directory given explicitly is walked.
        assert_eq!(
            displays(&run(&dir, &[".hidden"], &dir.opts())),
            [".hidden/a.toml"]
        );
    }

    #[test]
    fn config_files_and_the_skip_list_are_skipped_unless_explicit() {
        let dir = TempDir::new("config");
        dir.write("orglint.toml");
        dir.write("sub/orglint.toml");
        let pack = dir.write("rules/local.toml");
        dir.write("org.toml");
        let mut opts = dir.opts();
        opts.skip = vec![pack.clone()];
        assert_eq!(displays(&run(&dir, &["."], &opts)), ["org.toml"]);
        let found = run(&dir, &["orglint.toml", "rules/local.toml"], &opts);
        assert_eq!(displays(&found), ["orglint.toml", "rules/local.toml"]);
        assert!(found.files.iter().all(|f| f.explicit));
    }

    #[test]
    fn explicit_files_are_always_linted() {
        let dir = TempDir::new("explicit");
        dir.write("notes.md");
        let mut opts = dir.opts();
        opts.exclude = vec!["**".into()];
        let found = run(&dir, &["notes.md"], &opts);
        assert_eq!(displays(&found), ["notes.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_same_file_twice_is_taken_once() {
        let dir = TempDir::new("dupes");
        let real = dir.write("real/a.toml");
        std::os::unix::fs::symlink(dir.0.join("real"), dir.0.join("alias")).unwrap();
        std::os::unix::fs::symlink(&real, dir.0.join("z-link.toml")).unwrap();
        let found = run(&dir, &["."], &dir.opts());
        assert_eq!(displays(&found), ["alias/a.toml"]);

        // Given twice: first argument wins.
        let found = run(&dir, &["z-link.toml", "real/a.toml"], &dir.opts());
        assert_eq!(displays(&found), ["z-link.toml"]);
        let found = run(&dir, &["real/a.toml", "real/./a.toml", "."], &dir.opts());
        assert_eq!(displays(&found), ["real/a.toml"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_and_skipped() {
        let dir = TempDir::new("loop");
        dir.write("a/x.toml");
        std::os::unix::fs::symlink(dir.0.join("a"), dir.0.join("a/back")).unwrap();
        let found = run(&dir, &["."], &dir.opts());
        assert_eq!(displays(&found), ["a/x.toml"]);
        assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
        assert!(found.warnings[0].contains("loop"), "{:?}", found.warnings);
    }

    #[test]
    fn missing_paths_are_an_error() {
        let dir = TempDir::new("missing");
        dir.write("a.toml");
        let paths = [
            dir.0.join("a.toml"),
            dir.0.join("nope"),
            dir.0.join("gone.toml"),
        ];
        let err = discover(&paths, &dir.opts()).unwrap_err();
        assert_eq!(
            err,
            DiscoverError::NotFound(vec!["nope".into(), "gone.toml".into()])
        );
        assert_eq!(err.to_string(), "paths `nope`, `gone.toml` do not exist");
    }

    #[test]
    fn output_is_in_path_order_and_capped() {
        let dir = TempDir::new("order");
        for f in ["a.toml", "a-c.toml", "a/b.toml", "B.toml", "a/a/z.toml"] {
            dir.write(f);
        }
        let mut opts = dir.opts();
        let found = run(&dir, &["a.toml", "."], &opts);
        assert_eq!(
            displays(&found),
            ["B.toml", "a/a/z.toml", "a/b.toml", "a-c.toml", "a.toml"]
        );
        opts.max_files = 2;
        let found = run(&dir, &["."], &opts);
        assert_eq!(displays(&found), ["B.toml", "a/a/z.toml"]);
        assert!(
            found
                .note
                .as_deref()
                .unwrap_or("")
                .contains("5 files found")
        );
    }

    #[test]
    fn display_paths_outside_cwd_are_as_given() {
        let dir = TempDir::new("display");
        dir.write("x/a.toml");
        let mut opts = dir.opts();
        opts.cwd = dir.0.join("x/sub-that-need-not-exist");
        let found = discover(&[dir.0.join("x")], &opts).unwrap();
        let expected = format!("{}/x/a.toml", dir.0.display());
        assert_eq!(displays(&found), [expected.as_str()]);
        assert_eq!(
            display_path(Path::new("./a/../b/c.toml"), Path::new("/w")),
            "b/c.toml"
        );
        assert_eq!(
            display_path(Path::new("../q.toml"), Path::new("/w/x")),
            "../q.toml"
        );
        assert_eq!(
            display_path(Path::new("/w/x/q.toml"), Path::new("/w")),
            "x/q.toml"
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_are_displayed_lossily() {
        use std::os::unix::ffi::OsStrExt;
        let dir = TempDir::new("utf8");
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.toml");
        if fs::write(dir.0.join(name), "").is_err() {
            return; // the file system refuses such names
        }
        let found = run(&dir, &["."], &dir.opts());
        assert_eq!(displays(&found), ["caf\u{fffd}.toml"]);
        assert_eq!(found.files[0].path.file_name(), Some(name));
    }
}
