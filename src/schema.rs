//! JSON Schemas (draft-07) of the org file format and of `orglint.toml`, for
//! editor completion and validation (taplo / Even Better TOML) and for
//! `orglint schema`.
//!
//! # Why not schemars
//!
//! The schemas are built here with `serde_json`, from the very tables that
//! load the files, rather than derived from Rust types with `schemars`. The
//! loader is table-driven: [`crate::load::schema`] holds every table, key,
//! type, required flag, enumeration and description of the org format as
//! data, and the loader's walker validates each file against exactly that
//! data. Generating the schema from the same table means the schema cannot
//! drift from what orglint accepts, and a new key or enumeration value shows
//! up in editors without anyone touching this module. The Rust types of the
//! model would be the wrong source anyway: they hold spans, resolved
//! references and filled-in defaults, not the file format.
//!
//! The config schema lives beside the config parser, in
//! [`crate::config::schema`], and is tested against it.

use serde_json::{Map, Value, json};

use crate::load::schema::{self as format, FieldSpec, Ty};

/// The JSON Schema dialect of both schemas.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// Ids being defined, and post and area names: kebab-case slugs (the
/// pattern of [`format::is_slug`]).
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// Which file a schema describes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// An org file (the default).
    #[default]
    Org,
    /// `orglint.toml`.
    Config,
}

/// The schema of `target`.
pub fn schema(target: Target) -> Value {
    match target {
        Target::Org => org(),
        Target::Config => crate::config::schema::schema(&crate::pack::load_builtin()),
    }
}

