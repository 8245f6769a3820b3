//! The `orglint` command line.

mod cli;

/// Exit code when orglint cannot do its job (see `cli::FAILURE`).
const INTERNAL_ERROR: i32 = 2;

fn main() {
    // A panic is a bug, never a verdict on the input: after the panic
    // message, say so and exit 2 ("could not do its job"), not Rust's 101,
    // so CI never mistakes it for findings or for a clean run.
    let code = std::panic::catch_unwind(cli::main).unwrap_or_else(|_| {
        eprintln!(
            "error: orglint hit an internal error (a bug); please report it with the input that caused it"
        );
        INTERNAL_ERROR
    });
    std::process::exit(code);
}
