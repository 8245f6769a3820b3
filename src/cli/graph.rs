//! `orglint graph`: a picture of the model. It draws whatever the model
//! holds and exits 0 whatever the findings (`check` judges); it exits 2 only
//! when it cannot run, like `check` (a bad config, a path that does not
//! exist).

use std::io::{self, Write};

use orglint::config::CliOverrides;
use orglint::engine;
use orglint::graph::{self, Options, View};

use super::args::{Cli, GraphArgs, GraphFormat, GraphView};
use super::check::{fatal_exit, lint};

pub fn run(cli: &Cli, args: &GraphArgs) -> i32 {
    let first = args.paths.first().map(|p| p.as_path());
    let setup = match engine::setup(cli.config.as_deref(), first, &CliOverrides::default()) {
        Ok(s) => s,
        Err(fatal) => return fatal_exit(cli, fatal),
    };
    let outcome = match lint(cli, &setup, &args.paths) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let view = match args.view {
        GraphView::Governance => View::Governance,
        GraphView::Reporting => View::Reporting,
        GraphView::Teams => View::Teams,
    };
    let options = Options {
        depth: args.depth,
        ..Options::default()
    };
    let built = graph::build(view, &outcome.model, &outcome.diagnostics, &options);
    let text = match args.format {
        GraphFormat::Mermaid => graph::mermaid(&built.graph),
        GraphFormat::Dot => graph::dot(&built.graph),
        GraphFormat::Markdown => format!("```mermaid\n{}```\n", graph::mermaid(&built.graph)),
    };
    {
        let mut stderr = io::stderr().lock();
        for w in &outcome.warnings {
            let _ = writeln!(stderr, "warning: {w}");
        }
        if !cli.quiet {
            if outcome.sources.is_empty() {
                let _ = writeln!(stderr, "note: no org files found: the picture is empty");
            }
            for note in &built.notes {
                let _ = writeln!(stderr, "note: {note}");
            }
        }
    }
    super::print(text.as_bytes())
}
