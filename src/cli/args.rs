//! Flags and subcommands, and the routing of `orglint PATH` to `check`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A fast, exact linter for organisation design as code.
#[derive(Debug, Parser)]
#[command(name = "orglint", version, about, long_about = None)]
pub struct Cli {
    /// Use this config file instead of the `orglint.toml` found by walking up
    /// from the first path.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to use colour (`--color` beats `NO_COLOR` beats terminal detection).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Quiet: no summary line and no notes.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint an organisation (the default command).
    Check(CheckArgs),
    /// List every rule: code, name, severity, enabled or not under the
    /// current config, and the pack it comes from.
    Rules(RulesArgs),
    /// Explain one rule: what it checks, why, its options and examples.
    Explain(ExplainArgs),
    /// Write an `orglint.toml` and a small example organisation that passes
    /// `check`.
    Init(InitArgs),
    /// Print a JSON Schema of the org file format (or of `orglint.toml`),
    /// for editor completion.
    Schema(SchemaArgs),
    /// Draw the model: governance layers, reporting lines, or teams and
    /// services, as Mermaid or Graphviz.
    Graph(GraphArgs),
}

#[derive(Debug, Default, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// An aligned table, grouped by rule family.
    #[default]
    Text,
    /// A JSON array with one object per rule.
    Json,
    /// The reference of every rule, as Markdown (`docs/rules.md`).
    Markdown,
}

#[derive(Debug, Default, Args)]
pub struct SchemaArgs {
    /// The file the schema describes.
    #[arg(long = "for", value_enum, default_value_t = SchemaFor::Org)]
    pub target: SchemaFor,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum SchemaFor {
    /// An org file.
    #[default]
    Org,
    /// `orglint.toml`.
    Config,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (`GOV002`, any case) or name (`stacked-consensus`).
    #[arg(value_name = "CODE|NAME")]
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to write into (created when missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Org files or directories (default: the current directory).
    pub paths: Vec<PathBuf>,

    /// What to draw.
    #[arg(long, value_enum, default_value_t = GraphView::Governance)]
    pub view: GraphView,

    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,

    /// Levels of people the reporting view draws, the top included; below,
    /// a "+N more" node (default 4, fewer when the picture would be too big
    /// to read).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub depth: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphView {
    /// Governance bodies by layer, with decision mode and owner.
    Governance,
    /// Reporting lines from the professional lead down.
    Reporting,
    /// Teams with their services, mode and owners.
    Teams,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// A Mermaid flowchart (renders in GitHub Markdown).
    Mermaid,
    /// Graphviz (`dot -Tsvg`).
    Dot,
    /// The Mermaid flowchart in a fenced ```mermaid block, nothing else.
    Markdown,
}

#[derive(Debug, Default, Args)]
pub struct CheckArgs {
    /// Org files or directories (default: the current directory).
    pub paths: Vec<PathBuf>,

    // The help lists every format of `Format::ALL`.
    #[arg(long = "format", value_name = "FORMAT[:FILE]", help = super::output::Format::help())]
    pub formats: Vec<String>,

    /// Rules to enable: codes, prefixes, names or ALL (comma-separated;
    /// replaces `[lint] select`).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,

    /// Rules to disable (comma-separated; replaces `[lint] ignore`).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Option<Vec<String>>,

    /// Lowest severity that fails the run: error, warning, info or never.
    #[arg(long, value_name = "LEVEL")]
    pub fail_on: Option<String>,

    /// Append a table of counts per rule.
    #[arg(long)]
    pub statistics: bool,

    /// Hide the findings recorded in this baseline file and report only new
    /// ones (a missing or invalid file exits 2).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in this baseline file, and exit 0 (with
    /// `--baseline`, compare first, then rewrite).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

/// The subcommands, for routing and did-you-mean.
pub const COMMANDS: &[&str] = &[
    "check", "rules", "explain", "init", "schema", "graph", "help",
];

/// Global flags that take a value (skipped when looking for the command).
const VALUE_FLAGS: &[&str] = &["--config", "--color"];

/// Inserts `check` when the first argument that is not a global flag is a
/// path or a `check` flag; a word close to a subcommand that is not an
/// existing path is an error with did-you-mean.
pub fn route(mut argv: Vec<OsString>) -> Result<Vec<OsString>, String> {
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        let s = arg.to_string_lossy();
        if VALUE_FLAGS.contains(&s.as_ref()) {
            i += 2;
            continue;
        }
        if s.starts_with("--config=") || s.starts_with("--color=") || s == "-q" || s == "--quiet" {
            i += 1;
            continue;
        }
        if matches!(s.as_ref(), "-h" | "--help" | "-V" | "--version") {
            return Ok(argv);
        }
        if COMMANDS.contains(&s.as_ref()) {
            return Ok(argv);
        }
        if !s.starts_with('-')
            && !std::path::Path::new(arg).exists()
            && let Some(c) = crate::cli::suggest(&s)
        {
            return Err(format!(
                "`{s}` is neither a command nor an existing path; did you mean `orglint {c}`?"
            ));
        }
        argv.insert(i, OsString::from("check"));
        return Ok(argv);
    }
    Ok(argv)
}
