//! `orglint.toml`: finding it, parsing it with spans ([`parse`]) and resolving
//! it against the rules ([`resolve`]) into the [`Settings`] of one run.
//!
//! Every problem is a `config-error` diagnostic at the span in `orglint.toml`
//! (none for problems in command-line flags); the caller exits 2.

mod parse;
mod resolve;
pub mod schema;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use globset::GlobSet;

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, CONFIG_FILE_NAME, DEFAULT_INCLUDE, DEFAULT_MAX_FILES};
use crate::registry::OptionValue;
use crate::source::{FileId, Span};

pub use parse::parse;
pub use resolve::resolve;

/// Default `[files] max-file-size` (defined by the load stage, which
/// enforces it).
pub use crate::load::DEFAULT_MAX_FILE_SIZE;

/// Default `[lint] max-findings`.
pub const DEFAULT_MAX_FINDINGS: usize = 1000;

/// A config error: code `config`, name `config-error`, severity error.
pub fn config_error(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new("config", "config-error", Severity::Error, message)
}

/// The config file of a run: `--config FILE` when given, else the first
/// `orglint.toml` found walking up from the first PATH (from its directory
/// when it is a file), or from the current directory when no PATH is given.
///
/// The explicit file is returned whether it exists or not (reading it is the
/// caller's job, and failing to is exit 2). A found file is returned relative
/// when the walk started from a relative path (`../orglint.toml`).
pub fn find_config(explicit: Option<&Path>, first_path: Option<&Path>) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    find_config_in(explicit, first_path, &cwd)
}

/// [`find_config`] with the current directory given.
pub fn find_config_in(
    explicit: Option<&Path>,
    first_path: Option<&Path>,
    cwd: &Path,
) -> Option<PathBuf> {
    if let Some(explicit) = explicit {
        return Some(explicit.to_path_buf());
    }
    let start = match first_path {
        None => PathBuf::from("."),
        Some(p) if cwd.join(p).is_dir() => p.to_path_buf(),
        Some(p) => match p.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    let start_abs = discover::absolute(&start, cwd);
    for (up, dir) in start_abs.ancestors().enumerate() {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if cwd.join(&candidate).is_file() {
            if start.is_absolute() {
                return Some(candidate);
            }
            let mut rel = start.clone();
            for _ in 0..up {
                rel.push("..");
            }
            rel.push(CONFIG_FILE_NAME);
            return Some(relative_clean(&rel));
        }
    }
    None
}

/// A relative path with `.` removed and `x/..` folded, keeping leading `..`.
fn relative_clean(path: &Path) -> PathBuf {
    let clean = discover::normalize(path);
    if clean.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        clean
    }
}

/// A value with the place it was written; no span for command-line values.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Option<Span>,
}

impl<T> Located<T> {
    pub fn bare(value: T) -> Self {
        Located { value, span: None }
    }
}

/// `fail-on`: the lowest severity that fails the run, or never.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    Never,
}

impl FailOn {
    pub const ALL: [&'static str; 4] = ["error", "warning", "info", "never"];

    pub fn parse(s: &str) -> Option<FailOn> {
        match s {
            "never" => Some(FailOn::Never),
            _ => Severity::parse(s).map(FailOn::At),
        }
    }

    /// `None` for never.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::At(s) => Some(s),
            FailOn::Never => None,
        }
    }
}

/// A rule option's value as written, before it is checked against the
/// option's type.
#[derive(Clone, Debug, PartialEq)]
pub enum RawValue {
    String(String),
    Integer(i64),
    /// An integer outside the range of i64, as written.
    BadInteger(String),
    Float(f64),
    Bool(bool),
    Datetime(String),
    Array(Vec<Located<RawValue>>),
    /// Entries in the order written.
    Table(Vec<(Located<String>, Located<RawValue>)>),
}

impl RawValue {
    /// "a string", "an integer"... for messages.
    pub fn article(&self) -> &'static str {
        match self {
            RawValue::String(_) => "a string",
            RawValue::Integer(_) | RawValue::BadInteger(_) => "an integer",
            RawValue::Float(_) => "a float",
            RawValue::Bool(_) => "a boolean",
            RawValue::Datetime(_) => "a datetime",
            RawValue::Array(_) => "an array",
            RawValue::Table(_) => "a table",
        }
    }
}

/// `[files]` as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawFiles {
    pub include: Option<Vec<Located<String>>>,
    pub exclude: Vec<Located<String>>,
    pub max_file_size: Option<u64>,
    pub max_files: Option<usize>,
}

