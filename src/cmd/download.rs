//! `download`: fetch the MP4 of a ready export to a file or stdout.

use std::io::{self, Write};

use crate::cli::DownloadArgs;
use crate::config::Ctx;
use crate::exit::{Code, Fail, fail};
use crate::model::{State, parse_current};
use crate::progress::Progress;
use crate::save::{self, Dest};

pub fn run(a: &DownloadArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let r = &a.export;
    let dest = Dest {
        path: a.output.clone(),
        force: a.force,
    };
    // Refuse to clobber before asking the server anything.
    dest.check(&r.export, Code::Usage)?;
    let body = ctx.api.export(r, &mut None, true)?;
    let export = parse_current(&body)?;
    match export.state() {
        Some(State::Ready) => {}
        Some(State::Failed) => {
            let status = export.status().unwrap_or_default();
            return Err(fail(
                Code::ExportFailed,
                format!("export {r} failed (status: {status})"),
            ));
        }
        Some(State::Processing) | None => {
            return Err(
                Fail::new(Code::Error, format!("export {r} is not ready yet"))
                    .hint(format!(
                        "use `klap-export wait --download {} {r}` to wait for it",
                        a.output
                            .as_ref()
                            .map_or(".".into(), |p| p.display().to_string())
                    ))
                    .into(),
            );
        }
    }
    let progress = Progress::new(ctx.ui.progress, ctx.ui.color_stderr);
    let saved = save::save(&ctx.api, &export, &r.export, &dest, &progress.bytes(None))?;
    drop(progress);
    if let Some(path) = saved {
        writeln!(io::stdout(), "{}", path.display())?;
    }
    Ok(())
}