/// A schema as pretty-printed JSON with a final newline.
pub fn to_pretty(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// How a top-level table of an org file is shaped.
#[derive(Clone, Copy, Debug)]
enum TopLevel {
    /// A single table with the keys of `spec` (`[organisation]`).
    Table(&'static [FieldSpec]),
    /// A map of names to person ids (`[posts]`, `[accountabilities]`):
    /// `known` are the names the built-in rules read; `shared` when a list
    /// of ids parses too.
    Assignments {
        known: &'static [&'static str],
        shared: bool,
    },
    /// Entities by id (`[people.<id>]`), each with the keys of `spec`.
    Entities(&'static [FieldSpec]),
}

/// The shape and description of each name of [`format::TOP_LEVEL`]; `None`
/// for a name this module does not know (a unit test keeps that from
/// happening).
fn top_level(name: &str) -> Option<(TopLevel, &'static str)> {
    Some(match name {
        "organisation" => (
            TopLevel::Table(format::ORGANISATION),
            "The organisation: its name and operating model. Exactly one across all files.",
        ),
        "posts" => (
            TopLevel::Assignments {
                known: format::KNOWN_POSTS,
                shared: false,
            },
            "Leadership posts: post name -> the person id of the one person who holds it. A post may be assigned only once across all files.",
        ),
        "accountabilities" => (
            TopLevel::Assignments {
                known: format::KNOWN_AREAS,
                shared: true,
            },
            "Accountability areas: area -> the person id of the one person accountable. A list of ids parses, but shared accountability is reported (LEAD004). An area may be assigned only once across all files.",
        ),
        "people" => (
            TopLevel::Entities(format::PERSON),
            "People, by id: `[people.<id>]`.",
        ),
        "teams" => (
            TopLevel::Entities(format::TEAM),
            "Teams, by id: `[teams.<id>]`.",
        ),
        "services" => (
            TopLevel::Entities(format::SERVICE),
            "Services the organisation runs, by id: `[services.<id>]`.",
        ),
        "governance" => (
            TopLevel::Entities(format::BODY),
            "Governance bodies (boards, committees), by id: `[governance.<id>]`. Bodies form a tree through `parent`.",
        ),
        "suppliers" => (
            TopLevel::Entities(format::SUPPLIER),
            "External suppliers, by id: `[suppliers.<id>]`.",
        ),
        "roles" => (
            TopLevel::Entities(format::ROLE),
            "Local roles, by id, extending the built-in DDaT role catalogue: `[roles.<id>]`.",
        ),
        _ => return None,
    })
}

/// The JSON Schema of an org file, built from [`crate::load::schema`].
pub fn org() -> Value {
    let mut properties = Map::new();
    for &name in format::TOP_LEVEL {
        let table = match top_level(name) {
            Some((shape, doc)) => with_description(table_schema(shape), doc),
            // Unreachable while the unit test passes; accept rather than
            // reject what the loader may know better.
            None => json!({}),
        };
        properties.insert(name.to_owned(), table);
    }
    json!({
        "$schema": DRAFT_07,
        "title": "orglint org file",
        "description": "An org file of orglint (format version 1): any mix of the top-level tables below; all org files together form one model. Generated by `orglint schema` from the definitions the loader validates against.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

fn table_schema(shape: TopLevel) -> Value {
    match shape {
        TopLevel::Table(spec) => entity(spec),
        TopLevel::Assignments { known, shared } => assignments(known, shared),
        TopLevel::Entities(spec) => json!({
            "type": "object",
            "patternProperties": { SLUG_PATTERN: entity(spec) },
            "additionalProperties": false,
        }),
    }
}

/// `[posts]` or `[accountabilities]`: slug names to person ids.
fn assignments(known: &[&str], shared: bool) -> Value {
    let holder = if shared {
        json!({
            "description": "The person id of the one person accountable. A list of ids parses, but is reported: accountability rests with one person.",
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" } },
            ],
        })
    } else {
        json!({
            "description": "The person id of the one person who holds the post.",
            "type": "string",
        })
    };
    let mut properties = Map::new();
    for &name in known {
        let doc = if shared {
            format!("The person accountable for `{name}` (read by the built-in rules).")
        } else {
            format!("The person id of the {name} (read by the built-in rules).")
        };
        properties.insert(name.to_owned(), with_description(holder.clone(), &doc));
    }
    json!({
        "type": "object",
        "properties": properties,
        "patternProperties": { SLUG_PATTERN: holder },
        "additionalProperties": false,
    })
}

/// One table whose keys are `spec`.
fn entity(spec: &[FieldSpec]) -> Value {
    let mut properties = Map::new();
    for f in spec {
        properties.insert(
            f.key.to_owned(),
            with_description(value_schema(f.ty), f.doc),
        );
    }
    let required: Vec<&str> = spec.iter().filter(|f| f.required).map(|f| f.key).collect();
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if let Some(obj) = schema.as_object_mut() {
        if !required.is_empty() {
            obj.insert("required".to_owned(), json!(required));
        }
        if let Some(condition) = conditional(spec) {
            obj.extend(condition);
        }
    }
    schema
}

/// The one cross-key constraint the loader checks beyond the table: a
/// person's `supplier` is required exactly when `employment = "supplier"`
/// (see the walker's `person`). Returned as draft-07 `if`/`then`/`else`.
fn conditional(spec: &[FieldSpec]) -> Option<Map<String, Value>> {
    let has = |key: &str| spec.iter().any(|f| f.key == key);
    if !(has("employment") && has("supplier")) {
        return None;
    }
    match json!({
        "if": {
            "properties": { "employment": { "const": "supplier" } },
            "required": ["employment"],
        },
        "then": { "required": ["supplier"] },
        "else": { "not": { "required": ["supplier"] } },
    }) {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// The schema of one value of type `ty`.
fn value_schema(ty: Ty) -> Value {
    let strings = |items: Value| json!({ "type": "array", "items": items });
    match ty {
        Ty::Str | Ty::Ref => json!({ "type": "string" }),
        Ty::Bool => json!({ "type": "boolean" }),
        Ty::Enum(values) => json!({ "type": "string", "enum": values }),
        Ty::RefList { non_empty } => {
            let mut list = strings(json!({ "type": "string" }));
            if non_empty && let Some(obj) = list.as_object_mut() {
                obj.insert("minItems".to_owned(), json!(1));
            }
            list
        }
        Ty::StrList => strings(json!({ "type": "string" })),
        Ty::EnumList(values) => strings(json!({ "type": "string", "enum": values })),
        Ty::SlugList => strings(json!({ "type": "string", "pattern": SLUG_PATTERN })),
    }
}

/// `schema` with a `description` (kept when `doc` is empty).
pub(crate) fn with_description(mut schema: Value, doc: &str) -> Value {
    if !doc.is_empty()
        && let Some(obj) = schema.as_object_mut()
    {
        obj.insert("description".to_owned(), json!(doc));
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_top_level_table_has_a_shape() {
        for name in format::TOP_LEVEL {
            assert!(
                top_level(name).is_some(),
                "`{name}` is in load::schema::TOP_LEVEL but not in schema::top_level"
            );
        }
    }

    #[test]
    fn every_key_of_the_format_is_described() {
        let schema = org();
        let tables = [
            ("organisation", format::ORGANISATION, false),
            ("people", format::PERSON, true),
            ("teams", format::TEAM, true),
            ("services", format::SERVICE, true),
            ("governance", format::BODY, true),
            ("suppliers", format::SUPPLIER, true),
            ("roles", format::ROLE, true),
        ];
        for (table, spec, by_id) in tables {
            let mut t = &schema["properties"][table];
            if by_id {
                t = &t["patternProperties"][SLUG_PATTERN];
            }
            assert_eq!(t["additionalProperties"], json!(false), "{table}");
            for f in spec {
                let p = &t["properties"][f.key];
                assert_eq!(p["description"], json!(f.doc), "{table}.{}", f.key);
                let required = t["required"]
                    .as_array()
                    .is_some_and(|r| r.contains(&json!(f.key)));
                assert_eq!(required, f.required, "{table}.{} required", f.key);
            }
        }
    }

    #[test]
    fn members_is_non_empty_and_enums_are_listed() {
        let schema = org();
        let team = &schema["properties"]["teams"]["patternProperties"][SLUG_PATTERN];
        assert_eq!(team["properties"]["members"]["minItems"], json!(1));
        assert_eq!(team["properties"]["mode"]["enum"], json!(format::MODES));
        let rights = &schema["properties"]["services"]["patternProperties"][SLUG_PATTERN]["properties"]
            ["decision-rights"];
        assert_eq!(rights["items"]["enum"], json!(format::DECISION_RIGHTS));
    }
}
