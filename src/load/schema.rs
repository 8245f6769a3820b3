//! The org file format as data: every table, key, type and enumeration of
//! `org-format.md`. The loader validates against it; `orglint schema` (and
//! the docs) can describe it from the same source.

use crate::diagnostic::EntityKind;

/// The type of a value in an org file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Free text.
    Str,
    Bool,
    /// A string from a closed set.
    Enum(&'static [&'static str]),
    /// An id of another entity (resolved later).
    Ref,
    /// A list of ids; `non_empty` when `[]` is an error.
    RefList {
        non_empty: bool,
    },
    /// A list of free strings.
    StrList,
    /// A list of strings from a closed set.
    EnumList(&'static [&'static str]),
    /// A list of ids being defined (slugs).
    SlugList,
}

impl Ty {
    /// How the type is named in messages: "expected {}".
    pub fn describe(self) -> &'static str {
        match self {
            Ty::Str | Ty::Enum(_) | Ty::Ref => "a string",
            Ty::Bool => "a boolean",
            Ty::RefList { .. } | Ty::StrList | Ty::EnumList(_) | Ty::SlugList => {
                "an array of strings"
            }
        }
    }

    pub fn is_list(self) -> bool {
        matches!(
            self,
            Ty::RefList { .. } | Ty::StrList | Ty::EnumList(_) | Ty::SlugList
        )
    }
}

/// One key of a table.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub key: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub doc: &'static str,
}

const fn field(key: &'static str, ty: Ty, required: bool, doc: &'static str) -> FieldSpec {
    FieldSpec {
        key,
        ty,
        required,
        doc,
    }
}

pub const OPERATING_MODELS: &[&str] = &["process", "enabling", "product"];
pub const EMPLOYMENTS: &[&str] = &["civil-servant", "contractor", "supplier"];
pub const MODES: &[&str] = &["innovation", "stability"];
pub const PHASES: &[&str] = &["discovery", "alpha", "beta", "live"];
pub const DECISION_RIGHTS: &[&str] = &["product", "business", "technical"];
pub const FUNDINGS: &[&str] = &["continuous", "project"];
pub const PROCUREMENTS: &[&str] = &["user-needs", "best-value"];
pub const AREAS: &[&str] = &[
    "executive",
    "mission-it",
    "digital-public-services",
    "infrastructure",
    "shared-services",
];
pub const DECISIONS: &[&str] = &["accountable-owner", "consensus", "majority", "advisory"];
pub const SUPPLIER_KINDS: &[&str] = &[
    "delivery-partner",
    "it-project-management",
    "commodity",
    "specialist",
];

pub const ORGANISATION: &[FieldSpec] = &[
    field("name", Ty::Str, true, "The organisation's name."),
    field(
        "operating-model",
        Ty::Enum(OPERATING_MODELS),
        false,
        "The DDaT operating model in use: process/project (IT-centric), enabling (service-aligned) or product/value (outcome-driven).",
    ),
];

pub const PERSON: &[FieldSpec] = &[
    field("name", Ty::Str, true, "The person's name."),
    field(
        "role",
        Ty::Ref,
        true,
        "A role id of the DDaT capability framework (or one of its 2017 aliases), or of a local [roles.<id>] table.",
    ),
    field(
        "level",
        Ty::Ref,
        false,
        "A level id of the person's role, or its leading seniority word alone (`lead`, `senior`, ...).",
    ),
    field(
        "employment",
        Ty::Enum(EMPLOYMENTS),
        false,
        "How the person is employed; default \"civil-servant\".",
    ),
    field(
        "supplier",
        Ty::Ref,
        false,
        "The supplier id, required exactly when employment = \"supplier\".",
    ),
    field(
        "reports-to",
        Ty::Ref,
        false,
        "The person id of the line manager; absent at the top.",
    ),
];

pub const TEAM: &[FieldSpec] = &[
    field("name", Ty::Str, true, "The team's name."),
    field(
        "mode",
        Ty::Enum(MODES),
        true,
        "innovation: the team changes services (agile, product); stability: it keeps them running.",
    ),
    field(
        "phase",
        Ty::Enum(PHASES),
        false,
        "The service phase an innovation team works in.",
    ),
    field(
        "services",
        Ty::RefList { non_empty: false },
        false,
        "Service ids the team builds or runs.",
    ),
    field(
        "members",
        Ty::RefList { non_empty: true },
        true,
        "Person ids of the team's members (non-empty).",
    ),
    field(
        "lead",
        Ty::Ref,
        false,
        "The person id of the team lead; must be a member.",
    ),
    field(
        "managed-by",
        Ty::Ref,
        false,
        "A supplier id when the team is run by a supplier, not the department.",
    ),
];

