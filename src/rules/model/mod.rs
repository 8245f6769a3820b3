//! MODEL rules.

pub mod operating_model_declared;
pub mod project_funding_in_product_model;
