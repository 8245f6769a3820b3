//! Property tests over generated valid organisations (issue 6, part 2).
//!
//! An organisation is generated as a plan (people with catalogue roles and
//! levels, suppliers, services, teams, governance bodies, posts,
//! accountabilities, sometimes a local role), written as TOML with every
//! reference resolving, and linted through the real pipeline
//! (`engine::setup` + `engine::check`, every rule selected, plus a CEL pack
//! that reads every key) by the fuzz harness (`fuzz/src/lib.rs`), which also
//! renders every format and asserts that spans are in bounds and findings in
//! report order. The properties:
//!
//! - no panic, and no ORG008 or ORG001 (the generator writes valid files);
//! - output deterministic (every format byte for byte) and sorted;
//! - adding a suppression never adds a finding other than META ones;
//! - renaming ids consistently everywhere changes no finding but its names;
//! - splitting one file into several changes no finding but its paths.

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod harness;

use std::collections::BTreeMap;

use harness::Workspace;
use orglint::diagnostic::Diagnostic;
use orglint::engine::{Outcome, Setup};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;

// ---------------------------------------------------------------------------
// The plan of an organisation

/// Roles of the catalogue, with levels each accepts as written (level ids,
/// and the short forms that name exactly one level).
const ROLES: &[(&str, &[&str])] = &[
    (
        "product-manager",
        &[
            "senior-product-manager",
            "lead",
            "associate-product-manager",
        ],
    ),
    ("delivery-manager", &["delivery-manager", "senior"]),
    ("user-researcher", &["lead-user-researcher", "junior"]),
    ("interaction-designer", &["senior-interaction-designer"]),
    ("content-designer", &["content-designer", "head"]),
    (
        "software-developer",
        &["lead", "senior-developer", "principal-developer-management"],
    ),
    ("devops", &["lead-devops-engineer", "principal"]),
    ("technical-architect", &["principal", "technical-architect"]),
    ("service-owner", &["service-owner"]),
    ("chief-technology-officer", &[]),
    ("chief-digital-and-information-officer", &[]),
];

/// The local role's levels (when the plan has one).
const LOCAL_LEVELS: &[&str] = &["widget-maker", "senior-widget-maker"];

const EMPLOYMENT: &[&str] = &["civil-servant", "contractor", "supplier"];
const SUPPLIER_KINDS: &[&str] = &[
    "delivery-partner",
    "it-project-management",
    "commodity",
    "specialist",
];
const PHASES: &[&str] = &["discovery", "alpha", "beta", "live"];
const RIGHTS: &[&str] = &["product", "business", "technical"];
const FUNDING: &[&str] = &["continuous", "project"];
const PROCUREMENT: &[&str] = &["user-needs", "best-value"];
const AREAS: &[&str] = &[
    "executive",
    "mission-it",
    "digital-public-services",
    "infrastructure",
    "shared-services",
];
const DECISIONS: &[&str] = &["accountable-owner", "consensus", "majority", "advisory"];
const REMIT: &[&str] = &["spend", "budget", "strategy"];
const MODELS: &[&str] = &["process", "enabling", "product"];
const POSTS: &[&str] = &[
    "professional-lead",
    "digital-services-director",
    "chief-technology-officer",
    "chief-data-officer",
];
const AREAS_ACCOUNTABLE: &[&str] = &[
    "data",
    "technology",
    "digital-services",
    "spend-control",
    "budget",
    "common-platforms",
];

#[derive(Clone, Debug)]
struct PersonPlan {
    /// Index into ROLES, or ROLES.len() for the local role.
    role: Index,
    level: Option<Index>,
    employment: Index,
    supplier: Index,
    reports_to: Option<Index>,
}

#[derive(Clone, Debug)]
struct ServicePlan {
    owner: Option<Index>,
    rights: Option<u8>,
    needs: Option<u8>,
    internal: Option<bool>,
    funding: Option<Index>,
    procurement: Option<Index>,
    managed_by: Option<Index>,
}

#[derive(Clone, Debug)]
struct TeamPlan {
    innovation: bool,
    phase: Option<Index>,
    services: u8,
    members: u16,
    lead: Option<Index>,
    managed_by: Option<Index>,
}

