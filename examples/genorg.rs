//! Generates a large, realistic organisation in the org file format (v1): one
//! file per directorate under `OUT/org/`. Deterministic for a given `--seed`.
//! Plants a known number of violations and prints the counts as JSON on
//! standard output, so that orglint's findings on it can be checked, not
//! only timed.
//!
//!     cargo run --release --example genorg -- OUT [--people 17000] \
//!         [--directorates 40] [--seed 1] [--violations 0.01]
//!
//! A port of `genorg.py` (same structure and planted violations; a different
//! random sequence). The generator itself is `support/genorg_core.rs`.

#[path = "support/genorg_core.rs"]
mod genorg_core;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: genorg OUT [--people N] [--directorates D] [--seed S] [--violations V]";

fn parse_args() -> Result<(PathBuf, genorg_core::Options), String> {
    let mut options = genorg_core::Options::default();
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        if !flag.starts_with("--") {
            if out.replace(PathBuf::from(&arg)).is_some() {
                return Err(format!("unexpected argument `{arg}`"));
            }
            continue;
        }
        if flag == "--help" || flag == "-h" {
            return Err(String::new());
        }
        let value = match inline.or_else(|| args.next()) {
            Some(v) => v,
            None => return Err(format!("`{flag}` needs a value")),
        };
        let bad = |what: &str| format!("invalid `{flag} {value}`: expected {what}");
        match flag.as_str() {
            "--people" => options.people = value.parse().map_err(|_| bad("a count"))?,
            "--directorates" => {
                options.directorates = value
                    .parse()
                    .ok()
                    .filter(|&d| d > 0)
                    .ok_or_else(|| bad("a positive count"))?;
            }
            "--seed" => options.seed = value.parse().map_err(|_| bad("an integer"))?,
            "--violations" => {
                options.violations = value
                    .parse()
                    .ok()
                    .filter(|v: &f64| (0.0..=1.0).contains(v))
                    .ok_or_else(|| bad("a share between 0 and 1"))?;
            }
            _ => return Err(format!("unknown flag `{flag}`")),
        }
    }
    let out = out.ok_or_else(|| "missing OUT".to_owned())?;
    Ok((out, options))
}

fn main() -> ExitCode {
    let (out, options) = match parse_args() {
        Ok(a) => a,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let generated = genorg_core::generate(&options);
    if let Err(e) = generated.write(&out) {
        eprintln!("error: cannot write to `{}`: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!("{}", generated.summary_json());
    ExitCode::SUCCESS
}
