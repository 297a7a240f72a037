//! `cargo xtask fuzz [--seconds N]`: the story loader under libFuzzer for N
//! seconds (default 600). The target seeds its corpus (`fuzz/corpus/story`)
//! with a bundle of every story in `data/stories` (see
//! `kort_app::story::fuzz`).
//!
//! Needs the nightly toolchain and cargo-fuzz (installed here when missing).
//! A crash stops the run and leaves its input in `fuzz/artifacts/story/`;
//! copy it to `fuzz/regressions/<what-it-broke>.bundle` with the fix, and
//! the test suite loads it on every run from then on.

use std::path::Path;
use std::process::Command;

use crate::{Result, run, run_with_env};

pub fn run_for(root: &Path, seconds: u64) -> Result {
    let nightly = Command::new("cargo")
        .args(["+nightly", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !nightly {
        return Err("the fuzzer needs the nightly toolchain (`rustup toolchain list`)".into());
    }
    if !Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|out| out.status.success())
    {
        run(root, "cargo", &["install", "cargo-fuzz", "--locked"])?;
    }
    // cargo-fuzz sets RUSTFLAGS, which replaces the workspace's; it adds
    // what is already there, so the flag kort's crates require goes in.
    run_with_env(
        &root.join("fuzz"),
        "cargo",
        &[
            "+nightly",
            "fuzz",
            "run",
            "story",
            "--",
            &format!("-max_total_time={seconds}"),
            "-max_len=262144",
            "-timeout=10",
        ],
        &[("RUSTFLAGS", "--cfg erase_components")],
    )
}
