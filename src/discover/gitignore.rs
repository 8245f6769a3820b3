//! `.gitignore` matching for a walk that starts below the base directory,
//! outside git (see `Walk::dir`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// The `.gitignore` files of a directory and of each directory above it up
/// to the base, deepest first (only those with patterns).
type GitignoreChain = Arc<[Arc<Gitignore>]>;

/// `.gitignore` matching for a walk that starts below the base directory
/// outside git: the `.gitignore` of every directory from the base down to
/// the entry's directory applies, and the deepest one with a matching
/// pattern decides (so `!x` below re-includes what is ignored above), as in
/// the ignore crate. Paths are absolute and normalized, below the base.
pub(super) struct GitignoreStack {
    pub(super) base: PathBuf,
    /// Per directory, its chain; filled as the walk goes down.
    chains: Mutex<HashMap<PathBuf, GitignoreChain>>,
}

impl GitignoreStack {
    pub(super) fn new(base: PathBuf) -> GitignoreStack {
        GitignoreStack {
            base,
            chains: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `path` (a file, or a directory when `is_dir`) is ignored.
    pub(super) fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        let Some(dir) = path.parent() else {
            return false;
        };
        for gitignore in self.chain(dir).iter() {
            match gitignore.matched(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }

    /// The chain of `dir`; empty above or beside the base.
    fn chain(&self, dir: &Path) -> GitignoreChain {
        let mut chains = self.chains.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(chain) = chains.get(dir) {
            return chain.clone();
        }
        if !dir.starts_with(&self.base) {
            return Arc::from(Vec::new());
        }
        // The directories from `dir` up to the nearest one already known
        // (or the base), then built top down.
        let mut todo: Vec<&Path> = Vec::new();
        let mut known: GitignoreChain = Arc::from(Vec::new());
        for d in dir.ancestors() {
            if let Some(chain) = chains.get(d) {
                known = chain.clone();
                break;
            }
            todo.push(d);
            if d == self.base {
                break;
            }
        }
        for d in todo.into_iter().rev() {
            let mut chain: Vec<Arc<Gitignore>> = Vec::with_capacity(known.len() + 1);
            if let Some(own) = read_gitignore(d) {
                chain.push(Arc::new(own));
            }
            chain.extend(known.iter().cloned());
            known = Arc::from(chain);
            chains.insert(d.to_path_buf(), known.clone());
        }
        known
    }
}

/// The patterns of `dir/.gitignore`, when it has any. Like the ignore
/// crate's walker, a file that cannot be read counts as empty and bad lines
/// are left out.
fn read_gitignore(dir: &Path) -> Option<Gitignore> {
    let file = dir.join(".gitignore");
    if !file.exists() {
        return None;
    }
    let mut builder = GitignoreBuilder::new(dir);
    // Errors only concern lines left out (or a file that cannot be read).
    let _ = builder.add(file);
    builder.build().ok().filter(|g| !g.is_empty())
}
