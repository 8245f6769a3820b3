//! TEAM rules.

pub mod core_roles;
pub mod government_in_control;
pub mod stability_innovation_split;
pub mod supplier_majority;
pub mod team_without_service;
