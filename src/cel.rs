//! User rules in CEL (placeholder until the CEL engine lands).

use crate::diagnostic::Diagnostic;
use crate::engine::Setup;
use crate::model::Model;
use crate::pack::Pack;
use crate::source::SourceMap;

#[derive(Debug, Default)]
pub struct Programs;

pub fn compile(_packs: &[Pack]) -> Result<Programs, Vec<Diagnostic>> {
    Ok(Programs)
}

pub fn run(_setup: &Setup, _model: &Model, _sources: &SourceMap) -> Vec<Diagnostic> {
    Vec::new()
}
