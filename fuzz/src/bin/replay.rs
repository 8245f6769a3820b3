//! Replays inputs through a target's harness without libFuzzer, timing each:
//! `cargo run --release --bin replay -- TARGET PATH...` (files or directories).
//! For checking a crash or a slow input on stable, and for profiling.

use std::path::PathBuf;
use std::time::Instant;

use orglint_fuzz::Workspace;

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().expect("usage: replay TARGET PATH...");
    let mut inputs: Vec<PathBuf> = Vec::new();
    for arg in args {
        let path = PathBuf::from(arg);
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&path)
                .expect("read a directory")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            inputs.extend(entries);
        } else {
            inputs.push(path);
        }
    }
    let ws = match target.as_str() {
        "org_file" | "org_files" => Workspace::full("replay"),
        "config" | "pack" => orglint_fuzz::example_workspace("replay"),
        other => panic!("unknown target {other}"),
    };
    let setup = ws
        .setup()
        .unwrap_or_else(|_| panic!("the harness config is valid"));
    let mut total = 0.0;
    let mut slowest = (0.0, PathBuf::new());
    for input in &inputs {
        let data = std::fs::read(input).expect("read an input");
        let started = Instant::now();
        match target.as_str() {
            "org_file" => orglint_fuzz::fuzz_org_files(&setup, &ws, &[&data]),
            "org_files" => {
                orglint_fuzz::fuzz_org_files(&setup, &ws, &orglint_fuzz::split_files(&data))
            }
            "config" => orglint_fuzz::fuzz_config(&ws, &data),
            "pack" => orglint_fuzz::fuzz_pack(&ws, &data),
            _ => unreachable!(),
        }
        let secs = started.elapsed().as_secs_f64();
        total += secs;
        if secs > slowest.0 {
            slowest = (secs, input.clone());
        }
        if std::env::var_os("REPLAY_VERBOSE").is_some() {
            println!("{:9.3} ms  {}", secs * 1e3, input.display());
        }
    }
    println!(
        "{} inputs, {:.1} ms in all, {:.3} ms each on average; slowest {:.1} ms: {}",
        inputs.len(),
        total * 1e3,
        total * 1e3 / inputs.len().max(1) as f64,
        slowest.0 * 1e3,
        slowest.1.display()
    );
}
