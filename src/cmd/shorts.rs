//! `shorts VIDEO_URL --download DIR`: the whole job, re-runnable.

use crate::cli::ShortsArgs;
use crate::config::Ctx;
use crate::exit::{Code, fail};

pub fn run(_a: &ShortsArgs, _ctx: &Ctx) -> anyhow::Result<()> {
    Err(fail(Code::Error, "shorts: not built yet"))
}
