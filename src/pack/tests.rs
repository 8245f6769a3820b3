use super::*;
use crate::registry::{Bound, Implementation, OptionRange};

/// The rules of `rules.md`, in its order, with their default severity.
const RULES_MD: &[(&str, &str, Severity)] = &[
    ("ORG001", "unknown-reference", Severity::Error),
    ("ORG002", "duplicate-definition", Severity::Error),
    ("ORG003", "reporting-cycle", Severity::Error),
    ("ORG004", "unknown-role", Severity::Error),
    ("ORG005", "missing-organisation", Severity::Error),
    ("ORG006", "lead-not-member", Severity::Error),
    ("ORG007", "unassigned-person", Severity::Info),
    ("ORG008", "invalid-file", Severity::Error),
    ("LEAD001", "single-professional-lead", Severity::Error),
    ("LEAD002", "digital-services-director", Severity::Warning),
    ("LEAD003", "chief-technology-officer", Severity::Warning),
    ("LEAD004", "shared-accountability", Severity::Error),
    (
        "LEAD005",
        "leads-report-to-professional-lead",
        Severity::Warning,
    ),
    ("GOV001", "governance-layers", Severity::Warning),
    ("GOV002", "stacked-consensus", Severity::Error),
    ("GOV003", "accountable-owner", Severity::Error),
    ("GOV004", "overlapping-bodies", Severity::Warning),
    (
        "GOV005",
        "spend-control-outside-director",
        Severity::Warning,
    ),
    ("OWN001", "service-owner", Severity::Error),
    ("OWN002", "owner-decision-rights", Severity::Warning),
    ("OWN003", "owner-in-government", Severity::Error),
    ("OWN004", "department-ownership", Severity::Error),
    ("OWN005", "owner-reports-to-director", Severity::Warning),
    ("OWN006", "owner-overloaded", Severity::Info),
    ("TEAM001", "core-roles", Severity::Warning),
    ("TEAM002", "stability-innovation-split", Severity::Warning),
    ("TEAM003", "government-in-control", Severity::Error),
    ("TEAM004", "supplier-majority", Severity::Warning),
    ("TEAM005", "team-without-service", Severity::Warning),
    ("MODEL001", "operating-model-declared", Severity::Warning),
    (
        "MODEL002",
        "project-funding-in-product-model",
        Severity::Warning,
    ),
    ("NEED001", "user-needs", Severity::Warning),
    ("NEED002", "best-value-procurement", Severity::Warning),
    ("META001", "unused-suppression", Severity::Warning),
    ("META002", "suppression-without-reason", Severity::Error),
    ("META003", "expired-suppression", Severity::Warning),
];

const FILE: FileId = FileId(7);

fn load(text: &str) -> Result<Pack, Vec<Diagnostic>> {
    load_pack(FILE, text, "rules/local.toml")
}

fn load_err(text: &str) -> Vec<Diagnostic> {
    match load(text) {
        Ok(pack) => panic!("expected errors, loaded {pack:#?}"),
        Err(e) => e,
    }
}

/// The text under a diagnostic's primary span.
fn at<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    let span = d.span().expect("a span");
    assert_eq!(span.file, FILE);
    &text[span.range()]
}

const GOOD: &str = r#"
[pack]
name = "acme-local"
description = "House rules"

[[rules]]
code = "ACME001"
name = "service-funding-declared"
severity = "warning"
summary = "Every service declares how it is funded"
source = "Acme service standard, point 4"
for-each = "service"
when = "service.internal_systems"
assert = "has(service.funding)"
message = "service `{id}` ({name}) does not say how it is funded"
at = "funding"
help = "Add funding."
"#;

#[test]
fn builtin_loads_without_errors() {
    let (pack, errors) = parse(BUILTIN_FILE, BUILTIN_PACK, BUILTIN_SOURCE_NAME, true);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(pack.name, "orglint");
    assert!(pack.builtin);
    assert!(pack.cel.is_empty());
    assert_eq!(pack.rules.len(), 36);
    assert_eq!(pack.rule_spans.len(), 36);
}

