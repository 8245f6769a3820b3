//! Shared helpers of the integration tests that run the real `orglint`
//! binary: a scratch directory that cleans itself up, a runner with a hard
//! timeout and a fixed environment, and a small valid organisation.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long one run may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The crate's directory.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/<rest>`.
pub fn fixture(rest: &str) -> PathBuf {
    manifest_dir().join("fixtures").join(rest)
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "orglint-test-{tag}-{}-{n}-{nanos}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
        TempDir { path }
    }

    /// A scratch directory with an empty `orglint.toml` at its root, so that
    /// no config of the machine (in a parent of the temp dir) is picked up.
    pub fn with_config(tag: &str) -> TempDir {
        let dir = TempDir::new(tag);
        dir.write("orglint.toml", "");
        dir
    }

    /// [`TempDir::with_config`] plus a copy of `fixtures/example` in `rel`.
    pub fn with_example(tag: &str, rel: &str) -> TempDir {
        let dir = TempDir::with_config(tag);
        dir.copy_dir(&fixture("example"), rel);
        dir
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }

    /// Writes `rel` (creating its directories).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }

    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let path = self.path.join(rel);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("creating {}: {e}", path.display()));
        path
    }

    /// Copies every file of `from` (recursively) to `rel`.
    pub fn copy_dir(&self, from: &Path, rel: &str) {
        let to = self.mkdir(rel);
        copy_tree(from, &to);
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copying {}: {e}", entry.path().display()));
        }
    }
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    pub elapsed: Duration,
}

impl Run {
    /// Fails when the process panicked.
    pub fn assert_no_panic(&self) -> &Run {
        assert!(
            !self.stderr.contains("panicked"),
            "orglint panicked:\n{}",
            self.stderr
        );
        assert!(
            self.code >= 0,
            "orglint was killed by a signal:\n{}",
            self.stderr
        );
        self
    }

    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            code,
            "exit code\n--- stdout:\n{}\n--- stderr:\n{}",
            truncate(&self.stdout),
            truncate(&self.stderr)
        );
        self
    }

    /// The stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON: {e}\n{}\n{}",
                truncate(&self.stdout),
                self.stderr
            )
        })
    }
}

fn truncate(s: &str) -> String {
    if s.len() <= 4000 {
        s.to_owned()
    } else {
        let mut end = 4000;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}... ({} bytes)", &s[..end], s.len())
    }
}

/// A command for the binary with a fixed environment: `ORGLINT_TODAY` set,
/// no `NO_COLOR`, no timings.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orglint"));
    cmd.args(args)
        .current_dir(dir)
        .env("ORGLINT_TODAY", "2026-06-01")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("ORGLINT_TIMINGS")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `orglint ARGS` in `dir`.
pub fn orglint(dir: &Path, args: &[&str]) -> Run {
    run(command(dir, args))
}

/// Runs `orglint ARGS` in `dir` to the end (no timeout), for tests that
/// look at the raw [`Output`].
pub fn output(dir: &Path, args: &[&str]) -> Output {
    command(dir, args)
        .output()
        .unwrap_or_else(|e| panic!("running orglint: {e}"))
}

/// Runs a prepared command, killing it (and failing the test) after
/// [`TIMEOUT`].
pub fn run(mut cmd: Command) -> Run {
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("spawning orglint: {e}"));
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait_with_timeout(&mut child, TIMEOUT);
    let elapsed = started.elapsed();
    let raw_stdout = stdout.join().expect("stdout reader");
    let stderr = stderr.join().expect("stderr reader");
    let Some(status) = status else {
        panic!(
            "orglint {:?} did not finish within {TIMEOUT:?} (killed)",
            cmd.get_args().collect::<Vec<_>>()
        );
    };
    Run {
        stdout: String::from_utf8_lossy(&raw_stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        raw_stdout,
        code: status.code().unwrap_or(-1),
        elapsed,
    }
}

fn drain<R: Read + Send + 'static>(stream: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut s) = stream {
            let _ = s.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Waits for the child; kills it and returns `None` after `timeout`.
