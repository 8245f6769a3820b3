use super::*;
use crate::source::{FileId, SourceFile};

const PACK_FILE: FileId = FileId(100);

const HEADER: &str = "[pack]\nname = \"test\"\n";

/// A `[[rules]]` table.
fn rule(code: &str, for_each: &str, when: Option<&str>, assert: &str, at: Option<&str>) -> String {
    let mut out = format!(
        "\n[[rules]]\ncode = \"{code}\"\nname = \"rule-{}\"\nseverity = \"warning\"\n\
         summary = \"A rule\"\nfor-each = \"{for_each}\"\nassert = {assert}\n\
         message = \"`{{id}}` ({{name}}) fails {code}\"\n",
        code.to_lowercase()
    );
    if let Some(when) = when {
        out.push_str(&format!("when = {when}\n"));
    }
    if let Some(at) = at {
        out.push_str(&format!("at = \"{at}\"\n"));
    }
    out
}

/// A TOML basic string holding `text`.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn load_pack(text: &str) -> Pack {
    pack::load_pack(PACK_FILE, text, "pack.toml").expect("pack loads")
}

/// Compiles a pack; on errors, each as `line:col message` of the pack and
/// the text under its span.
fn compile_errors(text: &str, with_sources: bool) -> Vec<(String, String)> {
    let pack = load_pack(text);
    let mut sources = SourceMap::new();
    for i in 0..=PACK_FILE.0 {
        let t = if i == PACK_FILE.0 { text } else { "" };
        sources.add(SourceFile::new(
            "pack.toml".into(),
            "pack.toml".into(),
            t.to_owned(),
        ));
    }
    let result = if with_sources {
        compile_with_sources(std::slice::from_ref(&pack), &sources)
    } else {
        compile(std::slice::from_ref(&pack))
    };
    let Err(errors) = result else {
        return Vec::new();
    };
    let file = sources.get(PACK_FILE).expect("pack file");
    errors
        .iter()
        .map(|d| {
            assert_eq!((&*d.code, &*d.name), ("config", "config-error"));
            assert_eq!(d.severity, Severity::Error);
            let span = d.span().expect("a span");
            let at = file.line_col(span.start);
            (
                format!("{}:{} {}", at.line, at.column, d.message),
                file.slice(span).to_owned(),
            )
        })
        .collect()
}

fn one_error(assert: &str) -> (String, String) {
    let text = format!("{HEADER}{}", rule("TST001", "service", None, assert, None));
    let errors = compile_errors(&text, true);
    assert_eq!(errors.len(), 1, "{assert}: {errors:#?}");
    errors.into_iter().next().unwrap_or_default()
}

#[test]
fn no_cel_rules_compile_to_nothing() {
    let programs = compile(&[pack::builtin_pack()]).expect("compiles");
    assert!(programs.is_empty());
    assert!(programs.env.is_none(), "no environment is built");
    let programs = compile(&[]).expect("compiles");
    assert_eq!(programs.len(), 0);
}

#[test]
fn good_rules_compile() {
    let text = format!(
        "{HEADER}{}{}",
        rule(
            "TST001",
            "service",
            Some("\"service.internal_systems\""),
            "\"has(service.funding)\"",
            Some("funding")
        ),
        rule(
            "TST002",
            "person",
            None,
            "'''\n!has(person.reports_to) ||\n  person.reports_to in org.people'''",
            None
        )
    );
    let pack = load_pack(&text);
    let programs = compile(&[pack::builtin_pack(), pack]).expect("compiles");
    assert_eq!(programs.len(), 2);
    let org: Vec<bind::OrgParts> = programs.rules.iter().map(|r| r.org).collect();
    assert_eq!(
        org,
        vec![
            bind::OrgParts::default(),
            bind::OrgParts::default().with("people")
        ]
    );
}

