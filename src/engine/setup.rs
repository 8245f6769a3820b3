//! Everything a run needs before it reads an org file: the config, the rule
//! packs (built-in and the user's), and the resolved settings. Any problem
//! here means orglint cannot do its job: the caller exits 2.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::{self, CliOverrides, Settings};
use crate::diagnostic::Diagnostic;
use crate::discover;
use crate::model::Model;
use crate::pack::{self, Pack};
use crate::registry::RuleMeta;
use crate::source::{SourceFile, SourceMap};

/// Why a run cannot go on (exit 2).
#[derive(Debug)]
pub enum Fatal {
    /// Errors in the config or a rule pack, with the files they point into.
    Diagnostics {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
    /// Any other reason, in one line.
    Message(String),
}

/// The rules and settings of a run.
#[derive(Debug)]
pub struct Setup {
    /// Built-in rules first, then each user pack's, in pack order. Rule `i`
    /// is rule index `i` of `settings`.
    pub rules: Vec<RuleMeta>,
    pub packs: Vec<Pack>,
    pub settings: Settings,
    /// The config file used, if any.
    pub config_path: Option<PathBuf>,
    /// The config and pack files, for rendering their errors.
    pub sources: SourceMap,
    by_name: HashMap<String, usize>,
    pack_paths: Vec<PathBuf>,
    pub(crate) cel: crate::cel::Programs,
}

impl Setup {
    /// Whether any rule pack has CEL rules.
    pub fn has_cel_rules(&self) -> bool {
        !self.cel.is_empty()
    }

    /// The index of a rule by code or name.
    pub fn rule_index(&self, code_or_name: &str) -> Option<usize> {
        self.by_name.get(code_or_name).copied()
    }

    /// Files a directory walk must not take: the config and the packs.
    pub(crate) fn skip_files(&self) -> Vec<PathBuf> {
        self.config_path
            .iter()
            .chain(&self.pack_paths)
            .cloned()
            .collect()
    }

    /// Checks the options that depend on the model (TEAM001 `require` names
    /// roles, which local `[roles]` may define).
    pub(crate) fn check_model_options(&self, model: &Model) -> Result<Vec<Diagnostic>, Fatal> {
        let mut errors = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.name != "core-roles" {
                continue;
            }
            let Some(spans) = self.settings.option_spans(i, "require") else {
                continue;
            };
            let value = self.settings.option(i, "require");
            for problem in crate::rules::team::core_roles::validate_require(value, &model.catalogue)
            {
                errors.push(
                    config::config_error(format!("invalid `require` for {}: {problem}", rule.code))
                        .at(spans.value),
                );
            }
        }
        if errors.is_empty() {
            Ok(Vec::new())
        } else {
            Err(self.fatal(errors))
        }
    }

    fn fatal(&self, diagnostics: Vec<Diagnostic>) -> Fatal {
        let mut sources = SourceMap::new();
        for (_, f) in self.sources.iter() {
            sources.add(SourceFile::new(
                f.path.clone(),
                f.display.clone(),
                f.text.clone(),
            ));
        }
        Fatal::Diagnostics {
            sources,
            diagnostics,
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_owned())
}

/// Reads the config and the packs and resolves the settings.
pub fn setup(
    explicit_config: Option<&Path>,
    first_path: Option<&Path>,
    cli: &CliOverrides,
) -> Result<Setup, Fatal> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut sources = SourceMap::new();
    let config_path = config::find_config(explicit_config, first_path);
    let raw = match &config_path {
        None => config::RawConfig::default(),
        Some(path) => {
            let text = read(path).map_err(|e| {
                Fatal::Message(format!("cannot read config `{}`: {e}", path.display()))
            })?;
            let display = discover::display_path(path, &cwd);
            let file = sources.add(SourceFile::new(path.clone(), display, text));
            let text = sources.get(file).map_or("", |f| f.text.as_str());
            match config::parse(file, text) {
                Ok(raw) => raw.with_path(path),
                Err(diagnostics) => {
                    return Err(Fatal::Diagnostics {
                        sources,
                        diagnostics,
                    });
                }
            }
        }
    };

    let mut packs = vec![pack::builtin_pack()];
    let mut pack_paths = Vec::new();
    let mut errors = Vec::new();
    for (path, span) in raw.packs() {
        let text = match read(&path) {
            Ok(text) => text,
            Err(e) => {
                let mut d = config::config_error(format!(
                    "cannot read rule pack `{}`: {e}",
                    path.display()
                ));
                if let Some(span) = span {
                    d = d.at(span);
                }
                errors.push(d);
                continue;
            }
        };
        let display = discover::display_path(&path, &cwd);
        let file = sources.add(SourceFile::new(path.clone(), display.clone(), text));
        let text = sources.get(file).map_or("", |f| f.text.as_str());
        match pack::load_pack(file, text, &display) {
            Ok(p) => packs.push(p),
            Err(diags) => errors.extend(diags),
        }
        pack_paths.push(path);
    }
    errors.extend(pack::check_unique(&packs));
    if !errors.is_empty() {
        return Err(Fatal::Diagnostics {
            sources,
            diagnostics: errors,
        });
    }
    let cel = match crate::cel::compile_with_sources(&packs, &sources) {
        Ok(programs) => programs,
        Err(diagnostics) => {
            return Err(Fatal::Diagnostics {
                sources,
                diagnostics,
            });
        }
    };
    let rules: Vec<RuleMeta> = packs.iter().flat_map(|p| p.rules.iter().cloned()).collect();
    let settings = match config::resolve(&raw, &rules, cli) {
        Ok(s) => s,
        Err(diagnostics) => {
            return Err(Fatal::Diagnostics {
                sources,
                diagnostics,
            });
        }
    };
    let mut by_name = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        by_name.insert(r.code.to_string(), i);
        by_name.insert(r.name.to_string(), i);
    }
    Ok(Setup {
        rules,
        packs,
        settings,
        config_path,
        sources,
        by_name,
        pack_paths,
        cel,
    })
}
