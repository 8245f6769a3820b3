//! Command-line parsing and the commands. The engine lives in the library;
//! this module turns flags into calls and results into output and an exit
//! code (0 clean, 1 findings at or above `--fail-on`, 2 cannot do the job).

mod args;
mod check;
mod explain;
mod graph;
mod init;
mod output;
mod rule_doc;
mod rules;
mod rules_markdown;
mod schema;
mod watchdog;

use std::io::Write;

use clap::Parser;

pub use args::{Cli, Command};

/// Exit codes.
pub const OK: i32 = 0;
pub const FINDINGS: i32 = 1;
pub const FAILURE: i32 = 2;

/// Writes a command's whole output to standard output. Exit code 0 when it
/// is written or when the reader went away (`orglint rules | head`); 2, with
/// a message, when it cannot be written (a full disk).
fn print(bytes: &[u8]) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => OK,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot write to standard output: {e}"
            );
            FAILURE
        }
    }
}

pub fn main() -> i32 {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let argv = match args::route(argv) {
        Ok(a) => a,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            return FAILURE;
        }
    };
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { FAILURE } else { OK };
            let _ = e.print();
            return code;
        }
    };
    match &cli.command {
        Some(Command::Check(c)) => check::run(&cli, c),
        Some(Command::Rules(r)) => rules::run(&cli, r),
        Some(Command::Explain(e)) => explain::run(&cli, e),
        Some(Command::Init(i)) => init::run(&cli, i),
        Some(Command::Schema(s)) => schema::run(s),
        Some(Command::Graph(g)) => graph::run(&cli, g),
        None => check::run(&cli, &args::CheckArgs::default()),
    }
}

/// A subcommand close to `word`.
fn suggest(word: &str) -> Option<&'static str> {
    args::COMMANDS
        .iter()
        .copied()
        .find(|c| orglint::suggest::did_you_mean(word, [*c]).is_some() && word.len() > 2)
}
