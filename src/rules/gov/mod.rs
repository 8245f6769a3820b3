//! GOV rules.

pub mod accountable_owner;
pub mod governance_layers;
pub mod overlapping_bodies;
pub mod spend_control_outside_director;
pub mod stacked_consensus;
