//! Several org files at once (the input split at `\n#%%\n`), linted as one
//! model, so that cross-file rules (ORG002 duplicates, references, posts and
//! accountabilities split across files, suppressions per file) are reached.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orglint_fuzz::Workspace;

thread_local! {
    static STATE: (Workspace, orglint::engine::Setup) = {
        let ws = Workspace::full("org-files");
        let setup = ws.setup().unwrap_or_else(|_| panic!("the harness config is valid"));
        (ws, setup)
    };
}

fuzz_target!(|data: &[u8]| {
    let files = orglint_fuzz::split_files(data);
    STATE.with(|(ws, setup)| orglint_fuzz::fuzz_org_files(setup, ws, &files));
});