#[derive(Clone, Debug)]
struct BodyPlan {
    parent: Option<Index>,
    area: Index,
    decision: Index,
    owner: Option<Index>,
    members: Option<u16>,
    remit: u8,
}

#[derive(Clone, Debug)]
struct OrgPlan {
    people: Vec<PersonPlan>,
    suppliers: Vec<Index>,
    services: Vec<ServicePlan>,
    teams: Vec<TeamPlan>,
    bodies: Vec<BodyPlan>,
    operating_model: Option<Index>,
    posts: Vec<Option<Index>>,
    accountabilities: Vec<Option<Index>>,
    local_role: bool,
}

fn person() -> impl Strategy<Value = PersonPlan> {
    (
        any::<Index>(),
        proptest::option::of(any::<Index>()),
        any::<Index>(),
        any::<Index>(),
        proptest::option::weighted(0.7, any::<Index>()),
    )
        .prop_map(
            |(role, level, employment, supplier, reports_to)| PersonPlan {
                role,
                level,
                employment,
                supplier,
                reports_to,
            },
        )
}

fn service() -> impl Strategy<Value = ServicePlan> {
    (
        proptest::option::weighted(0.8, any::<Index>()),
        proptest::option::of(0u8..8),
        proptest::option::weighted(0.7, 0u8..3),
        proptest::option::of(any::<bool>()),
        proptest::option::of(any::<Index>()),
        proptest::option::of(any::<Index>()),
        proptest::option::weighted(0.2, any::<Index>()),
    )
        .prop_map(
            |(owner, rights, needs, internal, funding, procurement, managed_by)| ServicePlan {
                owner,
                rights,
                needs,
                internal,
                funding,
                procurement,
                managed_by,
            },
        )
}

fn team() -> impl Strategy<Value = TeamPlan> {
    (
        any::<bool>(),
        proptest::option::of(any::<Index>()),
        any::<u8>(),
        any::<u16>(),
        proptest::option::of(any::<Index>()),
        proptest::option::weighted(0.2, any::<Index>()),
    )
        .prop_map(
            |(innovation, phase, services, members, lead, managed_by)| TeamPlan {
                innovation,
                phase,
                services,
                members,
                lead,
                managed_by,
            },
        )
}

fn body() -> impl Strategy<Value = BodyPlan> {
    (
        proptest::option::weighted(0.6, any::<Index>()),
        any::<Index>(),
        any::<Index>(),
        proptest::option::weighted(0.7, any::<Index>()),
        proptest::option::of(any::<u16>()),
        0u8..8,
    )
        .prop_map(|(parent, area, decision, owner, members, remit)| BodyPlan {
            parent,
            area,
            decision,
            owner,
            members,
            remit,
        })
}

fn org_plan() -> impl Strategy<Value = OrgPlan> {
    (
        prop::collection::vec(person(), 1..8),
        prop::collection::vec(any::<Index>(), 0..3),
        prop::collection::vec(service(), 0..5),
        prop::collection::vec(team(), 0..4),
        prop::collection::vec(body(), 0..5),
        proptest::option::weighted(0.8, any::<Index>()),
        prop::collection::vec(proptest::option::weighted(0.7, any::<Index>()), 4),
        prop::collection::vec(proptest::option::weighted(0.7, any::<Index>()), 6),
        proptest::bool::weighted(0.3),
    )
        .prop_map(
            |(
                people,
                suppliers,
                services,
                teams,
                bodies,
                operating_model,
                posts,
                accountabilities,
                local_role,
            )| OrgPlan {
                people,
                suppliers,
                services,
                teams,
                bodies,
                operating_model,
                posts,
                accountabilities,
                local_role,
            },
        )
}

// ---------------------------------------------------------------------------
// Ids and writing the plan as TOML

/// The ids of one naming: every entity gets a distinct id of the same
/// length (three letters and three digits), so that a renaming moves no
/// column, and no id is part of another or of an English word.
#[derive(Clone, Debug)]
struct Ids {
    people: Vec<String>,
    suppliers: Vec<String>,
    services: Vec<String>,
    teams: Vec<String>,
    bodies: Vec<String>,
    local_role: String,
}

