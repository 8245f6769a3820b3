//! The parse floor: read and parse every `.toml` file under a directory with
//! the `toml` crate on one thread, no spans, no model. `orglint check` is
//! measured against this (README, "Performance").
//!
//!     cargo run --release --example parse_floor -- DIR [RUNS]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    let mut best = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        bytes = 0;
        for p in &paths {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            bytes += text.len();
            let table: Result<toml::Table, _> = toml::from_str(&text);
            std::hint::black_box(&table);
        }
        best = best.min(start.elapsed());
    }
    println!(
        "{} files, {} bytes: best of {runs}: {:.1} ms",
        paths.len(),
        bytes,
        best.as_secs_f64() * 1e3
    );
}