#[test]
fn syntax_errors_point_into_the_string() {
    // A plain string: exact without the file.
    let text = format!(
        "{HEADER}{}",
        rule("TST001", "service", None, "\"has(service.funding\"", None)
    );
    let errors = compile_errors(&text, false);
    assert_eq!(
        errors,
        vec![(
            "10:30 rule TST001, `assert`: syntax error: missing ')' at '<EOF>'".to_owned(),
            String::new()
        )]
    );
    let (message, at) = one_error("\"service.name ++ 'x'\"");
    assert!(
        message.starts_with("10:25 rule TST001, `assert`: syntax error: "),
        "{message}"
    );
    assert_eq!(at, "+");
    // Escapes before the error: exact with the file...
    let assert = quoted("service.name == \"x\" &&& true");
    let (message, at) = one_error(&assert);
    assert!(
        message.starts_with("10:35 rule TST001, `assert`: syntax error:"),
        "{message}"
    );
    assert_eq!(at, "&");
    // ... and without it, the whole string, saying where in the expression.
    let text = format!("{HEADER}{}", rule("TST001", "service", None, &assert, None));
    let errors = compile_errors(&text, false);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .0
            .starts_with("10:10 rule TST001, `assert`: syntax error:")
            && errors[0]
                .0
                .ends_with("(at line 1, column 23 of the expression)"),
        "{errors:#?}"
    );
    assert_eq!(errors[0].1, assert);
    // A multi-line string, and a character the lexer does not know.
    let (message, at) = one_error("'''\nservice.name == 'x' &&\n  é'''");
    assert!(
        message.starts_with("12:3 rule TST001, `assert`: syntax error: "),
        "{message}"
    );
    assert_eq!(at, "é");
}

#[test]
fn both_expressions_are_checked() {
    let text = format!(
        "{HEADER}{}",
        rule(
            "TST001",
            "team",
            Some("\"team.mode ==\""),
            "\"has(teem.phase)\"",
            None
        )
    );
    let errors = compile_errors(&text, true);
    let messages: Vec<&str> = errors.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(messages.len(), 2, "{errors:#?}");
    assert!(messages[0].contains("`when`: syntax error"), "{messages:?}");
    assert!(
        messages[1].ends_with("`assert`: unknown variable `teem`"),
        "{messages:?}"
    );
    assert_eq!(errors[1].1, "teem");
}

#[test]
fn unknown_variables_and_keys() {
    let (message, at) = one_error("\"has(team.phase)\"");
    assert_eq!(
        message,
        "10:15 rule TST001, `assert`: unknown variable `team`"
    );
    assert_eq!(at, "team");
    let (message, at) = one_error("\"has(service.fundng)\"");
    assert_eq!(
        message,
        "10:23 rule TST001, `assert`: `service` has no key `fundng`"
    );
    assert_eq!(at, "fundng");
    let (message, at) = one_error("\"org.peopl.size() > 0\"");
    assert_eq!(
        message,
        "10:15 rule TST001, `assert`: `org` has no key `peopl`"
    );
    assert_eq!(at, "peopl");
}

#[test]
fn limits_are_config_errors() {
    let long = quoted(&format!("service.name == '{}'", "x".repeat(MAX_BYTES)));
    let (message, at) = one_error(&long);
    assert_eq!(
        message,
        "10:10 rule TST001, `assert`: the expression is 4114 bytes long; the limit is 4096 bytes"
    );
    assert_eq!(at, long, "the whole string");

    let deep = format!("\"{}true{}\"", "(".repeat(33), ")".repeat(33));
    let (message, at) = one_error(&deep);
    assert_eq!(
        message,
        "10:43 rule TST001, `assert`: the expression nests deeper than 32 levels; the limit is 32"
    );
    assert_eq!(at, "(");

    let many = format!("\"1{} == 1\"", " + 1".repeat(MAX_OPERATORS));
    let (message, _) = one_error(&many);
    assert!(
        message.ends_with("the expression has more than 512 operators; the limit is 512"),
        "{message}"
    );
}

#[test]
fn expressions_at_the_limits_compile_and_run() {
    // The deepest nesting and the longest chain the limits let through,
    // compiled and evaluated on their large stacks (a debug build needs
    // megabytes for them).
    let deep = format!("\"{}service.id != ''{}\"", "(".repeat(32), ")".repeat(32));
    let chain = format!(
        "\"size(service.id){} > 0\"",
        " + 1".repeat(MAX_OPERATORS - 4)
    );
    let nested = format!(
        "\"{}service.id != ''{}\"",
        "[1].all(x, ".repeat(16),
        ")".repeat(16)
    );
    for (i, assert) in [deep, chain, nested].iter().enumerate() {
        let found = lint(
            &rule(&format!("TST00{i}"), "service", None, assert, None),
            &[("a.toml", "[services.s]\nname = \"S\"\n")],
        );
        assert_eq!(found, Vec::<String>::new(), "{assert}");
    }
}

/// Lints `files` with the rules (`[[rules]]` tables) alone; the findings
/// as `path:line:col CODE message`, sorted.
fn lint(rules: &str, files: &[(&str, &str)]) -> Vec<String> {
    lint_diagnostics(rules, files)
        .into_iter()
        .map(|(at, d)| format!("{at} {} {}", d.code, d.message))
        .collect()
}

