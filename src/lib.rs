//! orglint: a linter for organisation design as code.
//!
//! The pipeline is the architecture: [`discover`] finds org files, [`load`]
//! parses them with spans, [`model`] resolves them into one linked model,
//! [`rules`] check it, and [`report`] renders the findings.

pub mod baseline;
pub mod cel;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod graph;
pub mod load;
pub mod model;
pub mod pack;
pub mod registry;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod toml_text;
