//! OWN rules.

pub mod department_ownership;
pub mod owner_decision_rights;
pub mod owner_in_government;
pub mod owner_overloaded;
pub mod owner_reports_to_director;
pub mod service_owner;
