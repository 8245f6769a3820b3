//! LEAD rules.

pub mod chief_technology_officer;
pub mod digital_services_director;
pub mod leads_report_to_professional_lead;
pub mod shared_accountability;
pub mod single_professional_lead;