/// `[lint.options.<rule>]` as written.
#[derive(Clone, Debug, PartialEq)]
pub struct RawRuleOptions {
    /// The rule's code or name, as written.
    pub rule: Located<String>,
    pub values: Vec<(Located<String>, Located<RawValue>)>,
}

/// One `[[lint.overrides]]` entry as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawOverride {
    /// The `[[lint.overrides]]` header.
    pub span: Option<Span>,
    pub files: Vec<Located<String>>,
    pub select: Vec<Located<String>>,
    pub ignore: Vec<Located<String>>,
    pub severity: Vec<(Located<String>, Located<Severity>)>,
}

/// `[lint]` as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawLint {
    pub select: Option<Vec<Located<String>>>,
    pub ignore: Vec<Located<String>>,
    pub fail_on: Option<Located<FailOn>>,
    pub packs: Vec<Located<String>>,
    pub max_findings: Option<usize>,
    pub severity: Vec<(Located<String>, Located<Severity>)>,
    pub options: Vec<RawRuleOptions>,
    pub overrides: Vec<RawOverride>,
}

/// `orglint.toml` parsed and checked for shape, not yet against the rules.
/// `RawConfig::default()` is "no config file".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawConfig {
    /// The config file in the run's source map.
    pub file: Option<FileId>,
    /// The config's directory: globs and packs are relative to it. `None`
    /// means the current directory. [`parse`] leaves it `None`: set it with
    /// [`RawConfig::with_path`].
    pub dir: Option<PathBuf>,
    pub files: RawFiles,
    pub lint: RawLint,
}

impl RawConfig {
    /// Records where the config file is (its directory anchors globs/packs).
    pub fn with_path(mut self, config_file: &Path) -> Self {
        self.dir = Some(match config_file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        });
        self
    }

    /// The directory globs and packs are relative to.
    pub fn base_dir(&self) -> PathBuf {
        self.dir.clone().unwrap_or_else(|| PathBuf::from("."))
    }

    /// `[lint] packs`, resolved against the config's directory, each with
    /// the span of its string. Available before [`resolve`], since the
    /// packs' rules are needed to resolve.
    pub fn packs(&self) -> Vec<(PathBuf, Option<Span>)> {
        let dir = self.base_dir();
        self.lint
            .packs
            .iter()
            .map(|p| {
                let path = if dir == Path::new(".") {
                    PathBuf::from(&p.value)
                } else {
                    dir.join(&p.value)
                };
                (path, p.span)
            })
            .collect()
    }
}

/// Command-line flags that replace config values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CliOverrides {
    /// `--select`: replaces `[lint] select`.
    pub select: Option<Vec<String>>,
    /// `--ignore`: replaces `[lint] ignore`.
    pub ignore: Option<Vec<String>>,
    /// `--fail-on`.
    pub fail_on: Option<String>,
}

/// `[files]`, resolved: what discovery and loading need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSettings {
    /// The directory the globs are relative to (the config's, else `.`).
    pub base_dir: PathBuf,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: u64,
    pub max_files: usize,
}

impl Default for FileSettings {
    fn default() -> Self {
        FileSettings {
            base_dir: PathBuf::from("."),
            include: vec![DEFAULT_INCLUDE.to_owned()],
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_files: DEFAULT_MAX_FILES,
        }
    }
}

impl FileSettings {
    /// Options for [`discover::discover`]; `skip` is the active config file
    /// and every loaded pack.
    pub fn discover_options(&self, skip: Vec<PathBuf>) -> discover::DiscoverOptions {
        discover::DiscoverOptions {
            base_dir: self.base_dir.clone(),
            include: self.include.clone(),
            exclude: self.exclude.clone(),
            skip,
            max_files: self.max_files,
            ..discover::DiscoverOptions::default()
        }
    }
}

/// Where a configured option value was written, for checks the caller makes
/// (e.g. that the roles in TEAM001's `require` exist).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionSpans {
    /// The option's name.
    pub key: Span,
    /// The whole value.
    pub value: Span,
    /// A string list: one span per element.
    pub items: Vec<Span>,
    /// A group map: per group, the group's key and one span per element.
    pub groups: Vec<(Span, Vec<Span>)>,
}

/// The effective state of an enabled rule for one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleState {
    pub severity: Severity,
    /// The severity comes from the config (`[lint.severity]` or an
    /// override), and so replaces every level the rule itself would use
    /// (OWN004's two levels).
    pub configured: bool,
}

