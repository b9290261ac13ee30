//! One module per subcommand, each with `run(args, &Ctx)`.

pub mod auth;
pub mod completions;
pub mod create;
pub mod download;
pub mod list;
pub mod manpage;
pub mod projects;
pub mod sandbox;
pub mod status;
pub mod wait;