#[test]
fn builtin_has_every_rule_of_rules_md_in_order() {
    let rules = load_builtin();
    let got: Vec<(&str, &str, Severity)> = rules
        .iter()
        .map(|r| (r.code.as_ref(), r.name.as_ref(), r.severity))
        .collect();
    assert_eq!(got, RULES_MD);
    for rule in &rules {
        match &rule.implementation {
            Implementation::Native(check) => assert_eq!(check, &rule.name),
            Implementation::Cel(_) => panic!("{} is not native", rule.code),
        }
        assert_eq!(rule.pack, "orglint");
        for (what, text) in [
            ("summary", &rule.summary),
            ("rationale", &rule.rationale),
            ("source", &rule.source),
        ] {
            assert!(!text.trim().is_empty(), "{} has no {what}", rule.code);
        }
        assert!(rule.help.is_some(), "{} has no help", rule.code);
        assert!(
            rule.rationale.split(". ").count() >= 2,
            "{}: a short rationale",
            rule.code
        );
        assert!(
            !rule.summary.ends_with('.'),
            "{}: summary is one line",
            rule.code
        );
    }
}

#[test]
fn builtin_checks_are_known_natives() {
    for rule in load_builtin() {
        if let Implementation::Native(check) = &rule.implementation {
            assert!(
                crate::rules::native(check).is_some(),
                "no native check `{check}`"
            );
        }
    }
}

#[test]
fn builtin_citations_name_the_guidance() {
    for rule in load_builtin() {
        let family = rule.code.trim_end_matches(|c: char| c.is_ascii_digit());
        let expect: &[&str] = match family {
            "LEAD" => &["operating models", "playbook §1"],
            "GOV" => &["playbook §4"],
            "OWN" => &["playbook §"],
            "TEAM" => &["playbook §3", "operating models"],
            "MODEL" => &["operating models"],
            "NEED" => &["playbook §5"],
            _ => &["orglint"],
        };
        assert!(
            expect.iter().any(|e| rule.source.contains(e)),
            "{}: {}",
            rule.code,
            rule.source
        );
    }
}

