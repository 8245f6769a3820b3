//! LEAD rules: a single professional lead, and the leadership posts around
//! them.

pub mod chief_technology_officer;
pub mod digital_services_director;
pub mod leads_report_to_professional_lead;
pub mod shared_accountability;
pub mod single_professional_lead;

use crate::diagnostic::{Diagnostic, EntityKind};
use crate::model::{Model, Value};
use crate::rules::Context;
use crate::source::Span;

/// Where a finding about an unassigned post points: the first `[posts]`
/// header (path order), else the `[organisation]` header, else nowhere
/// (decisions.md 14, 22).
fn post_anchor(model: &Model) -> Option<Span> {
    model
        .posts_header
        .or_else(|| model.organisation.as_ref().map(|o| o.header))
}

/// A required post held by one known person (LEAD002, LEAD003).
struct RequiredPost<'a> {
    /// The post's name in `[posts]`.
    name: &'a str,
    /// The help of every finding about the post.
    help: &'a str,
    /// The span of the post's value.
    span: Span,
    /// The person holding it.
    holder: usize,
}

impl RequiredPost<'_> {
    /// Finds post `name`, which the rule requires. Unassigned, it pushes the
    /// finding `unassigned` (at [`post_anchor`]) and gives `None`; held by
    /// an unknown value (a list, an unresolved id: LEAD004's, ORG001's,
    /// ORG008's) it gives `None` and the rule has nothing more to say.
    fn find<'a>(
        cx: &Context,
        out: &mut Vec<Diagnostic>,
        name: &'a str,
        unassigned: &str,
        help: &'a str,
    ) -> Option<RequiredPost<'a>> {
        let Some(post) = cx.model.post(name) else {
            let mut d = cx.diagnostic(unassigned);
            if let Some(span) = post_anchor(cx.model) {
                d = d.at(span);
            }
            out.push(d.entity(EntityKind::Post, name).help(help));
            return None;
        };
        let Value::Known(holder) = post.holder.person() else {
            return None;
        };
        Some(RequiredPost {
            name,
            help,
            span: post.holder.span(),
            holder,
        })
    }

    /// A finding about the holder: at the post's value.
    fn finding(&self, cx: &Context, message: String) -> Diagnostic {
        cx.diagnostic(message)
            .at(self.span)
            .entity(EntityKind::Post, self.name)
            .help(self.help)
    }

    /// How the holder falls short of being accountable for `area`: `None`
    /// when they hold it, or when its holder is unknown (a list, an
    /// unresolved id).
    fn not_accountable(&self, model: &Model, area: &str) -> Option<NotAccountable> {
        let Some(a) = model.accountability(area) else {
            return Some(NotAccountable::Unassigned);
        };
        match a.holder.person() {
            Value::Known(p) if p != self.holder => Some(NotAccountable::HeldBy {
                person: p,
                related: (a.holder.span(), format!("`{area}` is held here")),
            }),
            _ => None,
        }
    }
}

/// Why the holder of a post is not accountable for an area.
enum NotAccountable {
    /// Nobody holds the area.
    Unassigned,
    /// `person` holds it; `related` points at their name.
    HeldBy {
        person: usize,
        related: (Span, String),
    },
}
