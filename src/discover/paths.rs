//! Path forms: normalized, absolute, relative to the base (for globs) and
//! the display form (relative to the current directory, `/`-separated).

use std::path::{Component, Path, PathBuf};

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
