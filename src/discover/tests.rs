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
