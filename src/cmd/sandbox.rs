//! `sandbox`: serve the emulated API until interrupted.

use crate::cli::SandboxArgs;

pub fn run(args: &SandboxArgs) -> anyhow::Result<()> {
    crate::sandbox::serve(args).map(|_| ())
}
