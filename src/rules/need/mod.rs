//! NEED rules.

pub mod best_value_procurement;
pub mod user_needs;