fn lint_diagnostics(rules: &str, files: &[(&str, &str)]) -> Vec<(String, Diagnostic)> {
    let pack = load_pack(&format!("{HEADER}{rules}"));
    let programs = compile(std::slice::from_ref(&pack)).expect("compiles");
    let mut sources = SourceMap::new();
    let mut defs = Vec::new();
    for (i, (path, text)) in files.iter().enumerate() {
        let id = FileId(i as u32);
        let (d, _) = crate::load::load_text(id, text);
        defs.push((id, d));
        sources.add(SourceFile::new(
            path.into(),
            (*path).to_owned(),
            (*text).to_owned(),
        ));
    }
    let (model, _) = crate::model::resolve::resolve(defs);
    let active: Vec<eval::Active<'_>> = programs
        .rules
        .iter()
        .filter_map(|rule| {
            Some(eval::Active {
                rule,
                meta: pack.rules.iter().find(|m| m.code == rule.code)?,
            })
        })
        .collect();
    let env = programs.env.as_ref().expect("an environment");
    let mut found: Vec<(String, Diagnostic)> = eval::run(&active, &model, env)
        .into_iter()
        .map(|d| {
            let span = d.span().expect("a span");
            let file = sources.get(span.file).expect("file");
            let at = file.line_col(span.start);
            (format!("{}:{}:{}", file.display, at.line, at.column), d)
        })
        .collect();
    found.sort_by(|a, b| (&a.0, &a.1.code, &a.1.message).cmp(&(&b.0, &b.1.code, &b.1.message)));
    found
}

/// Runs `assert` on every entity of `kind`: the findings.
fn check(kind: &str, assert: &str, files: &[(&str, &str)]) -> Vec<String> {
    lint(&rule("TST001", kind, None, &quoted(assert), None), files)
}

const ORG: &str = r#"
[organisation]
name = "Dept"

[posts]
professional-lead = "ann"
chief-technology-officer = "ghost"

[accountabilities]
data = "ann"
budget = ["ann", "bob"]

[people.ann]
name = "Ann"
role = "devops"
level = "lead"

[people.bob]
name = "Bob"
role = "software-developer"
employment = "contractor"
reports-to = "ann"

[people.cat]
name = "Cat"
role = "no-such-role"
level = "lead"
reports-to = "nobody"

[suppliers.acme]
name = "Acme"
kind = "specialist"

[teams.t]
name = "T"
mode = "innovation"
members = ["ann", "bob", "ghost"]
lead = "ann"
services = ["s"]

[services.s]
name = "S"
owner = "ann"
user-needs = ["a need", "another"]
decision-rights = ["product"]
funding = "continuous"

[services.u]
name = "U"
internal-systems = true
owner = "ghost"

[governance.board]
name = "Board"
area = "executive"
decision = "majority"
members = ["ann"]
remit = ["spend"]
"#;

fn org() -> [(&'static str, &'static str); 1] {
    [("org.toml", ORG)]
}

#[test]
fn entities_are_bound_with_defaults_and_resolved_ids() {
    // Each line: an assertion that holds for every entity of the kind.
    let holds = [
        ("person", "person.id in ['ann', 'bob', 'cat']"),
        (
            "person",
            "person.id != 'ann' || (person.role == 'devops-engineer' && person.level == 'lead-devops-engineer')",
        ),
        (
            "person",
            "person.id != 'bob' || (person.employment == 'contractor' && person.reports_to == 'ann' && !has(person.level))",
        ),
        (
            "person",
            "person.id != 'ann' || (person.employment == 'civil-servant' && !has(person.reports_to) && !has(person.supplier))",
        ),
        // An unknown role, its level, and an unresolved reference are absent.
        (
            "person",
            "person.id != 'cat' || (!has(person.role) && !has(person.level) && !has(person.reports_to) && person.name == 'Cat')",
        ),
        (
            "service",
            "service.id != 's' || (service.internal_systems == false && service.user_needs == ['a need', 'another'] && service.decision_rights == ['product'] && service.funding == 'continuous' && service.owner == 'ann')",
        ),
        (
            "service",
            "service.id != 'u' || (service.internal_systems && !has(service.owner) && !has(service.user_needs) && !has(service.funding))",
        ),
        (
            "team",
            "team.members == ['ann', 'bob'] && team.lead == 'ann' && team.services == ['s'] && team.mode == 'innovation' && !has(team.phase)",
        ),
        (
            "body",
            "body.decision == 'majority' && body.area == 'executive' && body.remit == ['spend'] && !has(body.parent) && !has(body.owner)",
        ),
        (
            "supplier",
            "supplier.kind == 'specialist' && supplier.name == 'Acme' && supplier.id == 'acme'",
        ),
        (
            "organisation",
            "organisation.id == 'organisation' && organisation.name == 'Dept' && !has(organisation.operating_model)",
        ),
    ];
    for (kind, assert) in holds {
        assert_eq!(
            check(kind, assert, &org()),
            Vec::<String>::new(),
            "{assert}"
        );
    }
}

