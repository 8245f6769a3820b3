//! One directory walk: `.gitignore`-aware, hidden paths skipped, globs
//! matched relative to the base directory.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::GlobSet;

use super::gitignore::GitignoreStack;
use super::paths::{absolute, display_path, relative_below, relative_to};
use super::{CONFIG_FILE_NAME, Candidate, DiscoveredFile, identity};

pub(super) struct Walk<'a> {
    pub(super) cwd: &'a Path,
    pub(super) base: &'a Path,
    pub(super) include: &'a GlobSet,
    pub(super) exclude: &'a GlobSet,
    pub(super) skip: &'a HashSet<PathBuf>,
}

impl Walk<'_> {
    pub(super) fn dir(
        &self,
        arg: usize,
        root: &Path,
        out: &mut Vec<Candidate>,
        warnings: &mut Vec<String>,
    ) {
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