/// `orglint check --format FORMAT | head -1`: reads one line of the report,
/// closes the pipe, and waits (panicking if orglint hangs). Returns the exit
/// status and everything orglint wrote to standard error.
pub fn one_line_then_close(dir: &Path, format: &str) -> (std::process::ExitStatus, String) {
    use std::io::BufRead;
    let mut child = command(dir, &["check", "--color", "never", "--format", format])
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = Read::read_to_string(&mut { stderr }, &mut s);
        s
    });
    {
        let mut reader = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        reader.read_line(&mut line).expect("one line");
        assert!(!line.is_empty(), "{format}: no output");
        // Dropping the reader closes the pipe, like `head -1` exiting.
    }
    let status = wait_with_timeout(&mut child, TIMEOUT)
        .unwrap_or_else(|| panic!("{format}: orglint hung after its reader went away"));
    (status, stderr.join().expect("stderr reader"))
}

pub fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Drops the time from the summary line (`...; 0.03s` -> `...; <time>`).
pub fn without_time(s: &str) -> String {
    let mut out: String = s
        .lines()
        .map(|line| match line.rfind("; ") {
            Some(i)
                if line.ends_with('s') && line[i + 2..line.len() - 1].parse::<f64>().is_ok() =>
            {
                format!("{}; <time>", &line[..i])
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    if s.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `path:line:col CODE` for each diagnostic of a json report (`- CODE`
/// without a span), in report order.
pub fn positions(doc: &serde_json::Value) -> Vec<String> {
    list_positions(&doc["diagnostics"])
}

/// Like [`positions`] for the `suppressed` list.
pub fn suppressed_positions(doc: &serde_json::Value) -> Vec<String> {
    list_positions(&doc["suppressed"])
}

fn list_positions(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap_or("?");
            match d["path"].as_str() {
                Some(path) => format!(
                    "{path}:{}:{} {code}",
                    d["start"]["line"], d["start"]["column"]
                ),
                None => format!("- {code}"),
            }
        })
        .collect()
}

/// The codes of a json report's diagnostics, in order.
pub fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("?").to_owned())
        .collect()
}

/// The small valid organisation of org-format.md: no finding at any
/// severity on its own.
pub const VALID_ORG: &str = r#"[organisation]
name = "Department for Example Services"
operating-model = "product"

[posts]
professional-lead = "amara-okafor"
digital-services-director = "amara-okafor"
chief-technology-officer = "ben-hughes"

[accountabilities]
data = "amara-okafor"
technology = "amara-okafor"
digital-services = "amara-okafor"
spend-control = "amara-okafor"
budget = "amara-okafor"
common-platforms = "ben-hughes"

[people.amara-okafor]
name = "Amara Okafor"
role = "chief-digital-and-information-officer"

[people.ben-hughes]
name = "Ben Hughes"
role = "chief-technology-officer"
reports-to = "amara-okafor"

[governance.executive-board]
name = "Executive board"
area = "executive"
decision = "accountable-owner"
owner = "amara-okafor"
members = ["amara-okafor", "ben-hughes"]
remit = ["spend", "budget", "strategy"]
"#;

/// A service with exactly one finding: NEED002 (warning) at 6:15, the
/// `procurement` value.
pub const ONE_WARNING_SERVICE: &str = r#"[services.apply]
name = "Apply"
owner = "amara-okafor"
decision-rights = ["product", "business", "technical"]
user-needs = ["apply online"]
procurement = "best-value"
"#;

/// A person in no team and no body, managed by the professional lead:
/// exactly one finding, ORG007 (info), at the header (1:1).
pub fn unplaced_person(id: &str) -> String {
    format!(
        "[people.{id}]\nname = \"{id}\"\nrole = \"software-developer\"\nreports-to = \"amara-okafor\"\n"
    )
}

/// A service without an owner: OWN001 (error) at its header, and nothing
/// else.
pub fn ownerless_service(id: &str) -> String {
    format!("[services.{id}]\nname = \"{id}\"\nuser-needs = [\"a need\"]\n")
}

/// An organisation with thousands of findings: the valid organisation plus
/// `files` files of 1,000 ownerless services each, with no cap on printed
/// findings, so that every format writes far more than a pipe holds.
pub fn noisy_org(tag: &str, files: usize) -> TempDir {
    let tmp = TempDir::new(tag);
    tmp.write("orglint.toml", "[lint]\nmax-findings = 1000000\n");
    tmp.write("org.toml", VALID_ORG);
    for f in 0..files {
        let mut text = String::new();
        for i in 0..1000 {
            text.push_str(&ownerless_service(&format!("s{f}-{i}")));
            text.push('\n');
        }
        tmp.write(&format!("services/{f}.toml"), text);
    }
    tmp
}
