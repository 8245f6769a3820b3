//! ORG005 missing-organisation: no `[organisation]` table in any file.
//! Reported once, without a span, naming the files read.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;

/// How many file names the message lists before "and N more".
const LISTED: usize = 5;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    // With no file at all, the run reports "no org files" instead.
    if cx.model.organisation.is_some() || cx.model.files.is_empty() {
        return;
    }
    let names: Vec<&str> = cx
        .model
        .files
        .iter()
        .filter_map(|&f| cx.sources.get(f))
        .map(|f| f.display.as_str())
        .collect();
    let message = {
        let mut list: Vec<String> = names
            .iter()
            .take(LISTED)
            .map(|n| format!("`{n}`"))
            .collect();
        if names.len() > LISTED {
            list.push(format!("and {} more", names.len() - LISTED));
        }
        let files = if names.len() == 1 { "file" } else { "files" };
        format!(
            "no `[organisation]` table in the {} {files} read: {}",
            names.len(),
            list.join(", ")
        )
    };
    out.push(cx.diagnostic(message));
}
