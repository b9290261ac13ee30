//! Writing an export's MP4 to a file or stdout.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::api::Api;
use crate::exit::{Code, Fail, fail};
use crate::interrupt;
use crate::model::Export;
use crate::progress::Line;

/// Where a download goes, as the user asked.
#[derive(Debug, Clone)]
pub struct Dest {
    /// `-o` / `--download`: a file, a directory, or `-`; `None` is `./<EXPORT_ID>.mp4`.
    pub path: Option<PathBuf>,
    /// Replace an existing file.
    pub force: bool,
}

pub enum Target {
    Stdout,
    File(PathBuf),
}

impl Dest {
    /// `-` is stdout; an existing directory gets `<dir>/<EXPORT_ID>.mp4`.
    pub fn target(&self, id: &str) -> Target {
        let name = format!("{id}.mp4");
        match &self.path {
            Some(p) if p == Path::new("-") => Target::Stdout,
            Some(p) if p.is_dir() => Target::File(p.join(name)),
            Some(p) => Target::File(p.clone()),
            None => Target::File(PathBuf::from(name)),
        }
    }

    /// Refuses to replace a file without `--force`; `code` says whether anything was sent yet.
    pub fn check(&self, id: &str, code: Code) -> anyhow::Result<()> {
        match self.target(id) {
            Target::File(path) if path.exists() && !self.force => Err(Fail::new(
                code,
                format!("{} already exists", path.display()),
            )
            .hint("use --force to replace it")
            .into()),
            _ => Ok(()),
        }
    }
}

/// Downloads a ready export. `id` names the file (a validated ID, never the server's text).
/// Returns the path written, or `None` for stdout.
pub fn save(
    api: &Api,
    export: &Export,
    id: &str,
    dest: &Dest,
    line: &Line,
) -> anyhow::Result<Option<PathBuf>> {
    let url = export.file_url()?;
    let path = match dest.target(id) {
        Target::Stdout => {
            let mut out = io::stdout().lock();
            copy(api, &url, &mut out, line)?;
            out.flush()?;
            return Ok(None);
        }
        Target::File(path) => path,
    };
    dest.check(id, Code::Error)?;
    let mut part = path.clone().into_os_string();
    part.push(".part");
    let part = PathBuf::from(part);
    interrupt::track_part(&part);
    let result = File::create(&part)
        .map_err(anyhow::Error::from)
        .and_then(|file| {
            let mut w = BufWriter::new(file);
            copy(api, &url, &mut w, line)?;
            w.into_inner()
                .map_err(io::IntoInnerError::into_error)?
                .sync_all()?;
            std::fs::rename(&part, &path)?;
            Ok(())
        })
        .map_err(|e| e.context(format!("downloading to {}", path.display())));
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    interrupt::untrack_part(&part);
    result?;
    Ok(Some(path))
}

/// Streams the file at `url` into `out`; the byte count must match `Content-Length`.
fn copy(api: &Api, url: &reqwest::Url, out: &mut impl Write, line: &Line) -> anyhow::Result<u64> {
    let mut resp = api.download(url)?;
    let expected = resp.content_length();
    line.start_bytes(expected);
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
        line.set_bytes(written);
    }
    line.clear();
    if let Some(expected) = expected.filter(|&e| e != written) {
        return Err(fail(
            Code::Error,
            format!("download incomplete: got {written} of {expected} bytes"),
        ));
    }
    Ok(written)
}
