//! `sandbox`: serve the emulated API until interrupted.

use crate::cli::SandboxArgs;
use crate::sandbox::{self, Options};

/// `verbose` logs each request.
pub fn run(a: &SandboxArgs, verbose: bool) -> anyhow::Result<()> {
    let opts = Options {
        ready_after: a.ready_after,
        seed: a.seed,
        log_requests: verbose,
        ..Options::default()
    };
    sandbox::serve(a.listen, &opts).map(|_| ())
}
