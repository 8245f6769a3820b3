//! One org file of arbitrary bytes through discovery, load, resolve, every
//! built-in rule, the CEL packs, suppressions and every output format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orglint_fuzz::Workspace;

thread_local! {
    static STATE: (Workspace, orglint::engine::Setup) = {
        let ws = Workspace::full("org-file");
        let setup = ws.setup().unwrap_or_else(|_| panic!("the harness config is valid"));
        (ws, setup)
    };
}

fuzz_target!(|data: &[u8]| {
    STATE.with(|(ws, setup)| orglint_fuzz::fuzz_org_files(setup, ws, &[data]));
});
