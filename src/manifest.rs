//! `DIR/klap-export.json`: the record of one `shorts` job, rewritten atomically after
//! every step, so a crash, Ctrl-C or failure loses nothing and a re-run picks up from it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::exit::{Code, fail};
use crate::interrupt;
use crate::model::parse_id;
use crate::names;
use crate::text::sanitize;

pub const FILE: &str = "klap-export.json";
/// A manifest is small (a few KiB for 20 clips): anything past this is not ours.
const MAX_BYTES: u64 = 16 << 20;

/// The job, with its keys in the contract's order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub source_video_url: String,
    /// The body fields sent besides the URL.
    #[serde(default)]
    pub task_options: Map<String, Value>,
    /// `None` until a task POST is about to be sent.
    #[serde(default)]
    pub task: Option<TaskRecord>,
    #[serde(default)]
    pub folder_id: Option<String>,
    #[serde(default)]
    pub clips: Vec<Clip>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskRecord {
    /// `None` while the POST's answer has not come (`status` is then `sent`).
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: String,
    pub output_id: Option<String>,
}

/// What a sent task POST records before its answer comes.
pub const SENT: &str = "sent";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Clip {
    pub rank: usize,
    pub project_id: String,
    pub name: Option<String>,
    pub virality_score: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_captions: Option<Value>,
    pub export_id: Option<String>,
    /// The file name inside DIR.
    pub file: String,
    pub bytes: Option<u64>,
    pub status: ClipStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipStatus {
    /// Not exported yet.
    Pending,
    Processing,
    Ready,
    Saved,
    Failed,
}

impl Manifest {
    pub fn new(url: &str, task_options: Map<String, Value>) -> Manifest {
        Manifest {
            source_video_url: url.to_string(),
            task_options,
            task: None,
            folder_id: None,
            clips: Vec::new(),
        }
    }

    /// The manifest in `dir`, if there is one. One that cannot be read or parsed, or
    /// whose IDs and file names could leave DIR or break a URL, is exit 1 (and is never
    /// overwritten: the caller stops).
    pub fn load(dir: &Path) -> anyhow::Result<Option<Manifest>> {
        let path = dir.join(FILE);
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(unreadable(&path, &e.to_string())),
        };
        if !meta.is_file() {
            return Err(unreadable(&path, "not a regular file"));
        }
        if meta.len() > MAX_BYTES {
            return Err(unreadable(&path, "larger than 16 MiB"));
        }
        let text = fs::read_to_string(&path).map_err(|e| unreadable(&path, &e.to_string()))?;
        let m: Manifest =
            serde_json::from_str(&text).map_err(|e| unreadable(&path, &e.to_string()))?;
        m.check().map_err(|why| unreadable(&path, &why))?;
        Ok(Some(m))
    }

    /// What came from a file must be as safe as what came from the server.
    fn check(&self) -> Result<(), String> {
        let id = |what: &str, v: &Option<String>| match v {
            Some(v) => parse_id(v).map(drop).map_err(|e| format!("{what}: {e}")),
            None => Ok(()),
        };
        if let Some(t) = &self.task {
            id("task.id", &t.id)?;
            id("task.output_id", &t.output_id)?;
        }
        id("folder_id", &self.folder_id)?;
        for c in &self.clips {
            id("project_id", &Some(c.project_id.clone()))?;
            id("export_id", &c.export_id)?;
            let safe = names::safe(&c.file);
            if safe != c.file
                || c.file.starts_with(['.', '-'])
                || c.file.is_empty()
                || c.file.chars().count() > names::MAX_CHARS
                || c.file == FILE
            {
                return Err(format!(
                    "file {:?} is not a plain file name",
                    sanitize(&c.file)
                ));
            }
        }
        Ok(())
    }

    /// Writes the manifest into `dir` atomically: a temporary file beside it, renamed over
    /// it, so a reader (or a re-run after a crash) sees the old one or the new one whole.
    pub fn save(&self, dir: &Path) -> anyhow::Result<()> {
        let mut text = serde_json::to_vec_pretty(self)?;
        text.push(b'\n');
        let what = |e: std::io::Error| {
            fail(
                Code::Error,
                format!("cannot write {}: {e}", dir.join(FILE).display()),
            )
        };
        let part = interrupt::create_part(|| {
            let part = tempfile::Builder::new()
                .prefix(".klap-export.json.")
                .suffix(".part")
                .tempfile_in(dir)?;
            let path: PathBuf = part.path().to_path_buf();
            Ok((part, path))
        })
        .map_err(what)?;
        let tracked = part.path().to_path_buf();
        let result = (|| {
            let mut part = part;
            part.write_all(&text)?;
            part.as_file().sync_all()?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(part.path(), fs::Permissions::from_mode(0o644))?;
            }
            part.persist(dir.join(FILE)).map_err(|e| e.error)?;
            Ok(())
        })();
        interrupt::untrack_part(&tracked);
        result.map_err(what)
    }
}

fn unreadable(path: &Path, why: &str) -> anyhow::Error {
    crate::exit::Fail::new(
        Code::Error,
        format!("{} cannot be used: {}", path.display(), sanitize(why)),
    )
    .hint("it is left as it is: move it away, or give another --download directory")
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_the_contracts_order() {
        let mut m = Manifest::new("https://x/v.mp4", Map::new());
        m.task = Some(TaskRecord {
            id: None,
            kind: None,
            status: SENT.into(),
            output_id: None,
        });
        m.clips.push(Clip {
            rank: 1,
            project_id: "p".into(),
            name: Some("n".into()),
            virality_score: Some(serde_json::json!(0.5)),
            publication_captions: None,
            export_id: None,
            file: "01-n.mp4".into(),
            bytes: None,
            status: ClipStatus::Pending,
        });
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(
            text,
            r#"{"source_video_url":"https://x/v.mp4","task_options":{},"task":{"id":null,"type":null,"status":"sent","output_id":null},"folder_id":null,"clips":[{"rank":1,"project_id":"p","name":"n","virality_score":0.5,"export_id":null,"file":"01-n.mp4","bytes":null,"status":"pending"}]}"#
        );
    }

    #[test]
    fn a_file_name_that_leaves_the_directory_is_refused() {
        for file in ["../x.mp4", "a/b.mp4", ".hidden.mp4", "", FILE] {
            let mut m = Manifest::new("u", Map::new());
            m.clips.push(Clip {
                rank: 1,
                project_id: "p".into(),
                name: None,
                virality_score: None,
                publication_captions: None,
                export_id: None,
                file: file.into(),
                bytes: None,
                status: ClipStatus::Pending,
            });
            assert!(m.check().is_err(), "{file}");
        }
    }
}
