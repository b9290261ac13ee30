//! `download`: fetch the MP4 of a ready export to a file or stdout.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reqwest::Url;

use crate::api::Api;
use crate::config::{Progress, Settings};
use crate::exit::{Code, Fail, fail};
use crate::model::{Export, ExportRef, State, parse_export};
use crate::{fetch, interrupt};

pub fn run(
    s: &Settings,
    api: &Api,
    r: &ExportRef,
    output: Option<&Path>,
    force: bool,
) -> anyhow::Result<Code> {
    // Refuse to clobber before asking the server anything.
    if let Target::File(path) = target(output, &r.export)
        && path.exists()
        && !force
    {
        return Err(exists(&path, Code::Usage).into());
    }
    let bodies = fetch(api, std::slice::from_ref(r))?;
    let export = parse_export(&bodies[0])?;
    match export.state() {
        Some(State::Ready) => {}
        Some(State::Failed) => {
            let status = export.status().unwrap_or_default();
            return Err(fail(
                Code::ExportFailed,
                format!("export {r} failed (status: {status})"),
            ));
        }
        Some(State::Processing) => {
            return Err(
                Fail::new(Code::Error, format!("export {r} is not ready yet"))
                    .hint(format!(
                        "use `klap-export wait --download {} {r}` to wait for it",
                        output.map_or(".".into(), |p| p.display().to_string())
                    ))
                    .into(),
            );
        }
        None => {
            return Err(fail(
                Code::Error,
                format!("unexpected response for {r}: the export object has no status"),
            ));
        }
    }
    save(s, api, &export, &r.export, output, force, true)?;
    Ok(Code::Success)
}

enum Target {
    Stdout,
    File(PathBuf),
}

/// `-` is stdout; an existing directory gets `<dir>/<EXPORT_ID>.mp4`; default `./<EXPORT_ID>.mp4`.
fn target(output: Option<&Path>, id: &str) -> Target {
    let name = format!("{id}.mp4");
    match output {
        Some(p) if p == Path::new("-") => Target::Stdout,
        Some(p) if p.is_dir() => Target::File(p.join(name)),
        Some(p) => Target::File(p.to_path_buf()),
        None => Target::File(PathBuf::from(name)),
    }
}

/// Usage before anything was sent; a plain error once an export was waited for.
fn exists(path: &Path, code: Code) -> Fail {
    Fail::new(code, format!("{} already exists", path.display())).hint("use --force to replace it")
}

/// Downloads a ready export. `id` names the file (a validated ID, never the server's text).
/// `print_path` puts the written path on stdout, as `download` does; `wait` logs it instead.
pub fn save(
    s: &Settings,
    api: &Api,
    export: &Export,
    id: &str,
    output: Option<&Path>,
    force: bool,
    print_path: bool,
) -> anyhow::Result<()> {
    let src = export.fields.src_url.as_deref().unwrap_or_default();
    let url = Url::parse(src)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| {
            fail(
                Code::Error,
                format!(
                    "unexpected response: src_url is not an http(s) URL: {}",
                    crate::output::sanitize(src)
                ),
            )
        })?;
    let path = match target(output, id) {
        Target::Stdout => {
            let mut out = io::stdout().lock();
            copy(s, api, &url, &mut out)?;
            out.flush()?;
            return Ok(());
        }
        Target::File(path) => path,
    };
    if path.exists() && !force {
        return Err(exists(&path, Code::Error).into());
    }
    let mut part = path.clone().into_os_string();
    part.push(".part");
    let part = PathBuf::from(part);
    interrupt::track_part(&part);
    let result = File::create(&part)
        .map_err(anyhow::Error::from)
        .and_then(|file| {
            let mut w = BufWriter::new(file);
            copy(s, api, &url, &mut w)?;
            w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            std::fs::rename(&part, &path)?;
            Ok(())
        })
        .map_err(|e| e.context(format!("downloading to {}", path.display())));
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    interrupt::untrack_part(&part);
    result?;
    if print_path {
        writeln!(io::stdout(), "{}", path.display())?;
    } else if s.progress != Progress::Off {
        eprintln!("klap-export: saved {}", path.display());
    }
    Ok(())
}

/// Streams the file at `url` into `out`; the byte count must match `Content-Length`.
fn copy(s: &Settings, api: &Api, url: &Url, out: &mut impl Write) -> anyhow::Result<u64> {
    let mut resp = api.download(url)?;
    let expected = resp.content_length();
    let bar = (s.progress == Progress::Terminal).then(|| {
        let bar = ProgressBar::with_draw_target(expected, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {wide_bar}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut buf = vec![0; 64 * 1024];
    let mut written = 0u64;
    loop {
        let n = match resp.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(fail(
                    Code::Error,
                    format!("download failed after {written} bytes: {e}"),
                ));
            }
        };
        out.write_all(&buf[..n])?;
        written += n as u64;
        if let Some(bar) = &bar {
            bar.set_position(written);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(expected) = expected.filter(|&e| e != written) {
        return Err(fail(
            Code::Error,
            format!("download incomplete: got {written} of {expected} bytes"),
        ));
    }
    Ok(written)
}
