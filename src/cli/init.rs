//! `orglint init [DIR]`: writes an `orglint.toml` showing every setting and
//! a small example organisation that `orglint check` passes with no finding
//! at any severity. Existing files are never overwritten without `--force`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use orglint::discover;

use super::args::{Cli, InitArgs};
use super::{FAILURE, OK};

/// The files `init` writes, relative to DIR, and their contents.
const FILES: &[(&str, &str)] = &[
    ("orglint.toml", include_str!("init/orglint.toml")),
    (
        "org/organisation.toml",
        include_str!("init/org/organisation.toml"),
    ),
    ("org/people.toml", include_str!("init/org/people.toml")),
    ("org/teams.toml", include_str!("init/org/teams.toml")),
    ("org/services.toml", include_str!("init/org/services.toml")),
    (
        "org/governance.toml",
        include_str!("init/org/governance.toml"),
    ),
];

pub fn run(cli: &Cli, args: &InitArgs) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let dir = &args.dir;
    let show = |p: &Path| discover::display_path(p, &cwd);
    if dir.exists() && !dir.is_dir() {
        return fail(&format!("`{}` exists and is not a directory", show(dir)));
    }

    // Decide everything before writing anything: a refusal leaves no file
    // half-written.
    let mut existing = Vec::new();
    for (rel, _) in FILES {
        let path = dir.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                return fail(&format!(
                    "`{}` is a directory; remove or rename it first",
                    show(&path)
                ));
            }
            Ok(_) => existing.push(path),
            Err(_) => {}
        }
    }
    if !existing.is_empty() && !args.force {
        let mut stderr = io::stderr().lock();
        for path in &existing {
            let _ = writeln!(
                stderr,
                "error: `{}` already exists; not overwriting it",
                show(path)
            );
        }
        let again = if args.dir == Path::new(".") {
            "orglint init --force".to_owned()
        } else {
            format!("orglint init {} --force", shell_word(&show(dir)))
        };
        let _ = writeln!(
            stderr,
            "  help: run `{again}` to overwrite, or choose another directory"
        );
        return FAILURE;
    }

    let mut written = Vec::new();
    for (rel, contents) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            return fail(&format!("cannot create `{}`: {e}", show(parent)));
        }
        // `--force` replaces a symbolic link itself, never the file it
        // points to, which may lie outside DIR.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
            && let Err(e) = std::fs::remove_file(&path)
        {
            return fail(&format!("cannot replace `{}`: {e}", show(&path)));
        }
        if let Err(e) = std::fs::write(&path, contents) {
            return fail(&format!("cannot write `{}`: {e}", show(&path)));
        }
        let verb = if existing.contains(&path) {
            "overwrote"
        } else {
            "created"
        };
        written.push((verb, show(&path)));
    }

    if cli.quiet {
        return OK;
    }
    let mut out = String::from("Wrote a config and an example organisation:\n");
    let width = written.iter().map(|(v, _)| v.len()).max().unwrap_or(0);
    for (verb, path) in &written {
        out.push_str(&format!("  {verb:<width$}  {path}\n"));
    }
    let target = show(dir);
    let (check, org) = if target == "." {
        ("orglint check".to_owned(), "org/".to_owned())
    } else {
        (
            format!("orglint check {}", shell_word(&target)),
            format!("{}/org/", target.trim_end_matches('/')),
        )
    };
    out.push_str(&format!(
        "\nNext: run `{check}`; it finds nothing to report.\n\
         Then describe your own organisation in `{org}` and run it again.\n"
    ));
    super::print(out.as_bytes())
}

fn fail(message: &str) -> i32 {
    let _ = writeln!(io::stderr(), "error: {message}");
    FAILURE
}

/// A path as one shell word: as is when it needs no quoting.
fn shell_word(s: &str) -> String {
    let plain = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+=:@,".contains(c));
    if plain && !s.is_empty() {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(shell_word("demo/org"), "demo/org");
        assert_eq!(shell_word("my org"), "'my org'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
