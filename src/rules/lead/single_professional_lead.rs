//! LEAD001 single-professional-lead: `accountabilities.data` and
//! `accountabilities.technology` must both be held by one person, and that
//! person must be `posts.professional-lead` when the post is assigned.

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Assignment, Value};
use crate::rules::Context;

/// The state of an assignment: absent, unknown (a list, an unresolved id or
/// an invalid value) or one known person.
fn holder(a: Option<&Assignment>) -> Value<usize> {
    a.map_or(Value::Absent, |a| a.holder.person())
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let data_a = model.accountability("data");
    let tech_a = model.accountability("technology");
    let lead_a = model.post("professional-lead");
    let (data, tech, lead) = (holder(data_a), holder(tech_a), holder(lead_a));
    let id = |p: usize| model.person_id(p);

    let mut failed: Vec<String> = Vec::new();
    // Clause 1: both assigned (an unknown holder is still assigned).
    if data.is_absent() {
        failed.push("`accountabilities.data` is unassigned".to_owned());
    }
    if tech.is_absent() {
        failed.push("`accountabilities.technology` is unassigned".to_owned());
    }
    // Clause 2: one person holds both (skipped unless both are known).
    if let (Value::Known(d), Value::Known(t)) = (data, tech)
        && d != t
    {
        failed.push(format!(
            "data is held by `{}` but technology by `{}`",
            id(d),
            id(t)
        ));
    }
    // Clause 3: the professional lead holds them (compared with each known
    // holder; skipped when the post is unassigned or unknown).
    if let Value::Known(l) = lead {
        let missing: Vec<&str> = [("data", data), ("technology", tech)]
            .into_iter()
            .filter(|(_, h)| matches!(h, Value::Known(p) if *p != l))
            .map(|(area, _)| area)
            .collect();
        if !missing.is_empty() {
            failed.push(format!(
                "the professional lead `{}` is not accountable for {}",
                id(l),
                missing.join(" or ")
            ));
        }
    }
    if failed.is_empty() {
        return;
    }

    let mut d = cx.diagnostic(format!(
        "data and technology need one accountable professional lead: {}",
        failed.join("; ")
    ));
    let anchor = match tech_a {
        Some(a) => Some(a.holder.span()),
        None => model
            .accountabilities_header
            .or_else(|| model.organisation.as_ref().map(|o| o.header)),
    };
    if let Some(span) = anchor {
        d = d.at(span);
    }
    if let Some(a) = data_a {
        d = d.related(a.holder.span(), "data accountability");
    }
    if let Some(a) = lead_a {
        d = d.related(a.holder.span(), "professional lead post");
    }
    out.push(d.entity(EntityKind::Accountability, "technology").help(
        "one leader accountable for both data and technology keeps insight and delivery together \
             (operating models: \"What makes an operating model effective?\")",
    ));
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, run};

    fn lint(files: &[(&str, &str)]) -> (Vec<String>, Vec<crate::diagnostic::Diagnostic>) {
        run(
            super::check,
            "LEAD001",
            "single-professional-lead",
            &[],
            files,
        )
    }

    const PEOPLE: &str = r#"
[people.amara]
name = "Amara"
role = "chief-digital-and-information-officer"

[people.ben]
name = "Ben"
role = "chief-technology-officer"
"#;

    #[test]
    fn different_holders_fire_once_at_technology() {
        let org = r#"[organisation]
name = "Example"

[posts]
professional-lead = "amara"

[accountabilities]
data = "amara"
technology = "ben"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:9:14 LEAD001 data and technology need one accountable professional lead: \
              data is held by `amara` but technology by `ben`; the professional lead `amara` \
              is not accountable for technology [related: org.toml:8:8, org.toml:5:21]"
            ]
        );
    }

    #[test]
    fn professional_lead_holding_neither() {
        let org = r#"[organisation]
name = "Example"

[accountabilities]
data = "ben"
technology = "ben"

[posts]
professional-lead = "amara"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:6:14 LEAD001 data and technology need one accountable professional lead: \
              the professional lead `amara` is not accountable for data or technology \
              [related: org.toml:5:8, org.toml:9:21]"
            ]
        );
    }

    #[test]
    fn one_holder_passes_with_or_without_the_post() {
        let org = r#"[organisation]
name = "Example"

[posts]
professional-lead = "amara"

[accountabilities]
data = "amara"
technology = "amara"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");

        let org = r#"[organisation]
name = "Example"

[accountabilities]
data = "ben"
technology = "ben"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn missing_technology_points_at_the_first_accountabilities_header() {
        let a = r#"[organisation]
name = "Example"
"#;
        let b = r#"[accountabilities]
data = "amara"
"#;
        let c = r#"[accountabilities]
budget = "amara"
"#;
        let (found, integrity) = lint(&[
            ("a.toml", a),
            ("b.toml", b),
            ("c.toml", c),
            ("people.toml", PEOPLE),
        ]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "b.toml:1:1 LEAD001 data and technology need one accountable professional lead: \
              `accountabilities.technology` is unassigned [related: b.toml:2:8]"
            ]
        );
    }

    #[test]
    fn no_accountabilities_points_at_organisation_then_nowhere() {
        let org = r#"
[organisation]
name = "Example"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:2:1 LEAD001 data and technology need one accountable professional lead: \
              `accountabilities.data` is unassigned; `accountabilities.technology` is unassigned"
            ]
        );

        let (found, integrity) = lint(&[("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "- LEAD001 data and technology need one accountable professional lead: \
              `accountabilities.data` is unassigned; `accountabilities.technology` is unassigned"
            ]
        );
    }

    #[test]
    fn unknown_holders_skip_the_clauses_that_depend_on_them() {
        // A shared (LEAD004) technology and an unresolved (ORG001) data: both
        // are assigned, but who holds them is unknown.
        let org = r#"[organisation]
name = "Example"

[posts]
professional-lead = "amara"

[accountabilities]
data = "amra"
technology = ["amara"]
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_eq!(integrity.len(), 1, "ORG001 for `amra`");
        assert!(found.is_empty(), "{found:?}");

        // An unknown professional lead: only the known clause is checked.
        let org = r#"[organisation]
name = "Example"

[posts]
professional-lead = "ghost"

[accountabilities]
data = "amara"
technology = "amara"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_eq!(integrity.len(), 1, "ORG001 for `ghost`");
        assert!(found.is_empty(), "{found:?}");

        // Unknown data, known technology not held by the lead: that clause fires.
        let org = r#"[organisation]
name = "Example"

[posts]
professional-lead = "amara"

[accountabilities]
data = ["amara", "ben"]
technology = "ben"
"#;
        let (found, integrity) = lint(&[("org.toml", org), ("people.toml", PEOPLE)]);
        assert_clean(&integrity);
        assert_eq!(
            found,
            [
                "org.toml:9:14 LEAD001 data and technology need one accountable professional lead: \
              the professional lead `amara` is not accountable for technology \
              [related: org.toml:8:8, org.toml:5:21]"
            ]
        );
    }
}