impl Ids {
    fn new(plan: &OrgPlan, seed: u32) -> Ids {
        let mut n = 0u32;
        let mut next = || {
            n += 1;
            // Distinct for n < 1000: 7 is prime to 1000.
            let digits = (n * 7 + seed) % 1000;
            let h = n
                .wrapping_mul(2_654_435_761)
                .wrapping_add(seed.wrapping_mul(40_503));
            let letter = |k: u32| char::from(b'a' + ((h >> (k * 5)) % 26) as u8);
            format!("{}{}{}{digits:03}", letter(0), letter(1), letter(2))
        };
        Ids {
            people: plan.people.iter().map(|_| next()).collect(),
            suppliers: plan.suppliers.iter().map(|_| next()).collect(),
            services: plan.services.iter().map(|_| next()).collect(),
            teams: plan.teams.iter().map(|_| next()).collect(),
            bodies: plan.bodies.iter().map(|_| next()).collect(),
            local_role: next(),
        }
    }

    /// Every id, with the placeholder that stands for it.
    fn placeholders(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let groups: [(&str, &[String]); 5] = [
            ("person", &self.people),
            ("supplier", &self.suppliers),
            ("service", &self.services),
            ("team", &self.teams),
            ("body", &self.bodies),
        ];
        for (kind, ids) in groups {
            for (i, id) in ids.iter().enumerate() {
                out.push((id.clone(), format!("<{kind}{i}>")));
            }
        }
        out.push((self.local_role.clone(), "<role>".to_owned()));
        out
    }
}

fn quoted(ids: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let items: Vec<String> = ids
        .into_iter()
        .map(|s| format!("\"{}\"", s.as_ref()))
        .collect();
    format!("[{}]", items.join(", "))
}

fn pick<'a>(items: &'a [&'a str], i: &Index) -> &'a str {
    items[i.index(items.len())]
}

fn mask<T: Clone>(items: &[T], bits: u32) -> Vec<T> {
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 32 && bits & (1 << i) != 0)
        .map(|(_, t)| t.clone())
        .collect()
}