pub const SERVICE: &[FieldSpec] = &[
    field("name", Ty::Str, true, "The service's name."),
    field(
        "owner",
        Ty::Ref,
        false,
        "The person id of the service owner, accountable for the whole service.",
    ),
    field(
        "decision-rights",
        Ty::EnumList(DECISION_RIGHTS),
        false,
        "Decisions the owner may take without escalation.",
    ),
    field(
        "user-needs",
        Ty::StrList,
        false,
        "The user needs the service meets.",
    ),
    field(
        "internal-systems",
        Ty::Bool,
        false,
        "Whether the service relies on the department's internal technology systems; default false.",
    ),
    field(
        "funding",
        Ty::Enum(FUNDINGS),
        false,
        "How the service is funded.",
    ),
    field(
        "procurement",
        Ty::Enum(PROCUREMENTS),
        false,
        "How its technology was or is chosen.",
    ),
    field(
        "managed-by",
        Ty::Ref,
        false,
        "A supplier id when the service is run by a supplier, not the department.",
    ),
];

pub const BODY: &[FieldSpec] = &[
    field("name", Ty::Str, true, "The body's name."),
    field(
        "parent",
        Ty::Ref,
        false,
        "The id of the governance body this one reports to; absent at layer 1.",
    ),
    field("area", Ty::Enum(AREAS), true, "The area the body governs."),
    field(
        "decision",
        Ty::Enum(DECISIONS),
        true,
        "How the body decides.",
    ),
    field(
        "owner",
        Ty::Ref,
        false,
        "The person id accountable for the body's decisions.",
    ),
    field(
        "members",
        Ty::RefList { non_empty: false },
        false,
        "Person ids of the members.",
    ),
    field(
        "remit",
        Ty::StrList,
        false,
        "Free words describing the remit; \"spend\" and \"budget\" are read by rules.",
    ),
];

pub const SUPPLIER: &[FieldSpec] = &[
    field("name", Ty::Str, true, "The supplier's name."),
    field(
        "kind",
        Ty::Enum(SUPPLIER_KINDS),
        true,
        "What the supplier provides.",
    ),
];

pub const ROLE: &[FieldSpec] = &[
    field("name", Ty::Str, true, "The role's name."),
    field("family", Ty::Str, true, "The role family."),
    field(
        "levels",
        Ty::SlugList,
        false,
        "Level ids, in ascending seniority.",
    ),
    field(
        "aliases",
        Ty::SlugList,
        false,
        "Other ids that name this role.",
    ),
];

/// The keys of an entity kind's table, in the format's order; `None` for
/// posts and accountability areas, which are not tables of keys (each maps a
/// name to people).
pub fn fields(kind: EntityKind) -> Option<&'static [FieldSpec]> {
    match kind {
        EntityKind::Organisation => Some(ORGANISATION),
        EntityKind::Person => Some(PERSON),
        EntityKind::Team => Some(TEAM),
        EntityKind::Service => Some(SERVICE),
        EntityKind::Body => Some(BODY),
        EntityKind::Supplier => Some(SUPPLIER),
        EntityKind::Role => Some(ROLE),
        EntityKind::Post | EntityKind::Accountability => None,
    }
}

/// The top-level tables of an org file.
pub const TOP_LEVEL: &[&str] = &[
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

/// Posts the built-in rules read.
pub const KNOWN_POSTS: &[&str] = &[
    "professional-lead",
    "digital-services-director",
    "chief-technology-officer",
    "chief-data-officer",
];

/// Accountability areas the built-in rules read.
pub const KNOWN_AREAS: &[&str] = &[
    "data",
    "technology",
    "digital-services",
    "spend-control",
    "budget",
    "common-platforms",
];

/// Whether `s` is a kebab-case slug: `^[a-z0-9]+(-[a-z0-9]+)*$`.
///
/// One pass over the bytes: this runs for every id and reference, and
/// `str::contains("--")` set up a substring searcher each time (3.8% of all
/// instructions at 17,000 people).
pub fn is_slug(s: &str) -> bool {
    let mut previous = b'-';
    for b in s.bytes() {
        let ok = match b {
            b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' => previous != b'-',
            _ => false,
        };
        if !ok {
            return false;
        }
        previous = b;
    }
    previous != b'-'
}

/// A best-effort slug for a help message: `Bad Id` -> `bad-id`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::is_slug;

    #[test]
    fn slugs() {
        for ok in ["a", "9", "a-b", "a-b-c", "lead-developer", "x1-2y"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in [
            "", "-", "--", "-a", "a-", "a--b", "a-b--c", "A", "a_b", "a b", "é", "a\n",
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