#[test]
fn builtin_options() {
    let rules = load_builtin();
    let option = |code: &str, name: &str| {
        let rule = rules.iter().find(|r| r.code == code).expect("rule");
        let option = rule
            .options
            .iter()
            .find(|o| o.name == name)
            .expect("option");
        assert!(!option.description.is_empty());
        (option.kind, option.default.clone())
    };
    assert_eq!(
        option("GOV001", "max-layers"),
        (OptionKind::Integer, OptionValue::Integer(2))
    );
    assert_eq!(
        option("OWN006", "max-services"),
        (OptionKind::Integer, OptionValue::Integer(3))
    );
    assert_eq!(
        option("TEAM004", "max-supplier-share"),
        (OptionKind::Float, OptionValue::Float(0.5))
    );
    let (kind, require) = option("TEAM001", "require");
    assert_eq!(kind, OptionKind::GroupMap);
    let group = |name: &str, roles: &[&str]| {
        (
            name.to_owned(),
            roles.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        require,
        OptionValue::GroupMap(vec![
            group("product", &["product-manager"]),
            group("delivery", &["delivery-manager"]),
            group("user-research", &["user-researcher"]),
            group(
                "design",
                &[
                    "interaction-designer",
                    "service-designer",
                    "graphic-designer"
                ]
            ),
            group("content", &["content-designer"]),
            group(
                "development",
                &[
                    "software-developer",
                    "devops-engineer",
                    "frontend-developer"
                ]
            ),
            group(
                "technical-lead",
                &[
                    "technical-architect",
                    "solution-architect",
                    "software-developer@lead",
                    "devops-engineer@lead",
                    "frontend-developer@lead",
                ]
            ),
        ])
    );
    let with_options: Vec<&str> = rules
        .iter()
        .filter(|r| !r.options.is_empty())
        .map(|r| r.code.as_ref())
        .collect();
    assert_eq!(with_options, ["GOV001", "OWN006", "TEAM001", "TEAM004"]);
}

#[test]
fn builtin_examples_are_valid_toml_of_the_org_format() {
    let tables = [
        "organisation",
        "posts",
        "accountabilities",
        "people",
        "teams",
        "services",
        "governance",
        "suppliers",
        "roles",
    ];
    for rule in load_builtin() {
        for example in [&rule.example_fail, &rule.example_pass] {
            let example = example.as_deref().expect("an example");
            let lines = example.lines().count();
            assert!((1..=40).contains(&lines), "{}: {lines} lines", rule.code);
            let root =
                DeTable::parse(example).unwrap_or_else(|e| panic!("{}: {e}\n{example}", rule.code));
            for (key, _) in root.get_ref().iter() {
                assert!(
                    tables.contains(&key.get_ref().as_ref()),
                    "{}: {key:?}",
                    rule.code
                );
            }
        }
        assert_ne!(rule.example_fail, rule.example_pass, "{}", rule.code);
    }
}

#[test]
fn role_catalogue_is_embedded() {
    let root = DeTable::parse(ROLE_CATALOGUE).expect("valid TOML");
    let roles = root.get_ref().get("roles").expect("[roles]");
    let DeValue::Table(roles) = roles.get_ref() else {
        panic!("roles is a table")
    };
    assert_eq!(roles.len(), 54, "52 roles and two 2017 roles");
}

#[test]
fn at_takes_the_keys_of_the_file_format() {
    // `at` accepts exactly the keys of the entity's table in `load::schema`,
    // and lists them in the format's order when nothing is close.
    for &(word, kind) in FOR_EACH {
        let fields = schema::fields(kind).expect("a table of keys");
        assert!(!fields.is_empty(), "{word}");
        let with = |at: &str| {
            GOOD.replacen(
                "for-each = \"service\"",
                &format!("for-each = \"{word}\""),
                1,
            )
            .replacen("at = \"funding\"", &format!("at = \"{at}\""), 1)
        };
        for f in fields {
            let pack = load(&with(f.key)).unwrap_or_else(|e| panic!("{word}.{}: {e:#?}", f.key));
            let cel = pack.cel.first().expect("cel");
            assert_eq!(cel.for_each, kind);
            assert_eq!(cel.at.as_deref(), Some(f.key));
        }
        let keys: Vec<&str> = fields.iter().map(|f| f.key).collect();
        let errors = load_err(&with("zzzzzzzz"));
        assert_eq!(errors.len(), 1, "{word}: {errors:#?}");
        let help = errors[0].help.as_deref().unwrap_or("");
        assert!(help.starts_with("a "), "{help}");
        assert!(
            help.ends_with(&format!(" has {}", crate::suggest::one_of(&keys))),
            "{help}"
        );
    }
}

#[test]
fn user_pack_loads_a_cel_rule_with_spans() {
    let pack = load(GOOD).expect("loads");
    assert_eq!(pack.name, "acme-local");
    assert_eq!(pack.description.as_deref(), Some("House rules"));
    assert!(!pack.builtin);
    assert_eq!(&GOOD[pack.name_span.range()], "\"acme-local\"");
    let rule = pack.rules.first().expect("one rule");
    assert_eq!(rule.code, "ACME001");
    assert_eq!(rule.severity, Severity::Warning);
    assert_eq!(rule.pack, "acme-local");
    assert_eq!(rule.source, "Acme service standard, point 4");
    assert!(rule.rationale.is_empty());
    assert!(matches!(rule.implementation, Implementation::Cel(0)));
    let cel = pack.cel.first().expect("cel");
    assert_eq!(cel.code, "ACME001");
    assert_eq!(cel.rule, 0);
    assert_eq!(cel.for_each, EntityKind::Service);
    assert_eq!(cel.assert.0, "has(service.funding)");
    assert_eq!(&GOOD[cel.assert.1.range()], "\"has(service.funding)\"");
    let (when, when_span) = cel.when.as_ref().expect("when");
    assert_eq!(when, "service.internal_systems");
    assert_eq!(&GOOD[when_span.range()], "\"service.internal_systems\"");
    assert_eq!(cel.at.as_deref(), Some("funding"));
    assert_eq!(&GOOD[cel.header.range()], "[[rules]]");
    let spans = pack.rule_spans.first().expect("spans");
    assert_eq!(&GOOD[spans.code.range()], "\"ACME001\"");
    assert_eq!(&GOOD[spans.name.range()], "\"service-funding-declared\"");
}

#[test]
fn unknown_key_gets_did_you_mean() {
    let text = GOOD.replace("assert =", "asert =");
    let errors = load_err(&text);
    let unknown = errors
        .iter()
        .find(|d| d.message.contains("unknown key"))
        .expect("unknown key");
    assert_eq!(unknown.code, "config");
    assert_eq!(unknown.name, "config-error");
    assert_eq!(unknown.severity, Severity::Error);
    assert_eq!(at(&text, unknown), "asert");
    assert_eq!(unknown.help.as_deref(), Some("did you mean `assert`?"));
    // ... and `assert` is then missing, at the [[rules]] header.
    let missing = errors
        .iter()
        .find(|d| d.message == "missing required key `assert`")
        .expect("missing assert");
    assert_eq!(at(&text, missing), "[[rules]]");
    assert_eq!(errors.len(), 2, "{errors:#?}");

    let text = GOOD.replace("description =", "descripton =");
    let errors = load_err(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(at(&text, &errors[0]), "descripton");
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `description`?")
    );

    let text = format!("{GOOD}\n[rule]\nx = 1\n");
    let errors = load_err(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(at(&text, &errors[0]), "rule");
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `rules`?"));
}

#[test]
fn bad_code() {
    for (code, help) in [
        ("acme001", "codes are upper case: `ACME001`"),
        (
            "A001",
            "a code is 2 to 6 capital letters and 3 digits, like `ACME001`",
        ),
        (
            "ACMEACME001",
            "a code is 2 to 6 capital letters and 3 digits, like `ACME001`",
        ),
        (
            "ACME01",
            "a code is 2 to 6 capital letters and 3 digits, like `ACME001`",
        ),
        (
            "ACME0001",
            "a code is 2 to 6 capital letters and 3 digits, like `ACME001`",
        ),
    ] {
        let text = GOOD.replace("\"ACME001\"", &format!("\"{code}\""));
        let errors = load_err(&text);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(
            errors[0].message,
            format!("`{code}` is not a valid rule code")
        );
        assert_eq!(at(&text, &errors[0]), format!("\"{code}\""));
        assert_eq!(errors[0].help.as_deref(), Some(help));
    }
    for ok in ["AB123", "ABCDEF123", "ACME001"] {
        assert!(is_rule_code(ok), "{ok}");
    }
}

#[test]
fn missing_assert_points_at_the_header() {
    let text = GOOD.replace("assert = \"has(service.funding)\"\n", "");
    let errors = load_err(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].message, "missing required key `assert`");
    assert_eq!(at(&text, &errors[0]), "[[rules]]");
}

#[test]
fn duplicate_name_and_code_in_one_pack() {
    let second = r#"
[[rules]]
code = "ACME002"
name = "service-funding-declared"
severity = "info"
summary = "Again"
for-each = "service"
assert = "true"
message = "x"
"#;
    let text = format!("{GOOD}{second}");
    let errors = load_err(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = &errors[0];
    assert_eq!(
        d.message,
        "rule name `service-funding-declared` is defined twice in this pack"
    );
    let span = d.span().expect("span");
    assert!(span.start as usize > GOOD.len(), "at the second definition");
    assert_eq!(at(&text, d), "\"service-funding-declared\"");
    let related = d.related.first().expect("related");
    assert!(
        (related.span.start as usize) < GOOD.len(),
        "related to the first"
    );

    let text = format!("{GOOD}{}", second.replace("ACME002", "ACME001"));
    let errors = load_err(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .starts_with("rule code `ACME001` is defined twice")
    );
}

#[test]
fn check_and_options_are_only_for_builtin_rules() {
    let text = GOOD.replace("for-each = \"service\"", "check = \"user-needs\"");
    let errors = load_err(&text);
    let d = errors
        .iter()
        .find(|d| d.message.starts_with("`check` is only for built-in rules"))
        .expect("check error");
    assert_eq!(at(&text, d), "check");
    assert_eq!(errors.len(), 1, "one mistake, one error: {errors:#?}");

    let text = format!(
        "{GOOD}\n[rules.options.x]\ntype = \"integer\"\ndefault = 1\ndescription = \"x\"\n"
    );
    let errors = load_err(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .starts_with("`options` are only for built-in rules")
    );
}

#[test]
fn bad_values() {
    let cases: &[(&str, &str, &str, Option<&str>)] = &[
        (
            "severity = \"warning\"",
            "severity = \"warn\"",
            "\"warn\"",
            Some("did you mean `warning`?"),
        ),
        (
            "for-each = \"service\"",
            "for-each = \"services\"",
            "\"services\"",
            Some("did you mean `service`?"),
        ),
        (
            "for-each = \"service\"",
            "for-each = \"governance\"",
            "\"governance\"",
            Some("did you mean `body`?"),
        ),
        (
            "name = \"acme-local\"",
            "name = \"Acme Local\"",
            "\"Acme Local\"",
            Some("use lowercase letters, digits and single hyphens: `acme-local`"),
        ),
        (
            "name = \"service-funding-declared\"",
            "name = \"service_funding\"",
            "\"service_funding\"",
            Some("use lowercase letters, digits and single hyphens: `service-funding`"),
        ),
        (
            "at = \"funding\"",
            "at = \"fundng\"",
            "\"fundng\"",
            Some("did you mean `funding`?"),
        ),
        (
            "at = \"funding\"",
            "at = \"user_needs\"",
            "\"user_needs\"",
            Some("keys are kebab-case, as in the file: `user-needs`"),
        ),
        ("severity = \"warning\"", "severity = 2", "2", None),
        (
            "summary = \"Every service declares how it is funded\"",
            "summary = \" \"",
            "\" \"",
            None,
        ),
        (
            "message = \"service `{id}` ({name}) does not say how it is funded\"",
            "message = \"service {ident} has no funding\"",
            "{ident}",
            Some("did you mean `id`?"),
        ),
    ];
    for (from, to, span, help) in cases {
        let text = GOOD.replacen(from, to, 1);
        assert_ne!(text, GOOD, "{from}");
        let errors = load_err(&text);
        assert_eq!(errors.len(), 1, "{to}: {errors:#?}");
        assert_eq!(at(&text, &errors[0]), *span, "{to}");
        assert_eq!(errors[0].help.as_deref(), *help, "{to}");
    }
}

#[test]
fn structural_errors() {
    let errors = load_err("[[rules]]\ncode = \"A001\"\n");
    let no_pack = errors
        .iter()
        .find(|d| d.message.contains("no `[pack]` table"))
        .expect("no pack");
    assert!(no_pack.span().is_none());
    assert!(no_pack.message.contains("rules/local.toml"));

    let text = "[pack]\nname = \"x\"\n[rules]\ncode = \"A001\"\n";
    let errors = load_err(text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(at(text, &errors[0]), "rules");

    let text = "[pack]\nname = \"x\"\nname = \"y\"\n";
    let errors = load_err(text);
    assert!(errors[0].message.starts_with("invalid TOML in rule pack"));
    assert_eq!(at(text, &errors[0]), "name");

    let pack = load("[pack]\nname = \"empty\"\n").expect("a pack without rules");
    assert!(pack.rules.is_empty());
}

#[test]
fn unique_across_packs() {
    let builtin = builtin_pack();
    let clash = GOOD
        .replace("ACME001", "GOV001")
        .replace("service-funding-declared", "user-needs");
    let user = load(&clash).expect("loads alone");
    let again = load(GOOD).expect("loads");
    let other = load(&GOOD.replace("acme-local", "orglint")).expect("loads");
    assert!(check_unique(&[builtin.clone(), again.clone()]).is_empty());

    let found = check_unique(&[builtin.clone(), user]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        found[0].message,
        "rule code `GOV001` is already used by pack `orglint`"
    );
    assert_eq!(at(&clash, &found[0]), "\"GOV001\"");
    assert!(found[0].related.is_empty(), "the built-in pack has no file");
    assert_eq!(
        found[1].message,
        "rule name `user-needs` is already used by pack `orglint`"
    );

    let found = check_unique(&[builtin, again.clone(), again]);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].message.contains("a rule pack named `acme-local`"));
    assert_eq!(found[1].related.len(), 1);

    let found = check_unique(&[builtin_pack(), other]);
    assert!(found[0].message.contains("a rule pack named `orglint`"));
}

/// A trusted pack with one native rule and the option `OPTION`.
fn native_pack(option: &str) -> String {
    format!(
        r#"[pack]
name = "native"

[[rules]]
code = "NAT001"
name = "native-rule"
severity = "warning"
summary = "A native rule"
rationale = "Why."
source = "Somewhere"
check = "native-rule"
help = "Fix it."
example-fail = "x = 1"
example-pass = "x = 2"

[rules.options.opt]
{option}
description = "The option."
"#
    )
}

fn load_trusted(text: &str) -> (Pack, Vec<Diagnostic>) {
    parse(FILE, text, "rules/native.toml", true)
}

#[test]
fn option_ranges() {
    let range = |option: &str| {
        let text = native_pack(option);
        let (pack, errors) = load_trusted(&text);
        assert!(errors.is_empty(), "{option}: {errors:#?}");
        let rule = pack.rules.first().expect("the rule");
        rule.options.first().expect("the option").range
    };
    assert_eq!(
        range("type = \"integer\"\ndefault = 2\nmin = 1"),
        OptionRange {
            min: Some(Bound::Integer(1)),
            max: None
        }
    );
    assert_eq!(
        range("type = \"float\"\ndefault = 0.5\nmin = 0\nmax = 1.0"),
        OptionRange {
            min: Some(Bound::Float(0.0)),
            max: Some(Bound::Float(1.0))
        }
    );
    // The edges are in the range.
    assert_eq!(
        range("type = \"integer\"\ndefault = 3\nmin = 3\nmax = 3"),
        OptionRange {
            min: Some(Bound::Integer(3)),
            max: Some(Bound::Integer(3))
        }
    );
    assert_eq!(
        range("type = \"string\"\ndefault = \"x\""),
        OptionRange::default()
    );

    let builtin = load_builtin();
    let builtin_range = |code: &str| {
        let rule = builtin.iter().find(|r| r.code == code).expect("rule");
        rule.options.first().expect("option").range
    };
    assert_eq!(
        builtin_range("GOV001"),
        OptionRange {
            min: Some(Bound::Integer(1)),
            max: None
        }
    );
    assert_eq!(
        builtin_range("OWN006"),
        OptionRange {
            min: Some(Bound::Integer(1)),
            max: None
        }
    );
    assert_eq!(
        builtin_range("TEAM004"),
        OptionRange {
            min: Some(Bound::Float(0.0)),
            max: Some(Bound::Float(1.0))
        }
    );
    assert_eq!(builtin_range("TEAM001"), OptionRange::default());
    let type_text = |code: &str| {
        let rule = builtin.iter().find(|r| r.code == code).expect("rule");
        rule.options.first().expect("option").type_text()
    };
    assert_eq!(type_text("GOV001"), "integer from 1 up");
    assert_eq!(type_text("TEAM004"), "float from 0 to 1");
    assert_eq!(type_text("TEAM001"), "group-map");
}

#[test]
fn bad_option_ranges() {
    // (the option's keys, the text under the error, message, help)
    let cases: &[(&str, &str, &str, Option<&str>)] = &[
        (
            "type = \"integer\"\ndefault = 2\nmin = 3\nmax = 1",
            "3",
            "option `opt` has `min = 3` above its `max = 1`",
            Some("`min` and `max` are the smallest and the largest value allowed, both included"),
        ),
        (
            "type = \"float\"\ndefault = 0.5\nmin = 0.75\nmax = 0.25",
            "0.75",
            "option `opt` has `min = 0.75` above its `max = 0.25`",
            Some("`min` and `max` are the smallest and the largest value allowed, both included"),
        ),
        (
            "type = \"integer\"\ndefault = 0\nmin = 1",
            "0",
            "the default of option `opt`, `0`, is outside its range (from 1 up)",
            Some("the default must be a value the option accepts: change it, or `min`/`max`"),
        ),
        (
            "type = \"float\"\ndefault = 1.5\nmin = 0\nmax = 1",
            "1.5",
            "the default of option `opt`, `1.5`, is outside its range (from 0 to 1)",
            Some("the default must be a value the option accepts: change it, or `min`/`max`"),
        ),
        (
            "type = \"integer\"\ndefault = 11\nmax = 10",
            "11",
            "the default of option `opt`, `11`, is outside its range (up to 10)",
            Some("the default must be a value the option accepts: change it, or `min`/`max`"),
        ),
        (
            "type = \"string-list\"\ndefault = []\nmin = 1",
            "min",
            "`min` is only for integer and float options; option `opt` is a string-list",
            Some("remove `min`: a string-list option has no range"),
        ),
        (
            "type = \"bool\"\ndefault = true\nmax = 1",
            "max",
            "`max` is only for integer and float options; option `opt` is a bool",
            Some("remove `max`: a bool option has no range"),
        ),
        (
            "type = \"integer\"\ndefault = 2\nmin = 0.5",
            "0.5",
            "bad `min` for option `opt`: expected an integer, found a float",
            None,
        ),
        (
            "type = \"float\"\ndefault = 0.5\nmax = \"1\"",
            "\"1\"",
            "bad `max` for option `opt`: expected a number, found a string",
            None,
        ),
        (
            "type = \"float\"\ndefault = 0.5\nmax = inf",
            "inf",
            "bad `max` for option `opt`: expected a finite number",
            None,
        ),
    ];
    for (option, under, message, help) in cases {
        let text = native_pack(option);
        let (pack, errors) = load_trusted(&text);
        assert_eq!(errors.len(), 1, "{option}: {errors:#?}");
        assert_eq!(errors[0].message, *message, "{option}");
        assert_eq!(at(&text, &errors[0]), *under, "{option}");
        assert_eq!(errors[0].help.as_deref(), *help, "{option}");
        assert_eq!(errors[0].code, "config");
        assert!(pack.rules.is_empty(), "{option}: the rule is dropped");
    }
}

#[test]
fn user_packs_cannot_declare_option_ranges() {
    let text = format!(
        "{GOOD}\n[rules.options.x]\ntype = \"integer\"\ndefault = 1\ndescription = \"x\"\nmin = 0\n"
    );
    let errors = load_err(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .starts_with("`options` are only for built-in rules")
    );
    assert_eq!(at(&text, &errors[0]), "options");
}

#[test]
fn option_values() {
    fn value(text: &str) -> Spanned<DeValue<'_>> {
        let root = DeTable::parse(text).expect("toml");
        root.get_ref().get("v").expect("v").clone()
    }
    assert_eq!(
        option_value(OptionKind::Float, &value("v = 1")),
        Ok(OptionValue::Float(1.0))
    );
    assert_eq!(
        option_value(OptionKind::Integer, &value("v = 0x10")),
        Ok(OptionValue::Integer(16))
    );
    assert_eq!(
        option_value(OptionKind::StringList, &value("v = [\"a\", \"b\"]")),
        Ok(OptionValue::StringList(vec!["a".into(), "b".into()]))
    );
    assert!(option_value(OptionKind::Integer, &value("v = 1.5")).is_err());
    assert!(option_value(OptionKind::Float, &value("v = nan")).is_err());
    let text = "v = { b = [\"x\"], a = [] }";
    let (range, message) =
        option_value(OptionKind::GroupMap, &value(text)).expect_err("empty group");
    assert_eq!(&text[range], "[]");
    assert_eq!(message, "group `a` is empty; list at least one role");
    assert_eq!(
        option_value(
            OptionKind::GroupMap,
            &value("v = { b = [\"x\"], a = [\"y\"] }")
        ),
        Ok(OptionValue::GroupMap(vec![
            ("b".into(), vec!["x".into()]),
            ("a".into(), vec!["y".into()]),
        ])),
        "in the order written"
    );
}