/// The organisation as TOML blocks (one table each), in file order.
fn blocks(plan: &OrgPlan, ids: &Ids) -> Vec<String> {
    let mut out = Vec::new();
    let person = |i: &Index| ids.people[i.index(ids.people.len())].clone();

    let mut org = "[organisation]\nname = \"Department of Properties\"\n".to_owned();
    if let Some(m) = &plan.operating_model {
        org.push_str(&format!("operating-model = \"{}\"\n", pick(MODELS, m)));
    }
    out.push(org);

    let posts: Vec<String> = POSTS
        .iter()
        .zip(&plan.posts)
        .filter_map(|(post, p)| p.as_ref().map(|p| format!("{post} = \"{}\"\n", person(p))))
        .collect();
    if !posts.is_empty() {
        out.push(format!("[posts]\n{}", posts.concat()));
    }
    let accs: Vec<String> = AREAS_ACCOUNTABLE
        .iter()
        .zip(&plan.accountabilities)
        .filter_map(|(area, p)| p.as_ref().map(|p| format!("{area} = \"{}\"\n", person(p))))
        .collect();
    if !accs.is_empty() {
        out.push(format!("[accountabilities]\n{}", accs.concat()));
    }

    if plan.local_role {
        out.push(format!(
            "[roles.{}]\nname = \"Widget maker\"\nfamily = \"Widgets\"\nlevels = {}\n",
            ids.local_role,
            quoted(LOCAL_LEVELS)
        ));
    }

    for (i, s) in plan.suppliers.iter().enumerate() {
        out.push(format!(
            "[suppliers.{}]\nname = \"Supplier {i}\"\nkind = \"{}\"\n",
            ids.suppliers[i],
            pick(SUPPLIER_KINDS, s)
        ));
    }

    for (i, p) in plan.people.iter().enumerate() {
        let roles = ROLES.len() + usize::from(plan.local_role);
        let r = p.role.index(roles);
        let (role, levels): (&str, &[&str]) = if r == ROLES.len() {
            (&ids.local_role, LOCAL_LEVELS)
        } else {
            ROLES[r]
        };
        let mut t = format!(
            "[people.{}]\nname = \"Person {i}\"\nrole = \"{role}\"\n",
            ids.people[i]
        );
        if let Some(l) = &p.level
            && !levels.is_empty()
        {
            t.push_str(&format!("level = \"{}\"\n", pick(levels, l)));
        }
        let employment = pick(EMPLOYMENT, &p.employment);
        if employment == "supplier" && !ids.suppliers.is_empty() {
            t.push_str(&format!(
                "employment = \"supplier\"\nsupplier = \"{}\"\n",
                ids.suppliers[p.supplier.index(ids.suppliers.len())]
            ));
        } else if employment == "contractor" {
            t.push_str("employment = \"contractor\"\n");
        }
        if let Some(to) = &p.reports_to {
            let to = to.index(plan.people.len());
            if to != i {
                t.push_str(&format!("reports-to = \"{}\"\n", ids.people[to]));
            }
        }
        out.push(t);
    }

    for (i, s) in plan.services.iter().enumerate() {
        let mut t = format!("[services.{}]\nname = \"Service {i}\"\n", ids.services[i]);
        if let Some(o) = &s.owner {
            t.push_str(&format!("owner = \"{}\"\n", person(o)));
        }
        if let Some(r) = s.rights {
            t.push_str(&format!(
                "decision-rights = {}\n",
                quoted(mask(RIGHTS, u32::from(r)))
            ));
        }
        if let Some(n) = s.needs {
            let needs: Vec<String> = (0..n).map(|k| format!("Need {k} of service {i}")).collect();
            t.push_str(&format!("user-needs = {}\n", quoted(needs)));
        }
        if let Some(b) = s.internal {
            t.push_str(&format!("internal-systems = {b}\n"));
        }
        if let Some(f) = &s.funding {
            t.push_str(&format!("funding = \"{}\"\n", pick(FUNDING, f)));
        }
        if let Some(p) = &s.procurement {
            t.push_str(&format!("procurement = \"{}\"\n", pick(PROCUREMENT, p)));
        }
        if let Some(m) = &s.managed_by
            && !ids.suppliers.is_empty()
        {
            t.push_str(&format!(
                "managed-by = \"{}\"\n",
                ids.suppliers[m.index(ids.suppliers.len())]
            ));
        }
        out.push(t);
    }

    for (i, tp) in plan.teams.iter().enumerate() {
        let mode = if tp.innovation {
            "innovation"
        } else {
            "stability"
        };
        let mut t = format!(
            "[teams.{}]\nname = \"Team {i}\"\nmode = \"{mode}\"\n",
            ids.teams[i]
        );
        if let Some(p) = &tp.phase {
            t.push_str(&format!("phase = \"{}\"\n", pick(PHASES, p)));
        }
        let services = mask(&ids.services, u32::from(tp.services));
        if !services.is_empty() {
            t.push_str(&format!("services = {}\n", quoted(services)));
        }
        let mut members = mask(&ids.people, u32::from(tp.members));
        if members.is_empty() {
            members.push(ids.people[i % ids.people.len()].clone());
        }
        t.push_str(&format!("members = {}\n", quoted(&members)));
        if let Some(l) = &tp.lead {
            t.push_str(&format!("lead = \"{}\"\n", person(l)));
        }
        if let Some(m) = &tp.managed_by
            && !ids.suppliers.is_empty()
        {
            t.push_str(&format!(
                "managed-by = \"{}\"\n",
                ids.suppliers[m.index(ids.suppliers.len())]
            ));
        }
        out.push(t);
    }

    for (i, b) in plan.bodies.iter().enumerate() {
        let mut t = format!(
            "[governance.{}]\nname = \"Board {i}\"\narea = \"{}\"\ndecision = \"{}\"\n",
            ids.bodies[i],
            pick(AREAS, &b.area),
            pick(DECISIONS, &b.decision)
        );
        if let Some(p) = &b.parent {
            let p = p.index(plan.bodies.len());
            if p != i {
                t.push_str(&format!("parent = \"{}\"\n", ids.bodies[p]));
            }
        }
        if let Some(o) = &b.owner {
            t.push_str(&format!("owner = \"{}\"\n", person(o)));
        }
        if let Some(m) = b.members {
            let members = mask(&ids.people, u32::from(m));
            if !members.is_empty() {
                t.push_str(&format!("members = {}\n", quoted(members)));
            }
        }
        let remit = mask(REMIT, u32::from(b.remit));
        if !remit.is_empty() {
            t.push_str(&format!("remit = {}\n", quoted(remit)));
        }
        out.push(t);
    }
    out
}

