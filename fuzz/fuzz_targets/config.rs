//! An arbitrary `orglint.toml` (parse, resolve against every rule, then a
//! full run over the example department when it is valid; its errors are
//! rendered when it is not). `rules/acme.toml` and `rules/probe.toml` exist
//! for `packs` to name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orglint_fuzz::Workspace;

thread_local! {
    static WS: Workspace = orglint_fuzz::example_workspace("config");
}

fuzz_target!(|data: &[u8]| {
    WS.with(|ws| orglint_fuzz::fuzz_config(ws, data));
});
