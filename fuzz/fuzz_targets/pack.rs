//! An arbitrary rule pack, CEL expressions included: the pack loader, the
//! uniqueness checks, the CEL compiler and, when it is valid, a full run of
//! its rules over the example department.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orglint_fuzz::Workspace;

thread_local! {
    static WS: Workspace = orglint_fuzz::example_workspace("pack");
}

fuzz_target!(|data: &[u8]| {
    WS.with(|ws| orglint_fuzz::fuzz_pack(ws, data));
});
