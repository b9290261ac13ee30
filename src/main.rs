mod api;
mod cli;
mod config;
mod download;
mod exit;
mod interrupt;
mod jq;
mod model;
mod output;
mod sandbox;
mod wait;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use serde_json::json;

use crate::api::Api;
use crate::cli::{Cli, Command, CreateArgs, ListArgs};
use crate::config::{Secret, Settings};
use crate::exit::{Code, fail};
use crate::model::{Export, ExportRef, State, parse_export, parse_id, parse_list};
use crate::output::Report;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code.into(),
        Err(err) => exit::report(&err),
    }
}

fn run(cli: Cli) -> anyhow::Result<Code> {
    let mut server = None;
    let sandbox = match &cli.command {
        Command::Completions { shell } => {
            let mut out = io::stdout().lock();
            clap_complete::generate(*shell, &mut Cli::command(), "klap-export", &mut out);
            out.flush()?;
            return Ok(Code::Success);
        }
        Command::Sandbox(args) => return sandbox::serve(args),
        _ if cli.global.sandbox => {
            let started = sandbox::Sandbox::start("127.0.0.1:0", sandbox::Options::default())?;
            let pair = (started.base_url(), Secret::new("sandbox"));
            server = Some(started);
            Some(pair)
        }
        _ => None,
    };
    let s = Settings::resolve(&cli.global, sandbox)?;
    let api = Api::new(&s)?;
    interrupt::install();
    let code = match cli.command {
        Command::Create(args) => create(&s, &api, args),
        Command::Status { refs } => status(&s, &api, &refs),
        Command::List(args) => list(&s, &api, &args),
        Command::Wait { refs, wait } => wait::run(&s, &api, &refs, &wait),
        Command::Download {
            export,
            output,
            force,
        } => download::run(&s, &api, &export, output.as_deref(), force),
        Command::Sandbox(_) | Command::Completions { .. } => unreachable!("handled above"),
    };
    drop(server);
    code
}

fn create(s: &Settings, api: &Api, a: CreateArgs) -> anyhow::Result<Code> {
    let body = match &a.watermark {
        None => json!({}),
        Some(url) => {
            let mut mark = serde_json::Map::new();
            mark.insert("src_url".into(), json!(url));
            for (name, value) in [
                ("pos_x", a.watermark_x),
                ("pos_y", a.watermark_y),
                ("scale", a.watermark_scale),
            ] {
                if let Some(v) = value {
                    mark.insert(name.into(), json!(v));
                }
            }
            json!({ "watermark": mark })
        }
    };
    let text = api.create(&a.project, &body)?;
    let export = parse_export(&text)?;
    // The ID names the downloaded file, so it must be one we would accept from the user.
    let id = export.fields.id.as_deref().unwrap_or_default();
    let id = parse_id(id).map_err(|e| {
        fail(
            Code::Error,
            format!("unexpected response: the created export's id: {e}"),
        )
    })?;
    // The API may leave out the project of the new export; we know it.
    let created = ExportRef {
        project: export
            .reference()
            .and_then(|r| r.project)
            .or(Some(a.project.clone())),
        export: id,
    };
    if !(a.wait || a.wait_args.download.is_some()) {
        output::print(
            s,
            &Report {
                exports: &[export],
                asked: Some(&[created]),
                single: true,
            },
        )?;
        return Ok(Code::Success);
    }
    wait::run(s, api, &[created], &a.wait_args)
}

fn status(s: &Settings, api: &Api, refs: &[ExportRef]) -> anyhow::Result<Code> {
    let bodies = fetch(api, refs)?;
    let exports = bodies
        .iter()
        .map(|b| parse_export(b))
        .collect::<anyhow::Result<Vec<_>>>()?;
    output::print(
        s,
        &Report {
            exports: &exports,
            asked: Some(refs),
            single: refs.len() == 1,
        },
    )?;
    Ok(Code::Success)
}

/// The current JSON of each export; bare IDs are looked up in one list call.
pub fn fetch(api: &Api, refs: &[ExportRef]) -> anyhow::Result<Vec<String>> {
    let mut list = None;
    refs.iter()
        .map(|r| match &r.project {
            Some(p) => api.get(&api.export_url(p, &r.export)),
            None => {
                if list.is_none() {
                    list = Some(api.get(&api.list_url(None, None))?);
                }
                find_in_list(list.as_deref().unwrap_or_default(), &r.export)
            }
        })
        .collect()
}

/// The JSON of the export with this ID in a list body; exit 3 when absent.
pub fn find_in_list(list: &str, id: &str) -> anyhow::Result<String> {
    parse_list(list)?
        .into_iter()
        .find(|e| e.fields.id.as_deref() == Some(id))
        .map(|e| e.raw.get().to_string())
        .ok_or_else(|| {
            fail(
                Code::NotFound,
                format!("export '{id}' not found in GET /exports"),
            )
        })
}

fn list(s: &Settings, api: &Api, a: &ListArgs) -> anyhow::Result<Code> {
    let body = api.get(&api.list_url(a.folder.as_deref(), a.project.as_deref()))?;
    let mut exports: Vec<Export> = parse_list(&body)?;
    if !a.status.is_empty() {
        exports.retain(|e| {
            e.status()
                .is_some_and(|st| a.status.contains(&State::of(st)))
        });
    }
    // Newest first; RFC 3339 timestamps in one zone sort as text. Missing ones go last.
    exports.sort_by(|x, y| y.fields.created_at.cmp(&x.fields.created_at));
    if let Some(limit) = a.limit {
        exports.truncate(limit);
    }
    output::print(
        s,
        &Report {
            exports: &exports,
            asked: None,
            single: false,
        },
    )?;
    Ok(Code::Success)
}
