//! The organisation generator, shared by `examples/genorg.rs` (the command),
//! `examples/bench.rs` (the benchmark suite) and `tests/genorg.rs`.
//!
//! A port of `genorg.py`: the same structure, file layout (`org/*.toml`) and
//! planted violations. Python's `random` is not reproduced; a small
//! deterministic PRNG (splitmix64) makes the output a function of the seed.
//! The planted counts are exactly what orglint reports: each planted
//! violation breaks one rule once, and nothing else is wrong.

// Each of the three targets that include this file uses part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io;
use std::path::Path;

const DESIGN: &[&str] = &[
    "interaction-designer",
    "service-designer",
    "graphic-designer",
];
const OPS: &[&str] = &[
    "infrastructure-operations-engineer",
    "application-operations-engineer",
    "incident-manager",
    "problem-manager",
    "service-desk-manager",
    "network-architect",
    "infrastructure-engineer",
    "end-user-computing-engineer",
    "it-service-manager",
];
/// `ROLES_DEV + OTHER`: the roles of a team's extra members.
const EXTRA: &[&str] = &[
    "software-developer",
    "devops-engineer",
    "data-engineer",
    "data-scientist",
    "performance-analyst",
    "business-analyst",
    "quality-assurance-test-analyst",
    "test-engineer",
    "technical-writer",
    "security-architect",
    "data-architect",
];
const FIRST: &[&str] = &[
    "amara", "ben", "cara", "dev", "eli", "fatima", "george", "hana", "isaac", "jun", "kofi",
    "lena", "mo", "nadia", "omar", "priya", "raj", "sara", "tom", "uma", "victor", "wen", "xavier",
    "yusuf", "zoe",
];
const LAST: &[&str] = &[
    "okafor", "hughes", "shah", "reid", "patel", "kim", "lee", "ward", "mensah", "farouk", "singh",
    "brown", "jones", "evans", "khan", "li", "novak", "silva", "garcia", "obi",
];
const PHASES: &[&str] = &["alpha", "beta", "live"];
const AREAS: &[&str] = &[
    "digital-public-services",
    "mission-it",
    "infrastructure",
    "shared-services",
];

/// What to generate (the command-line flags of `genorg.py`).
#[derive(Clone, Debug)]
pub struct Options {
    pub people: usize,
    pub directorates: usize,
    pub seed: u64,
    /// Share of teams and services given a planted violation.
    pub violations: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            people: 17_000,
            directorates: 40,
            seed: 1,
            violations: 0.01,
        }
    }
}

/// Planted violations per code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Planted {
    pub team001: usize,
    pub own001: usize,
    pub need001: usize,
    pub org001: usize,
}

impl Planted {
    /// `(code, count)` for every planted code, in [`PLANTED_CODES`] order.
    pub fn by_code(&self) -> [(&'static str, usize); 4] {
        [
            ("TEAM001", self.team001),
            ("OWN001", self.own001),
            ("NEED001", self.need001),
            ("ORG001", self.org001),
        ]
    }
}

/// A generated organisation: its files (name under `org/`, text) in
/// generation order, and its counts.
#[derive(Clone, Debug, Default)]
pub struct Generated {
    pub files: Vec<(String, String)>,
    pub people: usize,
    pub teams: usize,
    pub services: usize,
    pub planted: Planted,
}

impl Generated {
    /// The counts as one line of JSON, as `genorg.py` prints them.
    pub fn summary_json(&self) -> String {
        let planted: Vec<String> = self
            .planted
            .by_code()
            .iter()
            .map(|(c, n)| format!("\"{c}\": {n}"))
            .collect();
        format!(
            "{{\"people\": {}, \"teams\": {}, \"services\": {}, \"files\": {}, \"planted\": {{{}}}}}",
            self.people,
            self.teams,
            self.services,
            self.files.len(),
            planted.join(", ")
        )
    }

    /// Total size of the files in bytes.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|(_, text)| text.len()).sum()
    }

    /// Writes the files under `out/org/` (created if needed).
    pub fn write(&self, out: &Path) -> io::Result<()> {
        let dir = out.join("org");
        std::fs::create_dir_all(&dir)?;
        for (name, text) in &self.files {
            std::fs::write(dir.join(name), text)?;
        }
        Ok(())
    }
}

