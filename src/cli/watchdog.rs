//! A time limit on runs with CEL rules. The CEL limits bound the size of an
//! expression, not the work it asks for: a comprehension over `org.people`
//! inside another, for each person, can ask for more than any run can do.
//! Past the limit orglint says so and exits 2, rather than hang a CI job.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// The variable that sets the limit, in seconds (`0`: none).
pub const ENV: &str = "ORGLINT_CEL_TIME_LIMIT";

/// The limit when the variable is not set. Ten CEL rules over 17,000 people
/// take a twentieth of a second.
pub const DEFAULT: Duration = Duration::from_secs(60);

/// The limit from [`ENV`]: `None` for no limit; an error for a value that
/// is not a whole number of seconds.
pub fn limit() -> Result<Option<Duration>, String> {
    match std::env::var(ENV) {
        Err(std::env::VarError::NotPresent) => Ok(Some(DEFAULT)),
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(0) => Ok(None),
            Ok(secs) => Ok(Some(Duration::from_secs(secs))),
            Err(_) => Err(format!(
                "invalid `{ENV}={text}`: expected a whole number of seconds (0: no limit)"
            )),
        },
        Err(std::env::VarError::NotUnicode(_)) => Err(format!(
            "invalid `{ENV}`: expected a whole number of seconds (0: no limit)"
        )),
    }
}

/// While alive, ends the process with exit code 2 once `limit` has passed.
pub struct Watchdog {
    /// Dropped with the watchdog, which wakes its thread to end.
    _stop: mpsc::Sender<()>,
}

impl Watchdog {
    /// Arms a watchdog; `None` when no thread can be started (the run then
    /// goes on without a limit).
    pub fn arm(limit: Duration) -> Option<Watchdog> {
        let (stop, wait) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("orglint-watchdog".to_owned())
            .spawn(move || {
                if let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
                    let _ = writeln!(
                        std::io::stderr(),
                        "error: the rules did not finish within {} s: a rule pack's CEL expressions \
                         ask for more work than a run can do (a comprehension inside a \
                         comprehension over `org`?); simplify them, or set {ENV} (seconds, 0 for \
                         no limit)",
                        limit.as_secs()
                    );
                    std::process::exit(super::FAILURE);
                }
            })
            .ok()?;
        Some(Watchdog { _stop: stop })
    }
}