/// One file: the blocks, a blank line between each.
fn one_file(blocks: &[String]) -> String {
    blocks.join("\n")
}

/// The same text cut into contiguous files at `cuts` (block indices), each
/// file padded with blank lines so that every block stays on its lines.
fn split(blocks: &[String], cuts: &[usize]) -> Vec<String> {
    let mut bounds: Vec<usize> = cuts.iter().map(|&c| c.min(blocks.len())).collect();
    bounds.push(0);
    bounds.push(blocks.len());
    bounds.sort_unstable();
    bounds.dedup();
    let mut files = Vec::new();
    let mut line = 0;
    for w in bounds.windows(2) {
        let text = blocks[w[0]..w[1]].join("\n");
        files.push(format!("{}{text}", "\n".repeat(line)));
        // The next block starts after this text and one separating line.
        line += text.lines().count() + 1;
    }
    files
}

// ---------------------------------------------------------------------------
// Linting

thread_local! {
    static STATE: (Workspace, Setup) = {
        let ws = Workspace::full("properties");
        let setup = ws.setup().unwrap_or_else(|_| panic!("the harness config is valid"));
        (ws, setup)
    };
}

/// Lints `files` with every rule; returns the outcome and every rendered
/// format. Panics (failing the property) on any invariant of the harness.
fn lint(files: &[String]) -> (Outcome, Vec<harness::Rendered>) {
    STATE.with(|(ws, setup)| {
        let bytes: Vec<&[u8]> = files.iter().map(|f| f.as_bytes()).collect();
        ws.set_org(&bytes);
        harness::check_and_render(setup, ws, true).expect("no config error")
    })
}

/// A finding as compared across runs: where, what, and its related spans.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    path: String,
    line: u32,
    column: u32,
    end: Option<(u32, u32)>,
    code: String,
    severity: String,
    message: String,
    help: Option<String>,
    label: Option<String>,
    related: Vec<(String, u32, u32, Option<String>)>,
    suppressed: bool,
}

fn findings(outcome: &Outcome) -> Vec<Finding> {
    let sources = &outcome.sources;
    let at = |span: orglint::source::Span| {
        let f = sources.get(span.file).expect("a span's file");
        let start = f.line_col(span.start);
        let end = f.line_col(span.end);
        (
            f.display.clone(),
            start.line,
            start.column,
            (end.line, end.column),
        )
    };
    outcome
        .diagnostics
        .iter()
        .map(|d: &Diagnostic| {
            let (path, line, column, end) = match d.span() {
                Some(s) => {
                    let (p, l, c, e) = at(s);
                    (p, l, c, Some(e))
                }
                None => (String::new(), 0, 0, None),
            };
            Finding {
                path,
                line,
                column,
                end,
                code: d.code.to_string(),
                severity: d.severity.as_str().to_owned(),
                message: d.message.clone(),
                help: d.help.clone(),
                label: d.primary.as_ref().and_then(|l| l.text.clone()),
                related: d
                    .related
                    .iter()
                    .map(|l| {
                        let (p, line, col, _) = at(l.span);
                        (p, line, col, l.text.clone())
                    })
                    .collect(),
                suppressed: d.suppressed.is_some(),
            }
        })
        .collect()
}

fn assert_valid(outcome: &Outcome, files: &[String]) {
    let bad: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| matches!(&*d.code, "ORG001" | "ORG002" | "ORG004" | "ORG008"))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(
        bad.is_empty(),
        "the generator wrote an invalid organisation: {bad:#?}\n{}",
        files.join("\n#----\n")
    );
}