/// splitmix64: small, fast, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in `[0, 1)` (Python's `random()`).
    fn random(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An integer below `n` (`n > 0`), without modulo bias worth noticing
    /// (Lemire's multiply-shift).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// An integer in `[lo, hi]` (Python's `randint`).
    fn randint(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn choice<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// `json.dumps(s)`: a double-quoted string, also a valid TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Python's `str.title()` on ASCII: upper case after a non-letter.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut after_letter = false;
    for c in s.chars() {
        if c.is_ascii_alphabetic() {
            out.push(if after_letter {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            });
            after_letter = true;
        } else {
            out.push(c);
            after_letter = false;
        }
    }
    out
}

/// `"[a, b]"` with each element quoted.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| q(s.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

struct Body {
    id: String,
    name: String,
    parent: Option<&'static str>,
    area: String,
    owner: String,
    members: Vec<String>,
    remit: Option<Vec<&'static str>>,
}

struct Gen {
    rng: Rng,
    counter: usize,
}

impl Gen {
    /// Adds a person to `out` and returns their id.
    fn person(
        &mut self,
        out: &mut String,
        role: &str,
        level: Option<&str>,
        reports_to: Option<&str>,
    ) -> String {
        self.counter += 1;
        let first = self.rng.choice(FIRST);
        let last = self.rng.choice(LAST);
        let pid = format!("{first}-{last}-{}", self.counter);
        let name = title(&pid.replace('-', " "));
        let _ = writeln!(out, "[people.{pid}]");
        let _ = writeln!(out, "name = {}", q(&name));
        let _ = writeln!(out, "role = {}", q(role));
        if let Some(level) = level {
            let _ = writeln!(out, "level = {}", q(level));
        }
        if let Some(to) = reports_to {
            let _ = writeln!(out, "reports-to = {}", q(to));
        }
        out.push('\n');
        pid
    }
}

/// Generates an organisation (deterministic for `options.seed`).
pub fn generate(options: &Options) -> Generated {
    let v = options.violations;
    let mut g = Gen {
        rng: Rng(options.seed),
        counter: 0,
    };
    let mut result = Generated::default();

    let mut top = String::new();
    top.push_str("[organisation]\n");
    let _ = writeln!(top, "name = {}", q("Department for Generated Services"));
    top.push_str("operating-model = \"product\"\n\n");
    top.push_str(
        "[suppliers.northgate-digital]\nname = \"Northgate Digital\"\nkind = \"delivery-partner\"\n\n",
    );
    let cdio = g.person(
        &mut top,
        "chief-digital-and-information-officer",
        None,
        None,
    );
    let cto = g.person(&mut top, "chief-technology-officer", None, Some(&cdio));
    let cdo = g.person(&mut top, "chief-data-officer", None, Some(&cdio));
    let posts = [
        ("professional-lead", &cdio),
        ("digital-services-director", &cdio),
        ("chief-technology-officer", &cto),
        ("chief-data-officer", &cdo),
    ];
    top.push_str("[posts]\n");
    for (k, v) in posts {
        let _ = writeln!(top, "{k} = {}", q(v));
    }
    top.push('\n');
    let accountabilities = [
        ("data", &cdio),
        ("technology", &cdio),
        ("digital-services", &cdio),
        ("spend-control", &cdio),
        ("budget", &cdio),
        ("common-platforms", &cto),
    ];
    top.push_str("[accountabilities]\n");
    for (k, v) in accountabilities {
        let _ = writeln!(top, "{k} = {}", q(v));
    }
    top.push('\n');

    let mut bodies = vec![Body {
        id: "executive-board".to_owned(),
        name: "Executive board".to_owned(),
        parent: None,
        area: "executive".to_owned(),
        owner: cdio.clone(),
        members: vec![cdio.clone(), cto.clone(), cdo.clone()],
        remit: Some(vec!["spend", "budget"]),
    }];
    for area in AREAS {
        bodies.push(Body {
            id: format!("{area}-board"),
            name: format!("{} board", title(&area.replace('-', " "))),
            parent: Some("executive-board"),
            area: (*area).to_owned(),
            owner: if *area == "infrastructure" {
                cto.clone()
            } else {
                cdio.clone()
            },
            members: vec![cdio.clone(), cto.clone()],
            remit: None,
        });
    }
    // The board the directorate heads join.
    let dps = 1;

    let people = options.people as i64;
    let per_dir = ((people - 3) / options.directorates.max(1) as i64).max(1);
    let mut made: i64 = 3;
    let mut directorates = Vec::with_capacity(options.directorates);
    for d in 0..options.directorates {
        let fname = format!("directorate-{d:03}.toml");
        let mut out = String::new();
        let head = g.person(&mut out, "service-owner", None, Some(&cdio));
        made += 1;
        let mut budget = per_dir.min(people - made);
        let mut teams_here = 0;
        while budget >= 9 {
            let tid = format!("team-{d:03}-{teams_here:03}");
            teams_here += 1;
            let suffix = &tid[5..];
            let name;
            let mode;
            let mut phase = None;
            let mut services = None;
            let mut members: Vec<String>;
            let lead;
            if g.rng.random() < 0.7 {
                let sid = format!("service-{suffix}");
                let design = g.rng.choice(DESIGN);
                let mut core: Vec<&str> = vec![
                    "product-manager",
                    "delivery-manager",
                    "user-researcher",
                    design,
                    "content-designer",
                    "software-developer",
                    "software-developer",
                ];
                let mut levels: Vec<Option<&str>> = vec![None; core.len()];
                levels[5] = Some("lead");
                if g.rng.random() < v {
                    core.remove(2);
                    levels.remove(2);
                    result.planted.team001 += 1;
                }
                let extra = g.rng.randint(0, 4);
                for _ in 0..extra {
                    core.push(g.rng.choice(EXTRA));
                    levels.push(None);
                }
                members = Vec::with_capacity(core.len() + 1);
                for (role, level) in core.iter().zip(&levels) {
                    members.push(g.person(&mut out, role, *level, Some(&head)));
                }
                made += core.len() as i64;
                budget -= core.len() as i64;

                let mut owner = Some(members[0].clone());
                let mut needs = vec![format!(
                    "As a citizen I need to complete task {suffix} online so that I do not have to call"
                )];
                if g.rng.random() < v {
                    owner = None;
                    result.planted.own001 += 1;
                } else if g.rng.random() < v {
                    needs.clear();
                    result.planted.need001 += 1;
                }
                result.services += 1;
                let _ = writeln!(out, "[services.{sid}]");
                let _ = writeln!(out, "name = {}", q(&format!("Service {suffix}")));
                if let Some(owner) = &owner {
                    let _ = writeln!(out, "owner = {}", q(owner));
                }
                out.push_str("decision-rights = [\"product\", \"business\", \"technical\"]\n");
                let _ = writeln!(out, "user-needs = {}", list(&needs));
                out.push_str(
                    "internal-systems = true\nfunding = \"continuous\"\nprocurement = \"user-needs\"\n\n",
                );

                name = format!("Team {suffix}");
                mode = "innovation";
                phase = Some(g.rng.choice(PHASES));
                services = Some(sid);
                lead = members[1].clone();
                if g.rng.random() < v
                    && let Some(last) = members.last()
                {
                    // An unknown member: the last one's id with an `x`.
                    let ghost = format!("{last}x");
                    members.push(ghost);
                    result.planted.org001 += 1;
                }
            } else {
                let n = g.rng.randint(6, 10);
                members = (0..n)
                    .map(|_| {
                        let role = g.rng.choice(OPS);
                        g.person(&mut out, role, None, Some(&head))
                    })
                    .collect();
                made += n as i64;
                budget -= n as i64;
                name = format!("Operations {suffix}");
                mode = "stability";
                lead = members[0].clone();
            }
            result.teams += 1;
            let _ = writeln!(out, "[teams.{tid}]");
            let _ = writeln!(out, "name = {}", q(&name));
            let _ = writeln!(out, "mode = {}", q(mode));
            if let Some(phase) = phase {
                let _ = writeln!(out, "phase = {}", q(phase));
            }
            if let Some(sid) = services {
                let _ = writeln!(out, "services = {}", list(&[sid]));
            }
            let _ = writeln!(out, "members = {}", list(&members));
            let _ = writeln!(out, "lead = {}", q(&lead));
            out.push('\n');
        }
        // The directorate head sits on the digital public services board.
        bodies[dps].members.push(head);
        directorates.push((fname, out));
    }

    let mut governance = String::new();
    for b in &bodies {
        let _ = writeln!(governance, "[governance.{}]", b.id);
        let _ = writeln!(governance, "name = {}", q(&b.name));
        if let Some(parent) = b.parent {
            let _ = writeln!(governance, "parent = {}", q(parent));
        }
        let _ = writeln!(governance, "area = {}", q(&b.area));
        let _ = writeln!(governance, "decision = {}", q("accountable-owner"));
        let _ = writeln!(governance, "owner = {}", q(&b.owner));
        let _ = writeln!(governance, "members = {}", list(&b.members));
        if let Some(remit) = &b.remit {
            let _ = writeln!(governance, "remit = {}", list(remit));
        }
        governance.push('\n');
    }

    result.people = g.counter;
    result.files.push(("organisation.toml".to_owned(), top));
    result
        .files
        .push(("governance.toml".to_owned(), governance));
    result.files.extend(directorates);
    result
}
