//! `sandbox`: serve the emulated API until interrupted.

use crate::cli::SandboxArgs;

pub fn run(args: &SandboxArgs, verbose: bool) -> anyhow::Result<()> {
    crate::sandbox::serve(args, verbose).map(|_| ())
}