fn config() -> ProptestConfig {
    // PROPTEST_CASES=2000 for a longer hunt.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    ProptestConfig {
        cases,
        max_shrink_iters: 256,
        // No files of regressions next to the tests (their seeds are printed).
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(config())]

    /// No panic; valid input gives no integrity finding; every format is
    /// byte-identical when run again; findings are in report order (the
    /// harness asserts it).
    #[test]
    fn deterministic_and_sorted(
        plan in org_plan(),
        seed in 0u32..1000,
        cuts in prop::collection::vec(0usize..40, 0..4),
    ) {
        let ids = Ids::new(&plan, seed);
        // One file, or several (loaded in parallel).
        let files = split(&blocks(&plan, &ids), &cuts);
        let (first, rendered) = lint(&files);
        assert_valid(&first, &files);
        let (_, again) = lint(&files);
        for (a, b) in rendered.iter().zip(&again) {
            prop_assert!(
                a.bytes == b.bytes,
                "{} differs between two runs:\n{}\n----\n{}",
                a.format,
                String::from_utf8_lossy(&a.bytes),
                String::from_utf8_lossy(&b.bytes)
            );
        }
    }

    /// A suppression comment added at the end of any line hides findings or
    /// is itself reported (META), never makes another finding appear; every
    /// other finding stays where it was.
    #[test]
    fn a_suppression_adds_only_meta_findings(
        plan in org_plan(),
        seed in 0u32..1000,
        line in any::<Index>(),
        code in any::<Index>(),
        reason in any::<bool>(),
        on_finding in any::<bool>(),
        until in proptest::option::of(prop_oneof![Just("2020-01-01"), Just("2099-12-31")]),
    ) {
        let ids = Ids::new(&plan, seed);
        let text = one_file(&blocks(&plan, &ids));
        let (before, _) = lint(std::slice::from_ref(&text));
        let before = findings(&before);

        // Half the time, on the line of a finding and naming its code (so
        // that it hides something); else any code that fired or any rule, on
        // any line.
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let placed: Vec<&Finding> = before.iter().filter(|f| f.line > 0).collect();
        let mut target: Option<Finding> = None;
        let (code, l) = if on_finding && !placed.is_empty() {
            let f = placed[code.index(placed.len())];
            target = Some(f.clone());
            (f.code.clone(), f.line as usize - 1)
        } else {
            let mut codes: Vec<String> = before.iter().map(|f| f.code.clone()).collect();
            codes.extend(
                ["OWN001", "TEAM001", "ORG007", "GOV003", "FZZ003", "team-without-service"]
                    .map(str::to_owned),
            );
            (codes[code.index(codes.len())].clone(), line.index(lines.len()))
        };
        let mut comment = format!("  # orglint: allow({code})");
        if let Some(date) = until {
            comment.push_str(&format!(" until {date}"));
        }
        if reason {
            comment.push_str(" -- a property test says so");
        }
        lines[l].push_str(&comment);
        let edited = lines.join("\n") + "\n";
        let (after, _) = lint(std::slice::from_ref(&edited));
        let after = findings(&after);

        let strip = |fs: &[Finding], only_live: bool| -> Vec<Finding> {
            let mut v: Vec<Finding> = fs
                .iter()
                .filter(|f| !f.code.starts_with("META"))
                .filter(|f| !only_live || !f.suppressed)
                .map(|f| Finding { suppressed: false, ..f.clone() })
                .collect();
            v.sort();
            v
        };
        // The same findings, suppressed or not.
        prop_assert_eq!(
            strip(&before, false),
            strip(&after, false),
            "line {}: {}",
            l + 1,
            comment
        );
        // A finding on the line of a live suppression of its code is hidden.
        if let Some(t) = &target
            && until != Some("2020-01-01")
        {
            let now = after
                .iter()
                .find(|f| Finding { suppressed: false, ..(*f).clone() } == Finding { suppressed: false, ..t.clone() });
            prop_assert!(
                now.is_some_and(|f| f.suppressed),
                "`{}` on line {} does not hide {:?}",
                comment,
                l + 1,
                t
            );
        }
        if std::env::var_os("PROPERTIES_VERBOSE").is_some() {
            let hidden = after.iter().filter(|f| f.suppressed).count();
            let metas = after.iter().filter(|f| f.code.starts_with("META")).count();
            eprintln!("{comment} on line {}: {hidden} hidden, {metas} META", l + 1);
        }
        // Those still shown are among those shown before.
        let shown_before = strip(&before, true);
        for f in strip(&after, true) {
            prop_assert!(shown_before.contains(&f), "new finding after `{}` on line {}: {:?}", comment, l + 1, f);
        }
    }

    /// Renaming every id (to ids of the same length) changes nothing in the
    /// findings but the ids they name.
    #[test]
    fn renaming_changes_only_names(plan in org_plan(), a in 0u32..1000, b in 0u32..1000) {
        prop_assume!(a != b);
        let normalised = |seed: u32| {
            let ids = Ids::new(&plan, seed);
            let files = vec![one_file(&blocks(&plan, &ids))];
            let (outcome, _) = lint(&files);
            assert_valid(&outcome, &files);
            let swap = |s: &str| {
                let mut s = s.to_owned();
                for (id, placeholder) in ids.placeholders() {
                    s = s.replace(&id, &placeholder);
                }
                s
            };
            let mut v: Vec<Finding> = findings(&outcome)
                .into_iter()
                .map(|f| Finding {
                    message: swap(&f.message),
                    help: f.help.as_deref().map(swap),
                    label: f.label.as_deref().map(swap),
                    related: f
                        .related
                        .into_iter()
                        .map(|(p, l, c, t)| (p, l, c, t.as_deref().map(swap)))
                        .collect(),
                    ..f
                })
                .collect();
            v.sort();
            v
        };
        prop_assert_eq!(normalised(a), normalised(b));
    }

    /// Cutting the file into several (in order, each block on its lines)
    /// changes nothing in the findings but their paths.
    #[test]
    fn splitting_changes_only_paths(
        plan in org_plan(),
        seed in 0u32..1000,
        cuts in prop::collection::vec(0usize..40, 1..4),
    ) {
        let ids = Ids::new(&plan, seed);
        let bl = blocks(&plan, &ids);
        let whole = vec![one_file(&bl)];
        let parts = split(&bl, &cuts);
        let without_paths = |files: &[String]| {
            let (outcome, _) = lint(files);
            assert_valid(&outcome, files);
            findings(&outcome)
                .into_iter()
                .map(|f| Finding {
                    path: String::new(),
                    related: f.related.into_iter().map(|(_, l, c, t)| (String::new(), l, c, t)).collect(),
                    ..f
                })
                .collect::<Vec<_>>()
        };
        let one = without_paths(&whole);
        let several = without_paths(&parts);
        // In the same order, too: the files are cut in path order.
        prop_assert_eq!(one, several, "cut into {} files at {:?}", parts.len(), cuts);
    }
}

