//! Values written back as TOML text, for help messages and documentation
//! (`write \`x = [...]\``, the options of `orglint explain`).

use crate::registry::OptionValue;

/// A TOML basic string: `"..."` with quotes, backslashes and control
/// characters escaped.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, else quoted.
pub fn key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare { key.to_owned() } else { string(key) }
}

/// `["a", "b"]`.
pub fn string_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| string(s)).collect();
    format!("[{}]", items.join(", "))
}

/// An option value as TOML (group maps inline, in the order written).
pub fn value(value: &OptionValue) -> String {
    match value {
        OptionValue::Integer(n) => n.to_string(),
        OptionValue::Float(f) if f.is_nan() => "nan".to_owned(),
        OptionValue::Float(f) if f.is_infinite() => {
            if *f > 0.0 { "inf" } else { "-inf" }.to_owned()
        }
        OptionValue::Float(f) => format!("{f:?}"),
        OptionValue::Bool(b) => b.to_string(),
        OptionValue::String(s) => string(s),
        OptionValue::StringList(items) => string_list(items),
        OptionValue::GroupMap(groups) if groups.is_empty() => "{}".to_owned(),
        OptionValue::GroupMap(groups) => {
            let entries: Vec<String> = groups
                .iter()
                .map(|(g, entries)| format!("{} = {}", key(g), string_list(entries)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_as_toml() {
        assert_eq!(string("a \"b\"\\\t\u{1}"), "\"a \\\"b\\\"\\\\\\t\\u0001\"");
        assert_eq!(key("core-roles"), "core-roles");
        assert_eq!(key("a b"), "\"a b\"");
        let groups = OptionValue::GroupMap(vec![("x y".into(), vec!["p".into()])]);
        assert_eq!(value(&groups), "{ \"x y\" = [\"p\"] }");
        assert_eq!(value(&OptionValue::GroupMap(Vec::new())), "{}");
        assert_eq!(value(&OptionValue::Float(0.5)), "0.5");
        assert_eq!(value(&OptionValue::Float(f64::NEG_INFINITY)), "-inf");
        let toml = format!("v = {}", value(&groups));
        assert!(toml.parse::<toml::Table>().is_ok(), "{toml}");
    }
}
