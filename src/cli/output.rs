//! `--format FORMAT[:FILE]`: which reports to write, and where.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use orglint::report::{self, RenderOptions, Report};

use super::args::ColorChoice;

/// The report formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
    Sarif,
    Github,
    Junit,
    Markdown,
}

impl Format {
    /// Every format, in the order help and errors list them.
    pub const ALL: [Format; 7] = [
        Format::Human,
        Format::Short,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Markdown,
    ];

    /// The names `--format` accepts, from [`Format::ALL`].
    pub const NAMES: [&'static str; Format::ALL.len()] = {
        let mut names = [""; Format::ALL.len()];
        let mut i = 0;
        while i < names.len() {
            names[i] = Format::ALL[i].name();
            i += 1;
        }
        names
    };

    /// The name `--format` takes.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Short => "short",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
        }
    }

    fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

    /// The help of `check --format`, listing every format.
    pub fn help() -> String {
        format!(
            "Output format, optionally to a file: {} (default `human`; repeatable; at most one goes to standard output)",
            orglint::suggest::one_of(&Format::NAMES)
        )
    }

    /// Whether `--statistics` appends its table to this format: only to the
    /// line-oriented text formats (json has a field; the others are
    /// documents a table would break).
    pub fn appends_statistics(self) -> bool {
        matches!(self, Format::Human | Format::Short)
    }
}

/// One requested report.
#[derive(Debug)]
pub struct Target {
    pub format: Format,
    /// `None`: standard output.
    pub file: Option<PathBuf>,
}

/// Parses the `--format` flags (default: human to standard output).
pub fn targets(flags: &[String]) -> Result<Vec<Target>, String> {
    if flags.is_empty() {
        return Ok(vec![Target {
            format: Format::Human,
            file: None,
        }]);
    }
    let mut out = Vec::new();
    for flag in flags {
        let (name, file) = match flag.split_once(':') {
            Some((n, f)) if !f.is_empty() => (n, Some(PathBuf::from(f))),
            Some((n, _)) => return Err(format!("`--format {n}:` names no file")),
            None => (flag.as_str(), None),
        };
        let Some(format) = Format::parse(name) else {
            let hint = orglint::suggest::help(name, Format::NAMES.iter().copied())
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            return Err(format!(
                "unknown format `{name}`: expected {}{hint}",
                orglint::suggest::one_of(&Format::NAMES)
            ));
        };
        out.push(Target { format, file });
    }
    if out.iter().filter(|t| t.file.is_none()).count() > 1 {
        return Err("at most one `--format` may go to standard output; give the others a file (`--format json:report.json`)".to_owned());
    }
    Ok(out)
}

/// Whether to colour a stream: `--color` beats `NO_COLOR` beats terminal
/// detection.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            !no_color && is_terminal
        }
    }
}

/// The wrap width: the terminal's (from `COLUMNS`) when writing to one,
/// else a fixed 100 columns.
pub fn width(is_terminal: bool) -> usize {
    if is_terminal && let Some(w) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return w;
    }
    100
}

/// Renders one report.
pub fn render(
    format: Format,
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => report::human(report, options, out),
        Format::Short => report::short(report, options, out),
        Format::Json => report::json(report, out),
        Format::Sarif => report::sarif(report, out),
        Format::Github => report::github(report, out),
        Format::Junit => report::junit(report, out),
        Format::Markdown => report::markdown(report, out),
    }
}

/// The rules SARIF describes: every rule enabled in the run, and any other
/// that found something (one an override enables for some files).
pub fn run_rules(
    setup: &orglint::engine::Setup,
    diagnostics: &[orglint::diagnostic::Diagnostic],
) -> Vec<orglint::registry::RuleMeta> {
    let found: std::collections::HashSet<&str> = diagnostics.iter().map(|d| &*d.code).collect();
    setup
        .rules
        .iter()
        .enumerate()
        .filter(|(i, r)| setup.settings.enabled(*i) || found.contains(&*r.code))
        .map(|(_, r)| r.clone())
        .collect()
}

/// How sarif and github paths are made relative to git work trees: from
/// each file (decisions.md 21). `None` when the current directory is
/// unknown.
pub fn work_trees() -> Option<report::WorkTrees> {
    Some(report::WorkTrees::new(&std::env::current_dir().ok()?))
}

/// Render options for a target.
pub fn options(
    target: &Target,
    color: ColorChoice,
    quiet: bool,
    max_findings: usize,
) -> RenderOptions {
    let terminal = target.file.is_none() && std::io::stdout().is_terminal();
    RenderOptions {
        // Never colour in a file.
        color: target.file.is_none() && use_color(color, terminal),
        width: width(terminal),
        quiet,
        max_findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_a_name_that_parses_back() {
        for format in Format::ALL {
            assert_eq!(Format::parse(format.name()), Some(format));
        }
        assert_eq!(Format::NAMES.len(), Format::ALL.len());
        for name in Format::NAMES {
            assert!(Format::help().contains(&format!("`{name}`")), "{name}");
        }
    }
}