#[derive(Clone, Debug)]
struct RuleSettings {
    enabled: bool,
    severity: Severity,
    configured: bool,
    /// Every option of the rule: configured value, else the default.
    options: Vec<(String, OptionValue)>,
    /// Spans of the configured options, by option name.
    spans: Vec<(String, OptionSpans)>,
}

#[derive(Clone, Debug)]
struct Override {
    globs: GlobSet,
    /// Per rule: `Some(true)` selected, `Some(false)` ignored, `None` untouched.
    enable: Vec<Option<bool>>,
    severity: Vec<Option<Severity>>,
}

/// The resolved configuration of one run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub files: FileSettings,
    /// `None`: never fail.
    pub fail_on: Option<Severity>,
    pub max_findings: usize,
    /// Rule packs to load, resolved against the config's directory, each
    /// with the span of its string in `orglint.toml`.
    pub packs: Vec<(PathBuf, Span)>,
    /// The config file in the run's source map, when there is one.
    pub config_file: Option<FileId>,
    rules: Vec<RuleSettings>,
    overrides: Vec<Override>,
    /// Index of ORG008, always on at error.
    org008: Option<usize>,
    /// Absolute config directory, to match override globs; `None` when it
    /// is the current directory.
    config_dir_abs: Option<PathBuf>,
    cwd: PathBuf,
}

static MISSING_OPTION: OptionValue = OptionValue::Bool(false);

impl Settings {
    /// Whether the rule is enabled by `select`/`ignore` (overrides aside),
    /// for `orglint rules`.
    pub fn enabled(&self, rule: usize) -> bool {
        Some(rule) == self.org008 || self.rules.get(rule).is_some_and(|r| r.enabled)
    }

    /// The rule's severity: configured in `[lint.severity]`, else its
    /// default (overrides aside).
    pub fn severity(&self, rule: usize) -> Option<Severity> {
        if Some(rule) == self.org008 {
            return Some(Severity::Error);
        }
        self.rules.get(rule).map(|r| r.severity)
    }

    /// Whether `[lint.severity]` sets the rule's severity.
    pub fn severity_configured(&self, rule: usize) -> bool {
        Some(rule) != self.org008 && self.rules.get(rule).is_some_and(|r| r.configured)
    }

    /// The rule's severity for a file (by display path), `None` when the
    /// rule is disabled for it.
    pub fn rule_for_file(&self, rule: usize, path: &str) -> Option<Severity> {
        self.rule_state(rule, path).map(|s| s.severity)
    }

    /// Like [`Settings::rule_for_file`], also telling whether the severity
    /// was configured (globally or by a matching override).
    pub fn rule_state(&self, rule: usize, path: &str) -> Option<RuleState> {
        if Some(rule) == self.org008 {
            return Some(RuleState {
                severity: Severity::Error,
                configured: false,
            });
        }
        let settings = self.rules.get(rule)?;
        let mut enabled = settings.enabled;
        let mut state = RuleState {
            severity: settings.severity,
            configured: settings.configured,
        };
        if !self.overrides.is_empty() {
            let rel = self.relative(path);
            for o in &self.overrides {
                if !o.globs.is_match(rel.as_str()) {
                    continue;
                }
                if let Some(Some(e)) = o.enable.get(rule) {
                    enabled = *e;
                }
                if let Some(Some(s)) = o.severity.get(rule) {
                    state.severity = *s;
                    state.configured = true;
                }
            }
        }
        enabled.then_some(state)
    }

    /// Whether any override could change the rules for some file; when not,
    /// [`Settings::enabled`] and [`Settings::severity`] hold for all files.
    pub fn has_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// A display path relative to the config's directory, for globs
    /// (`../x.toml` when outside it).
    fn relative(&self, display: &str) -> String {
        match &self.config_dir_abs {
            None => display.to_owned(),
            Some(dir) => {
                discover::relative_to(&discover::absolute(Path::new(display), &self.cwd), dir)
            }
        }
    }

    /// The option's value: configured, else the rule's default. An unknown
    /// rule index or option name (a bug in the caller, never in the input)
    /// gives `Bool(false)`; [`Settings::try_option`] tells them apart.
    pub fn option(&self, rule: usize, name: &str) -> &OptionValue {
        self.try_option(rule, name).unwrap_or(&MISSING_OPTION)
    }

    /// The option's value, `None` when the rule has no such option.
    pub fn try_option(&self, rule: usize, name: &str) -> Option<&OptionValue> {
        self.rules
            .get(rule)?
            .options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Where a configured option was written; `None` when it was not.
    pub fn option_spans(&self, rule: usize, name: &str) -> Option<&OptionSpans> {
        self.rules
            .get(rule)?
            .spans
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }
}
