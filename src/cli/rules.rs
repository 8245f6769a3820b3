//! `orglint rules`: every rule, built in and from the config's packs, with
//! its severity and whether the current config enables it.

use std::io::{self, Write};

use orglint::config::CliOverrides;
use orglint::engine::{self, Setup};
use orglint::registry::{Bound, OptionValue, RuleMeta};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};

use super::FAILURE;
use super::args::{Cli, RulesArgs, RulesFormat};
use super::check::fatal_exit;

pub fn run(cli: &Cli, args: &RulesArgs) -> i32 {
    let setup = match load(cli) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let mut out = Vec::with_capacity(16 * 1024);
    let written = match args.format {
        RulesFormat::Text => write_text(&setup, cli.quiet, &mut out),
        RulesFormat::Json => write_json(&setup, &mut out),
        RulesFormat::Markdown => super::rules_markdown::write(&setup, &mut out),
    };
    match written {
        Ok(()) => super::print(&out),
        Err(e) => {
            let _ = writeln!(io::stderr(), "error: cannot render the rules: {e}");
            FAILURE
        }
    }
}

/// The config and packs of the current directory (or `--config`); a config
/// error is printed and gives the exit code.
pub(super) fn load(cli: &Cli) -> Result<Setup, i32> {
    engine::setup(cli.config.as_deref(), None, &CliOverrides::default())
        .map_err(|fatal| fatal_exit(cli, fatal))
}

/// The family of a code: its leading capital letters (`GOV` of `GOV002`).
pub(super) fn family(code: &str) -> &str {
    let end = code
        .find(|c: char| !c.is_ascii_uppercase())
        .unwrap_or(code.len());
    &code[..end]
}

/// What the built-in families are about.
pub(super) fn family_title(family: &str) -> Option<&'static str> {
    Some(match family {
        "ORG" => "integrity of the model",
        "LEAD" => "a single professional lead",
        "GOV" => "simplified governance",
        "OWN" => "empowered service owners, ownership in the department",
        "TEAM" => "multidisciplinary service teams, government in control",
        "MODEL" => "the operating model",
        "NEED" => "focus on user needs",
        "META" => "inline suppressions",
        _ => return None,
    })
}

/// Rule indices grouped by family: families in order of first appearance
/// (built-in first, then each pack's), rules by code within a family.
pub(super) fn grouped(rules: &[RuleMeta]) -> Vec<(&str, Vec<usize>)> {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let f = family(&rule.code);
        match groups.iter_mut().find(|(g, _)| *g == f) {
            Some((_, members)) => members.push(i),
            None => groups.push((f, vec![i])),
        }
    }
    for (_, members) in &mut groups {
        members.sort_by_key(|&i| rules.get(i).map(|r| r.code.clone()));
    }
    groups
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn write_text(setup: &Setup, quiet: bool, out: &mut dyn Write) -> io::Result<()> {
    let rules = &setup.rules;
    let settings = &setup.settings;
    let headers = ["CODE", "NAME", "DEFAULT", "SEVERITY", "ENABLED", "PACK"];
    let rows: Vec<[String; 6]> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            [
                r.code.to_string(),
                r.name.to_string(),
                r.severity.to_string(),
                settings.severity(i).unwrap_or(r.severity).to_string(),
                yes_no(settings.enabled(i)).to_owned(),
                r.pack.clone(),
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let mut s = String::new();
        for (n, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if n + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(cell);
                let pad = w - cell.chars().count().min(w) + 2;
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        s
    };
    writeln!(out, "{}", line(headers))?;
    for (family, members) in grouped(rules) {
        writeln!(out)?;
        match family_title(family) {
            Some(title) => writeln!(out, "{family}: {title}")?,
            None => writeln!(out, "{family}")?,
        }
        for i in members {
            let Some(row) = rows.get(i) else { continue };
            writeln!(
                out,
                "{}",
                line([&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]])
            )?;
        }
    }
    if !quiet {
        let enabled = (0..rules.len()).filter(|&i| settings.enabled(i)).count();
        let config = match &setup.config_path {
            Some(p) => format!("config `{}`", p.display()),
            None => "no config file, defaults apply".to_owned(),
        };
        writeln!(out)?;
        writeln!(out, "{} rules, {enabled} enabled; {config}", rules.len())?;
        if settings.has_overrides() {
            writeln!(
                out,
                "note: `[[lint.overrides]]` change rules and severities for some files"
            )?;
        }
        writeln!(
            out,
            "`orglint explain CODE` tells what a rule checks and why"
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonRule<'a> {
    code: &'a str,
    name: &'a str,
    /// The severity under the current config.
    severity: &'static str,
    default_severity: &'static str,
    enabled: bool,
    pack: &'a str,
    summary: &'a str,
    options: Vec<JsonOption<'a>>,
}

#[derive(Serialize)]
struct JsonOption<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    default: JsonValue<'a>,
    description: &'a str,
    /// The range of a numeric option, both ends included, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<JsonBound>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<JsonBound>,
}

/// A bound of an option's range as a JSON number.
struct JsonBound(Bound);

impl Serialize for JsonBound {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Bound::Integer(n) => s.serialize_i64(n),
            Bound::Float(f) if f.is_finite() => s.serialize_f64(f),
            Bound::Float(_) => s.serialize_none(),
        }
    }
}

/// An option value as JSON, group maps in the order written.
struct JsonValue<'a>(&'a OptionValue);

impl Serialize for JsonValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            OptionValue::Integer(n) => s.serialize_i64(*n),
            OptionValue::Float(f) if f.is_finite() => s.serialize_f64(*f),
            OptionValue::Float(_) => s.serialize_none(),
            OptionValue::Bool(b) => s.serialize_bool(*b),
            OptionValue::String(v) => s.serialize_str(v),
            OptionValue::StringList(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            OptionValue::GroupMap(groups) => {
                let mut map = s.serialize_map(Some(groups.len()))?;
                for (group, roles) in groups {
                    map.serialize_entry(group, roles)?;
                }
                map.end()
            }
        }
    }
}

fn write_json(setup: &Setup, out: &mut dyn Write) -> io::Result<()> {
    let settings = &setup.settings;
    let mut order: Vec<usize> = grouped(&setup.rules)
        .into_iter()
        .flat_map(|(_, members)| members)
        .collect();
    order.dedup();
    let rules: Vec<JsonRule> = order
        .into_iter()
        .filter_map(|i| setup.rules.get(i).map(|r| (i, r)))
        .map(|(i, r)| JsonRule {
            code: &r.code,
            name: &r.name,
            severity: settings.severity(i).unwrap_or(r.severity).as_str(),
            default_severity: r.severity.as_str(),
            enabled: settings.enabled(i),
            pack: &r.pack,
            summary: &r.summary,
            options: r
                .options
                .iter()
                .map(|o| JsonOption {
                    name: &o.name,
                    kind: o.kind.as_str(),
                    default: JsonValue(&o.default),
                    description: &o.description,
                    min: o.range.min.map(JsonBound),
                    max: o.range.max.map(JsonBound),
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rules).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_is_the_leading_capitals() {
        assert_eq!(family("GOV002"), "GOV");
        assert_eq!(family("MODEL001"), "MODEL");
        assert_eq!(family("config"), "");
        assert_eq!(family("ACME"), "ACME");
    }
}