// ---------------------------------------------------------------------------
// The generator itself

/// The split keeps every block on its lines (so the property above compares
/// like with like).
#[test]
fn split_keeps_lines() {
    let blocks = vec![
        "[a]\nx = 1\n".to_owned(),
        "[b]\ny = 2\n".to_owned(),
        "[c]\n".to_owned(),
    ];
    let whole = one_file(&blocks);
    let parts = split(&blocks, &[1, 2]);
    assert_eq!(parts.len(), 3);
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l == needle);
    for (needle, part) in [("[a]", 0), ("[b]", 1), ("[c]", 2)] {
        assert_eq!(
            line_of(&whole, needle),
            line_of(&parts[part], needle),
            "{needle}"
        );
    }
}

/// Counts of what the generator covers over many plans, so that a change to
/// it that stops reaching most rules is noticed.
#[test]
fn generated_organisations_reach_most_rules() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (org_plan(), 0u32..1000);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..24 {
        let (plan, seed) = strategy.new_tree(&mut runner).expect("a plan").current();
        let ids = Ids::new(&plan, seed);
        let files = vec![one_file(&blocks(&plan, &ids))];
        let (outcome, _) = lint(&files);
        assert_valid(&outcome, &files);
        for d in &outcome.diagnostics {
            *seen.entry(d.code.to_string()).or_default() += 1;
        }
    }
    eprintln!("rules reached: {seen:?}");
    assert!(
        seen.len() >= 15,
        "the generated organisations reach only {} rules: {seen:?}",
        seen.len()
    );
}
