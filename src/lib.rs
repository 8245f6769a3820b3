//! orglint: a linter for organisation design as code.
//!
//! The pipeline is the architecture: [`discover`] finds org files, [`load`]
//! parses them with spans, [`model`] resolves them into one linked model,
//! [`rules`] check it, and [`report`] renders the findings.

pub mod diagnostic;
pub mod registry;
pub mod source;
