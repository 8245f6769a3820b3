//! ORG: the integrity of the model. ORG001, ORG002, ORG004 and ORG008 are
//! reported while loading and resolving; these are the rest.

pub mod lead_not_member;
pub mod missing_organisation;
pub mod reporting_cycle;
pub mod unassigned_person;