#[test]
fn org_is_the_whole_model() {
    let holds = [
        "org.people.size() == 3 && 'ann' in org.people && org.people['bob'].reports_to == 'ann'",
        "org.teams['t'].lead == 'ann' && org.services.size() == 2 && 'board' in org.governance",
        "org.suppliers['acme'].kind == 'specialist' && org.organisation.id == 'organisation'",
        // An unresolved holder is absent; a shared area is a list.
        "org.posts == {'professional-lead': 'ann'} && org.accountabilities['budget'] == ['ann', 'bob']",
        "org.accountabilities['data'] == 'ann'",
        "org.people.all(p, org.people[p].name != '')",
        // `org` as one map.
        "size(org) == 8 && has(org.organisation) && 'people' in org",
        "org['people'].size() == 3 && org.all(k, size(org[k]) > 0)",
    ];
    for assert in holds {
        assert_eq!(
            check("supplier", assert, &org()),
            Vec::<String>::new(),
            "{assert}"
        );
    }
    // A person's value is the one in `org.people`.
    let holds = [
        "org.people[person.id] == person && org.people[person.id].name == person.name",
        "!has(person.reports_to) || person.reports_to in org.people",
        // A comprehension variable shadows the entity.
        "[{'role': 1}].all(person, person.role == 1)",
    ];
    for assert in holds {
        assert_eq!(
            check("person", assert, &org()),
            Vec::<String>::new(),
            "{assert}"
        );
    }
}

#[test]
fn org_without_an_organisation() {
    let files = [(
        "a.toml",
        "[suppliers.acme]\nname = \"Acme\"\nkind = \"specialist\"\n",
    )];
    assert_eq!(
        check(
            "supplier",
            "!has(org.organisation) && size(org) == 7",
            &files
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        check("supplier", "org.organisation.name == ''", &files),
        vec!["a.toml:1:1 TST001 could not evaluate `assert`: No such key: organisation"]
    );
    assert_eq!(
        check(
            "supplier",
            "org.suppliers.acme.kind == 'specialist'",
            &files
        ),
        Vec::<String>::new()
    );
}

#[test]
fn findings_use_the_rules_message_at_and_entity() {
    let rules = format!(
        "{}{}",
        rule(
            "TST001",
            "service",
            None,
            "\"has(service.funding)\"",
            Some("funding")
        ),
        rule(
            "TST002",
            "person",
            None,
            "\"has(person.reports_to)\"",
            Some("role")
        )
    );
    let found = lint_diagnostics(&rules, &org());
    let lines: Vec<String> = found
        .iter()
        .map(|(at, d)| format!("{at} {} {}", d.code, d.message))
        .collect();
    assert_eq!(
        lines,
        vec![
            // `role` is there: its value. (`cat`'s `reports-to` does not
            // resolve: the rule skips `cat`, see
            // `unknown_values_skip_the_entity`.)
            "org.toml:15:8 TST002 `ann` (Ann) fails TST002",
            // `funding` is absent: the header.
            "org.toml:48:1 TST001 `u` (U) fails TST001",
        ]
    );
    let (_, d) = &found[0];
    assert_eq!(d.name, "rule-tst002");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.entity,
        Some(crate::diagnostic::EntityRef {
            kind: EntityKind::Person,
            id: "ann".into()
        })
    );
    assert_eq!(d.key.as_deref(), Some("role"));
}

