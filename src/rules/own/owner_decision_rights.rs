//! owner-decision-rights: to be implemented.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;

pub fn check(_cx: &Context, _out: &mut Vec<Diagnostic>) {}