#[test]
fn spans_inside_strings() {
    let file = FileId(1);
    let check = |source: &str, decoded: &str, inner: &str, expect: &str| {
        let start = source.find(['"', '\'']).expect("a string");
        let value = Span::new(file, start, source.len());
        let from = decoded.find(inner).expect("inner");
        let span = span_in_string(source, value, decoded, from..from + inner.len());
        assert_eq!(&source[span.range()], expect, "{source}");
    };
    check(
        r#"a = "has(service.funding)""#,
        "has(service.funding)",
        "funding",
        "funding",
    );
    check(r#"a = 'x.y && z'"#, "x.y && z", "z", "z");
    check(r#"a = "\"q\" == x""#, "\"q\" == x", "x", "x");
    check(r#"a = "\"q\" == x""#, "\"q\" == x", "\"q\"", "\\\"q\\\"");
    check(r#"a = "é\u00e9 + y""#, "éé + y", "y", "y");
    check(
        "a = \"\"\"\nfoo &&\n  bar\"\"\"",
        "foo &&\n  bar",
        "bar",
        "bar",
    );
    check(
        "a = \"\"\"\nfoo && \\\n   bar\"\"\"",
        "foo && bar",
        "bar",
        "bar",
    );
    check("a = '''\r\nfoo'''", "foo", "foo", "foo");
    // A decoded text that does not match: the whole value.
    check(r#"a = "abc""#, "xyz", "y", "\"abc\"");
}

/// Every built-in example, linted alone by the whole pipeline: the
/// failing one has a finding of its rule, the passing one has none.
#[test]
fn builtin_examples_fire_and_pass() {
    let dir = std::env::temp_dir().join(format!("orglint-pack-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let setup = crate::engine::setup(None, Some(&dir), &Default::default()).expect("setup");
    let today = crate::suppress::Date::parse("2026-01-15").expect("date");
    let mut wrong = Vec::new();
    for rule in load_builtin() {
        for (fails, text) in [(true, &rule.example_fail), (false, &rule.example_pass)] {
            let path = dir.join(format!("{}-{fails}.toml", rule.code));
            std::fs::write(&path, text.as_deref().unwrap_or("")).expect("write");
            let out =
                crate::engine::check(&setup, std::slice::from_ref(&path), today).expect("check");
            let fired = out
                .diagnostics
                .iter()
                .any(|d| d.code == rule.code && d.suppressed.is_none());
            if fired != fails {
                let found: Vec<String> = out
                    .diagnostics
                    .iter()
                    .map(|d| format!("{} {}", d.code, d.message))
                    .collect();
                wrong.push(format!(
                    "{} example-{}: {found:#?}",
                    rule.code,
                    if fails { "fail" } else { "pass" }
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(wrong.is_empty(), "{wrong:#?}");
}