#[test]
fn unknown_values_skip_the_entity() {
    // decisions.md 3: a value already reported as invalid or unresolved
    // (ORG008, ORG001, ORG004) is unknown, and a rule that reads it skips
    // the entity instead of reporting the same root cause again.
    let cases: [(&str, Option<&str>, &str, &[&str]); 7] = [
        // `cat`'s `reports-to` does not resolve; `ann` has none.
        (
            "person",
            None,
            "has(person.reports_to)",
            &["org.toml:13:1 TST001 `ann` (Ann) fails TST001"],
        ),
        // A rule that reads only known values of `cat` still runs on it.
        (
            "person",
            None,
            "person.name != 'Cat'",
            &["org.toml:24:1 TST001 `cat` (Cat) fails TST001"],
        ),
        // `cat`'s role is unknown (ORG004), and so is its level.
        (
            "person",
            None,
            "person.role == 'devops-engineer'",
            &["org.toml:18:1 TST001 `bob` (Bob) fails TST001"],
        ),
        // A list with an unresolved element is unknown as a whole.
        ("team", None, "size(team.members) == 3", &[]),
        // `u`'s owner does not resolve: it still counts as an owner.
        (
            "service",
            Some("service.internal_systems"),
            "has(service.owner)",
            &[],
        ),
        // The entity used as a whole reads every key.
        (
            "person",
            None,
            "size(person) > 100",
            &[
                "org.toml:13:1 TST001 `ann` (Ann) fails TST001",
                "org.toml:18:1 TST001 `bob` (Bob) fails TST001",
            ],
        ),
        // Through `org`, unknown values are absent: only the entity's own
        // keys are tracked.
        (
            "body",
            None,
            "org.people.all(p, has(org.people[p].reports_to) || p == 'ann')",
            &["org.toml:53:1 TST001 `board` (Board) fails TST001"],
        ),
    ];
    for (kind, when, assert, expected) in cases {
        let rules = rule(
            "TST001",
            kind,
            when.map(quoted).as_deref(),
            &quoted(assert),
            None,
        );
        assert_eq!(lint(&rules, &org()), expected, "{assert}");
    }
}

#[test]
fn when_guards_the_assertion() {
    let rules = rule(
        "TST001",
        "service",
        Some("\"service.internal_systems\""),
        "\"has(service.funding)\"",
        None,
    );
    // `s` has no internal systems (the default): skipped; `u` fails.
    assert_eq!(
        lint(&rules, &org()),
        vec!["org.toml:48:1 TST001 `u` (U) fails TST001"]
    );
    let rules = rule("TST001", "service", Some("\"false\""), "\"false\"", None);
    assert_eq!(lint(&rules, &org()), Vec::<String>::new());
}

#[test]
fn errors_and_non_bool_results_are_findings() {
    // An absent key read without has(): a finding, never a pass.
    let found = lint_diagnostics(
        &rule(
            "TST001",
            "service",
            None,
            "\"service.funding == 'project'\"",
            Some("funding"),
        ),
        &org(),
    );
    let lines: Vec<String> = found
        .iter()
        .map(|(at, d)| format!("{at} {} {}", d.code, d.message))
        .collect();
    assert_eq!(
        lines,
        vec![
            "org.toml:46:11 TST001 `s` (S) fails TST001",
            "org.toml:48:1 TST001 could not evaluate `assert`: No such key: funding",
        ]
    );
    assert_eq!(
        found[1].1.help.as_deref(),
        Some("`funding` is absent here: test it with `has()` first")
    );
    assert_eq!(
        check("supplier", "supplier.name", &org()),
        vec![
            "org.toml:30:1 TST001 could not evaluate `assert`: the result is of type string, not bool"
        ]
    );
    assert_eq!(
        check("supplier", "1 / 0 == 1", &org()),
        vec!["org.toml:30:1 TST001 could not evaluate `assert`: Division by zero of Int(1)"]
    );
    let rules = rule(
        "TST001",
        "supplier",
        Some("\"supplier.name + 1 == 2\""),
        "\"true\"",
        None,
    );
    assert_eq!(
        lint(&rules, &org()),
        vec![
            "org.toml:30:1 TST001 could not evaluate `when`: Unsupported binary operator 'add': String(\"Acme\"), Int(1)"
        ]
    );
}

#[test]
fn a_rule_for_a_kind_without_entities_finds_nothing() {
    assert_eq!(
        check(
            "service",
            "false",
            &[("a.toml", "[people.a]\nname = \"A\"\nrole = \"devops\"\n")]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn positions() {
    assert_eq!(position("abc", 1, 2), Some(1..2));
    assert_eq!(position("abc", 1, 4), Some(3..3));
    assert_eq!(position("a\néb", 2, 1), Some(2..4));
    assert_eq!(position("a\néb", 2, 2), Some(4..5));
    assert_eq!(position("abc", 3, 1), None);
    assert_eq!(position("abc", 0, 1), None);
    assert_eq!(position("abc", 1, -1), None);
    assert_eq!(line_column("ab\ncé d", 7), (2, 4));
    assert_eq!(line_column("ab", 0), (1, 1));
}
