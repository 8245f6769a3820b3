//! LEAD rules: a single professional lead, and the leadership posts around
//! them.

pub mod chief_technology_officer;
pub mod digital_services_director;
pub mod leads_report_to_professional_lead;
pub mod shared_accountability;
pub mod single_professional_lead;

use crate::model::Model;
use crate::source::Span;

/// Where a finding about an unassigned post points: the first `[posts]`
/// header (path order), else the `[organisation]` header, else nowhere
/// (decisions.md 14, 22).
fn post_anchor(model: &Model) -> Option<Span> {
    model
        .posts_header
        .or_else(|| model.organisation.as_ref().map(|o| o.header))
}

/// The id of a person by index (empty if out of range, which resolution
/// never produces).
fn person_id(model: &Model, p: usize) -> &str {
    model.people.get(p).map_or("", |person| person.id.as_str())
}
