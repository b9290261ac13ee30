//! The HTTP client and the calls of the exports API.
//!
//! Every call is request → check status → read a capped body. GETs are retried on
//! transient failures; a POST never is, since the API has no idempotency key.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::Url;
use reqwest::blocking::{Client, ClientBuilder, RequestBuilder, Response};
use reqwest::header::{ACCEPT_ENCODING, AUTHORIZATION, HeaderValue, LOCATION, RETRY_AFTER};

use crate::exit::{Code, Fail, fail};
use crate::model::{CreateBody, ExportRef, ProjectRef, parse_list, pick};
use crate::say;
use crate::text::snippet;

/// Largest response body read from the API (a list of 100,000 exports is about 29 MB).
pub const MAX_BODY: u64 = 256 * 1024 * 1024;
/// Largest export file downloaded (16 GiB; a long 4K export is a few GiB). A file
/// announced larger is refused before its first byte; one sent without `Content-Length`
/// must be stopped at this size by the reader.
pub const MAX_FILE: u64 = 16 << 30;
const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// No retry comes sooner than this, whatever the jitter or `Retry-After: 0` says:
/// a server answering "now" on every attempt must not get a tight loop.
pub const BACKOFF_FLOOR: Duration = Duration::from_millis(250);
const BACKOFF_CAP: Duration = Duration::from_secs(10);
const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);

/// The API key. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(key: impl Into<String>) -> Self {
        Secret(key.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Where and how to talk to the API.
pub struct Options {
    pub base_url: Url,
    pub key: Secret,
    pub verbose: bool,
    pub retries: u32,
    pub timeout: Duration,
}

/// A failed attempt: whether trying again may help, and when the server asked us to.
#[derive(Debug)]
pub struct AttemptError {
    pub error: anyhow::Error,
    pub transient: bool,
    pub retry_after: Option<Duration>,
    /// The server may have acted on the request: for a POST, it may have created.
    pub ambiguous: bool,
    /// The API answered with a status line (a 503 is an answer; a refused connection, DNS,
    /// TLS or a timeout is none): what a wait must have had before it goes on.
    pub answered: bool,
}

impl From<AttemptError> for anyhow::Error {
    fn from(e: AttemptError) -> Self {
        e.error
    }
}

impl AttemptError {
    pub fn fatal(error: anyhow::Error) -> Self {
        AttemptError {
            error,
            transient: false,
            retry_after: None,
            ambiguous: false,
            answered: true,
        }
    }
}

pub struct Api {
    /// The clients, built on first use, as building one costs tens of milliseconds and
    /// most runs need only one (see `client`): for loopback hosts, never through a proxy;
    /// for every other host, through the proxy variables (`HTTPS_PROXY`, `NO_PROXY`, ...);
    /// each following redirects or not (a create).
    clients: [OnceLock<Client>; 4],
    base: Url,
    /// `Bearer <key>`, marked sensitive so no `Debug` of a request shows it.
    auth: HeaderValue,
    verbose: bool,
    retries: u32,
    timeout: Duration,
    max_body: u64,
}

impl Api {
    pub fn new(o: Options) -> anyhow::Result<Api> {
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", o.key.expose())).map_err(|_| {
                fail(
                    Code::Auth,
                    "the API key has characters not allowed in a header",
                )
            })?;
        auth.set_sensitive(true);
        Ok(Api {
            clients: Default::default(),
            base: o.base_url,
            auth,
            verbose: o.verbose,
            retries: o.retries,
            timeout: o.timeout,
            max_body: max_body(),
        })
    }

    /// The client for a URL. A loopback host is never reached through a proxy: plain http
    /// is allowed only there, so a proxy would see the key in clear text (and a proxy on
    /// another host cannot reach our loopback anyway). Any other host may use the proxy:
    /// the base URL is then https, which goes through a CONNECT tunnel, TLS end to end,
    /// and the proxy never sees the request's headers. Without `follow`, a redirect is
    /// the answer: a POST is never sent twice.
    fn client(&self, url: &Url, follow: bool) -> Result<&Client, AttemptError> {
        let direct = is_loopback(url);
        let cell = &self.clients[usize::from(direct) * 2 + usize::from(follow)];
        if let Some(client) = cell.get() {
            return Ok(client);
        }
        let builder = client_builder(self.timeout);
        let builder = if direct { builder.no_proxy() } else { builder };
        let builder = if follow {
            builder
        } else {
            builder.redirect(reqwest::redirect::Policy::none())
        };
        let client = builder
            .build()
            .map_err(|e| AttemptError::fatal(fail(Code::Error, format!("{e:#}"))))?;
        Ok(cell.get_or_init(|| client))
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    pub fn project_url(&self, project: &ProjectRef) -> Url {
        let mut segs = project.segments();
        segs.push("exports");
        self.url(&segs)
    }

    /// The status route of an export whose project is known.
    pub fn export_url(&self, project: &ProjectRef, export: &str) -> Url {
        let mut url = self.project_url(project);
        if let Ok(mut path) = url.path_segments_mut() {
            path.push(export);
        }
        url
    }

    /// `GET /projects/{folder_id}`: the projects of a folder.
    pub fn folder_url(&self, folder: &str) -> Url {
        self.url(&["projects", folder])
    }

    pub fn list_url(&self, folder: Option<&str>, project: Option<&str>) -> Url {
        let mut url = self.url(&["exports"]);
        for (name, value) in [("folder_id", folder), ("project_id", project)] {
            if let Some(value) = value {
                url.query_pairs_mut().append_pair(name, value);
            }
        }
        url
    }

    /// POST a create. Never retried: a failure after sending may have created it
    /// (`ambiguous` says so).
    pub fn create(&self, project: &ProjectRef, body: &CreateBody) -> Result<String, AttemptError> {
        let url = self.project_url(project);
        let body = serde_json::to_string(body).map_err(|e| AttemptError::fatal(e.into()))?;
        self.post(&url, body)
    }

    /// `POST /tasks/{route}` (`video-to-shorts`, `video-to-video`): never retried, as a create.
    pub fn create_task(&self, route: &str, body: String) -> Result<String, AttemptError> {
        self.post(&self.url(&["tasks", route]), body)
    }

    /// `GET /tasks/{task_id}`.
    pub fn task_url(&self, id: &str) -> Url {
        self.url(&["tasks", id])
    }

    /// One POST of a JSON body, never retried (`ambiguous` says whether it may have arrived).
    fn post(&self, url: &Url, body: String) -> Result<String, AttemptError> {
        let url = url.clone();
        let req = self
            .client(&url, false)?
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        self.attempt("POST", &url, req, self.timeout)
    }

    /// GET with the retry policy for safe requests.
    pub fn get(&self, url: &Url) -> anyhow::Result<String> {
        let mut retry = 0;
        loop {
            match self.get_once(url) {
                Ok(body) => return Ok(body),
                Err(e) if e.transient && retry < self.retries => {
                    let wait = backoff(retry, e.retry_after);
                    retry += 1;
                    if self.verbose {
                        say!(
                            "klap-export: retry {retry}/{} in {} ms: {:#}",
                            self.retries,
                            wait.as_millis(),
                            e.error
                        );
                    }
                    std::thread::sleep(wait);
                }
                Err(e) => return Err(e.error),
            }
        }
    }

    /// The current JSON of one export. A bare export ID is looked up in `GET /exports`,
    /// which `list` caches for the caller's pass. Both GETs have the retry policy of `get`.
    pub fn export(&self, r: &ExportRef, list: &mut ListIndex) -> anyhow::Result<String> {
        let Some(project) = &r.project else {
            if list.is_none() {
                let body = self.get(&self.list_url(None, None))?;
                *list = Some(index(&body)?);
            }
            let listed: Vec<&str> = list
                .as_ref()
                .and_then(|by_id| by_id.get(&r.export))
                .map(|all| all.iter().map(String::as_str).collect())
                .unwrap_or_default();
            return pick(&listed, r)?
                .map(str::to_string)
                .ok_or_else(|| not_in_list(&r.export));
        };
        self.get(&self.export_url(project, &r.export))
    }

    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// One GET, for callers that run their own retry loop (`wait`).
    pub fn get_once(&self, url: &Url) -> Result<String, AttemptError> {
        self.get_once_until(url, None)
    }

    /// One GET that also ends by `deadline`: the whole request, body included, gets the
    /// time left before it when that is shorter than `--http-timeout`, so a stalled
    /// server cannot carry `wait` past its `--timeout`. The error is then a transient
    /// timeout, like any other.
    pub fn get_once_until(
        &self,
        url: &Url,
        deadline: Option<Instant>,
    ) -> Result<String, AttemptError> {
        let limit = deadline.map_or(self.timeout, |d| {
            d.saturating_duration_since(Instant::now())
                .min(self.timeout)
        });
        if limit.is_zero() {
            return Err(AttemptError {
                error: fail(
                    Code::Error,
                    format!("GET {}: {}", shown(url), self.timed_out(limit)),
                ),
                transient: true,
                retry_after: None,
                ambiguous: false,
                answered: false,
            });
        }
        let req = self.client(url, true)?.get(url.clone()).timeout(limit);
        self.attempt("GET", url, req, limit)
    }

    /// GET a file (the export's `src_url`): no API key, and no whole-body deadline.
    /// With `from > 0`, asks for the rest of the file (`Range: bytes=FROM-`), of the same
    /// version only when `if_range` is given (the first response's validator). The bytes
    /// as stored (`Accept-Encoding: identity`): a compressed stream is not the MP4. Refused
    /// when it announces more than `MAX_FILE` bytes. A `416` is the caller's to read.
    pub fn download(
        &self,
        url: &Url,
        from: u64,
        if_range: Option<&HeaderValue>,
    ) -> Result<Response, AttemptError> {
        // Whatever the file host answers, it is a download failure (exit 1), not about our key.
        let as_download = |mut e: AttemptError| {
            e.error = fail(Code::Error, format!("{:#}", e.error));
            e
        };
        let mut req = self
            .client(url, true)
            .map_err(as_download)?
            .get(url.clone())
            .header(ACCEPT_ENCODING, "identity");
        if from > 0 {
            req = req.header(reqwest::header::RANGE, format!("bytes={from}-"));
            if let Some(validator) = if_range {
                req = req.header(reqwest::header::IF_RANGE, validator.clone());
            }
        }
        let resp = self
            .send("GET", url, req, false, self.timeout)
            .map_err(as_download)?;
        if resp.content_length().is_some_and(|n| n > MAX_FILE) {
            return Err(AttemptError::fatal(fail(
                Code::Error,
                format!(
                    "GET {}: the file is larger than the {} GiB limit",
                    shown(url),
                    MAX_FILE >> 30
                ),
            )));
        }
        Ok(resp)
    }

    fn send(
        &self,
        method: &str,
        url: &Url,
        req: RequestBuilder,
        with_key: bool,
        limit: Duration,
    ) -> Result<Response, AttemptError> {
        let req = if with_key {
            req.header(AUTHORIZATION, self.auth.clone())
        } else {
            req
        };
        let url_text = shown(url);
        if self.verbose {
            say!("> {method} {url_text}");
            if with_key {
                say!("> Authorization: Bearer ***");
            }
        }
        let start = Instant::now();
        let resp = req.send();
        let elapsed = start.elapsed();
        let resp = resp.map_err(|e| {
            if self.verbose {
                say!(
                    "< {method} {url_text} failed after {} ms",
                    elapsed.as_millis()
                );
            }
            self.network_error(method, url, &e, limit)
        })?;
        if self.verbose {
            let hop = if redirected(url, resp.url()) {
                format!(" (redirected to {})", shown(resp.url()))
            } else {
                String::new()
            };
            say!(
                "< {} {method} {url_text}{hop} ({} ms)",
                resp.status().as_u16(),
                elapsed.as_millis()
            );
        }
        let status = resp.status();
        // A create is never sent twice, so its redirect is not followed (a 307 or 308
        // would send the POST again, a 302 turn it into a GET): it is the answer, and the
        // server may have created anyway.
        if method == "POST" && status.is_redirection() {
            let to = resp.headers().get(LOCATION).map_or_else(
                || "no Location".to_string(),
                |v| {
                    let text = String::from_utf8_lossy(v.as_bytes());
                    url.join(&text)
                        .map_or_else(|_| snippet(&text), |to| shown(&to))
                },
            );
            return Err(AttemptError {
                error: fail(
                    Code::Error,
                    format!(
                        "{method} {url_text}: HTTP {}: redirected to {to}, not followed (a create is never sent again)",
                        status.as_u16()
                    ),
                ),
                transient: false,
                retry_after: None,
                ambiguous: true,
                answered: true,
            });
        }
        // A file request (the one without the key) may be told its range is past the end:
        // that can mean the file is complete, which only the download engine can tell.
        if status.is_success() || (!with_key && status == StatusCode::RANGE_NOT_SATISFIABLE) {
            return Ok(resp);
        }
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| parse_retry_after(v.to_str().ok()?));
        let body = error_body(resp);
        let code = match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Code::Auth,
            StatusCode::NOT_FOUND => Code::NotFound,
            _ => Code::Error,
        };
        let message = format!(
            "{method} {url_text}: HTTP {}: {}",
            status.as_u16(),
            error_message(&body)
        );
        let mut error = Fail::new(code, message);
        if code == Code::NotFound
            && with_key
            && !self.base.path().trim_end_matches('/').ends_with("/v2")
        {
            error = error.hint(base_path_hint(self.base.path()));
        }
        Err(AttemptError {
            error: error.into(),
            transient: is_transient(status),
            retry_after,
            ambiguous: status.is_server_error(),
            answered: true,
        })
    }

    /// One API call with the key: the body as text, read within `limit`.
    fn attempt(
        &self,
        method: &str,
        url: &Url,
        req: RequestBuilder,
        limit: Duration,
    ) -> Result<String, AttemptError> {
        let start = Instant::now();
        let resp = self.send(method, url, req, true, limit)?;
        let body = self
            .read_body(resp, start, limit)
            .map_err(|e| AttemptError {
                // Asking again would read the same too-large body again.
                transient: !e.is::<TooLarge>(),
                error: e.context(format!("{method} {}", shown(url))),
                retry_after: None,
                ambiguous: true,
                answered: false,
            })?;
        String::from_utf8(body).map_err(|_| {
            AttemptError::fatal(fail(
                Code::Error,
                format!("{method} {}: the response is not UTF-8 text", shown(url)),
            ))
        })
    }

    /// Reads a body up to the size cap, within `limit` counted from `start`.
    fn read_body(
        &self,
        mut resp: Response,
        start: Instant,
        limit: Duration,
    ) -> anyhow::Result<Vec<u8>> {
        if resp.content_length().is_some_and(|n| n > self.max_body) {
            return Err(self.too_large());
        }
        // The announced length (at most the cap) is reserved at once: no copy as the body
        // grows. Pages are only committed as bytes arrive, so a length that lies costs
        // address space, not memory; where even that cannot be had, the body grows as read.
        let mut body = Vec::new();
        let announced = resp.content_length().and_then(|n| usize::try_from(n).ok());
        if body.try_reserve_exact(announced.unwrap_or(0)).is_err() {
            body.reserve(1 << 20);
        }
        let mut chunk = vec![0; 64 * 1024];
        loop {
            if start.elapsed() >= limit {
                return Err(fail(
                    Code::Error,
                    format!("{} reading the response", self.timed_out(limit)),
                ));
            }
            let n = match resp.read(&mut chunk) {
                Ok(0) => return Ok(body),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                // reqwest ends a body at the request's timeout with an unspecific error.
                Err(_) if start.elapsed() >= limit => continue,
                Err(e) => {
                    return Err(fail(
                        Code::Error,
                        format!("reading the response failed: {}", read_error(&e)),
                    ));
                }
            };
            if body.len() as u64 + n as u64 > self.max_body {
                return Err(self.too_large());
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }

    fn too_large(&self) -> anyhow::Error {
        anyhow::Error::new(TooLarge(self.max_body / (1024 * 1024)))
    }

    /// "timed out after 5s (--http-timeout)", naming what set the limit.
    fn timed_out(&self, limit: Duration) -> String {
        let by = if limit < self.timeout {
            "the deadline"
        } else {
            "--http-timeout"
        };
        // Whole milliseconds: the time left before a deadline is never a round number.
        let ms = Duration::from_millis(u64::try_from(limit.as_millis()).unwrap_or(u64::MAX));
        format!("timed out after {} ({by})", humantime::format_duration(ms))
    }

    fn network_error(
        &self,
        method: &str,
        url: &Url,
        e: &reqwest::Error,
        limit: Duration,
    ) -> AttemptError {
        let what = if e.is_timeout() {
            self.timed_out(limit)
        } else if e.is_connect() {
            connect_cause(e, url)
        } else {
            format!("the connection failed: {}", innermost(e))
        };
        // A connection that failed through a proxy is the proxy's failure: say which, and
        // where it was set, or the user hunts for a fault at the API host.
        let what = match proxy_for(url).filter(|_| e.is_connect()) {
            Some((proxy, var)) => format!("through the proxy {proxy} (from {var}): {what}"),
            None => what,
        };
        // Trying again cannot make a certificate trusted, nor a plain port speak TLS.
        let untrusted =
            what.contains("TLS certificate not trusted") || what.contains("does not speak TLS");
        AttemptError {
            error: fail(Code::Error, format!("{method} {}: {what}", shown(url))),
            transient: !untrusted,
            retry_after: None,
            // A failed connect sent nothing; anything later may have reached the server.
            ambiguous: !e.is_connect(),
            answered: false,
        }
    }
}

/// A URL as `-v` and errors show it: userinfo (a password, a token) as `***@`.
pub fn shown(url: &Url) -> String {
    if url.username().is_empty() && url.password().is_none() {
        return url.to_string();
    }
    let mut bare = url.clone();
    let _ = bare.set_password(None);
    let _ = bare.set_username("***");
    bare.to_string()
}

/// Most bytes of an error body read: the message shows its first 200 characters, and a
/// huge (or endless) error page must neither be read whole nor hide what it says.
const MAX_ERROR_BODY: u64 = 64 * 1024;

/// The start of an error body, up to `MAX_ERROR_BODY`; what came before a read error
/// (the request's timeout bounds the wait).
fn error_body(resp: Response) -> Vec<u8> {
    let mut body = Vec::new();
    let _ = resp.take(MAX_ERROR_BODY).read_to_end(&mut body);
    body
}

/// Whether an answer came from another URL than the one asked: a redirect. Userinfo
/// (sent as a header) and the fragment (never sent) are not where it came from.
fn redirected(asked: &Url, answered: &Url) -> bool {
    let bare = |u: &Url| {
        let mut u = u.clone();
        let _ = u.set_username("");
        let _ = u.set_password(None);
        u.set_fragment(None);
        u
    };
    bare(asked) != bare(answered)
}

/// The settings every client shares. `localhost` (and `localhost.`) is answered here,
/// never by `/etc/hosts` or DNS (RFC 6761, as curl does): plain http with the key is
/// allowed to it, so a resolver must not be able to send it elsewhere.
fn client_builder(timeout: Duration) -> ClientBuilder {
    // reqwest comes without a TLS crypto provider (see Cargo.toml): ring is ours. This
    // fails only when a provider is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Port 0: the URL's port (or the scheme's) is used.
    let loopback = [
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        SocketAddr::from((Ipv6Addr::LOCALHOST, 0)),
    ];
    Client::builder()
        .user_agent(concat!("klap-export/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(timeout)
        .timeout(timeout)
        // A redirect target has no business knowing which API URL sent us.
        .referer(false)
        .resolve_to_addrs("localhost", &loopback)
        .resolve_to_addrs("localhost.", &loopback)
}

/// An error and its causes, looking inside `io::Error`s too (their `source` skips
/// the error they wrap, which is where rustls puts its certificate verdict).
fn causes<'e>(
    e: &'e (dyn std::error::Error + 'static),
    out: &mut Vec<&'e (dyn std::error::Error + 'static)>,
) {
    out.push(e);
    if let Some(inner) = e
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        causes(inner, out);
    } else if let Some(next) = e.source() {
        causes(next, out);
    }
}

/// The last cause's text: "client error (Connect)" says nothing, "Connection reset" does.
fn innermost(e: &reqwest::Error) -> String {
    let mut all = Vec::new();
    causes(e, &mut all);
    all.last().map(ToString::to_string).unwrap_or_default()
}

/// Why a connection could not be made, named: refused, no such host, TLS.
fn connect_cause(e: &reqwest::Error, url: &Url) -> String {
    let mut all = Vec::new();
    causes(e, &mut all);
    let io_kind = |kind| {
        all.iter()
            .filter_map(|c| c.downcast_ref::<std::io::Error>())
            .any(|io| io.kind() == kind)
    };
    let texts: Vec<String> = all.iter().map(ToString::to_string).collect();
    if io_kind(std::io::ErrorKind::ConnectionRefused) {
        return "cannot connect: connection refused".into();
    }
    // A proxy that answers CONNECT with anything but 2xx (403, 407, 502, ...).
    if texts.iter().any(|t| t.starts_with("tunnel error")) {
        return format!(
            "it refused to open a tunnel (CONNECT) to {}:{}",
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or(443)
        );
    }
    // hyper-util's connector names its resolver failure "dns error".
    if texts.iter().any(|t| t == "dns error") {
        return format!("cannot resolve host {}", url.host_str().unwrap_or_default());
    }
    if let Some(tls) = all.iter().find_map(|c| c.downcast_ref::<rustls::Error>()) {
        return tls_words(tls, url);
    }
    if let Some(why) = texts
        .iter()
        .find_map(|t| t.strip_prefix("invalid peer certificate: "))
    {
        return format!("TLS certificate not trusted: {why}");
    }
    // rustls reports any other handshake failure as invalid data.
    if url.scheme() == "https" && io_kind(std::io::ErrorKind::InvalidData) {
        return format!("TLS handshake failed: {}", innermost(e));
    }
    format!("cannot connect: {}", innermost(e))
}

/// A TLS failure in words: rustls names them as Rust values (`UnknownIssuer`,
/// `Other(OtherError(CaUsedAsEndEntity))`, `InvalidContentType`).
fn tls_words(e: &rustls::Error, url: &Url) -> String {
    use rustls::CertificateError as C;
    let cert = match e {
        rustls::Error::InvalidCertificate(c) => c,
        // A plain http server answers the TLS hello with text that is no TLS record.
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            return format!(
                "TLS handshake failed: the server does not speak TLS on port {}: is it an http:// address?",
                url.port_or_known_default().unwrap_or(443)
            );
        }
        other => return format!("TLS handshake failed: {other}"),
    };
    let host = url.host_str().unwrap_or_default();
    let why = match cert {
        C::UnknownIssuer => {
            "it is not issued by an authority this system trusts (self-signed, or a private CA)"
                .to_string()
        }
        C::Expired | C::ExpiredContext { .. } => "it has expired".into(),
        C::NotValidYet | C::NotValidYetContext { .. } => {
            "it is not valid yet (is the clock right?)".into()
        }
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            format!("it is not issued for {host}")
        }
        C::Revoked => "it has been revoked".into(),
        C::BadSignature => "its signature is invalid".into(),
        other => cert_words(&format!("{other:?}")),
    };
    format!("TLS certificate not trusted: {why}")
}

/// The words of a certificate verdict rustls knows only by a Rust name.
fn cert_words(debug: &str) -> String {
    if debug.contains("CaUsedAsEndEntity") {
        return "the server presents a CA certificate as its own (it needs one issued by that CA)"
            .into();
    }
    // `Other(OtherError(SomeName))` → "some name".
    let name = debug
        .rsplit('(')
        .next()
        .unwrap_or(debug)
        .trim_end_matches(')');
    let mut words = String::new();
    for c in name.chars().filter(char::is_ascii_alphanumeric) {
        if c.is_ascii_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    format!("it was refused ({words})")
}

/// The proxy a request to `url` goes through, by the rules reqwest follows (the proxy
/// variables, `NO_PROXY`), and the variable that set it. Loopback never uses one.
fn proxy_for(url: &Url) -> Option<(String, &'static str)> {
    if is_loopback(url) {
        return None;
    }
    let uri: http::Uri = url.as_str().parse().ok()?;
    let proxy = hyper_util::client::proxy::matcher::Matcher::from_env().intercept(&uri)?;
    let names: &[&'static str] = match url.scheme() {
        "https" => &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"],
        _ => &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"],
    };
    let var = names
        .iter()
        .find(|n| std::env::var_os(n).is_some_and(|v| !v.is_empty()))?;
    let at = proxy.uri();
    let shown = match (at.host(), at.port_u16()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => crate::text::snippet(&at.to_string()),
    };
    Some((shown, var))
}

/// A body past the size cap (exit 1, not retried).
#[derive(Debug)]
struct TooLarge(u64);

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response is larger than the {} MiB limit", self.0)
    }
}

impl std::error::Error for TooLarge {}

/// `GET /exports` by export ID (the JSON of each export with it, in the list's order:
/// one ID may be in several folders or projects), read once for a command's refs.
pub type ListIndex = Option<HashMap<String, Vec<String>>>;

/// A list body by export ID; an element without an ID is left out.
fn index(list: &str) -> anyhow::Result<HashMap<String, Vec<String>>> {
    let mut by_id: HashMap<String, Vec<String>> = HashMap::new();
    for e in parse_list(list)? {
        if let Some(id) = e.id().as_deref() {
            by_id
                .entry(id.to_string())
                .or_default()
                .push(e.raw.to_string());
        }
    }
    Ok(by_id)
}

/// A bare export ID that `GET /exports` does not hold: exit 3.
pub fn not_in_list(id: &str) -> anyhow::Error {
    fail(
        Code::NotFound,
        format!("export '{id}' not found in GET /exports"),
    )
}

/// The body size cap. Debug builds (the tests) may lower it with `KLAP_TEST_MAX_BODY`,
/// so the cap can be tested without huge bodies; release builds never read it.
fn max_body() -> u64 {
    #[cfg(debug_assertions)]
    if let Some(v) = std::env::var("KLAP_TEST_MAX_BODY")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        return v.min(MAX_BODY);
    }
    MAX_BODY
}

fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// Full jitter on an exponential step, or the server's `Retry-After` when it sent one;
/// never below `BACKOFF_FLOOR`.
pub fn backoff(retry: u32, retry_after: Option<Duration>) -> Duration {
    let step = BACKOFF_BASE
        .saturating_mul(1 << retry.min(16))
        .min(BACKOFF_CAP);
    let jitter = step.mul_f64(fastrand::f64());
    retry_after.unwrap_or(jitter).max(BACKOFF_FLOOR)
}

/// What is wrong with a base URL whose path does not end in `/v2`, said of its path.
fn base_path_hint(path: &str) -> String {
    let path = path.trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or_default();
    if let Some((before, after)) = path.split_once("/v2/") {
        format!("the base URL goes past /v2 (/{after}): end it at {before}/v2")
    } else if last.len() > 1
        && last.starts_with('v')
        && last[1..].bytes().all(|b| b.is_ascii_digit())
    {
        format!("the base URL asks for API version {last}: this tool speaks v2 (end it at /v2)")
    } else {
        "the base URL probably lacks /v2".to_string()
    }
}

/// `Retry-After` as delay-seconds or an HTTP date, capped.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs)
    } else if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        RETRY_AFTER_CAP // more seconds than a u64 holds
    } else {
        let when = httpdate::parse_http_date(value).ok()?;
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default()
    };
    Some(wait.min(RETRY_AFTER_CAP))
}

/// The server's `message`, else `error`, else the start of the body.
pub fn error_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        message: Option<serde_json::Value>,
        error: Option<serde_json::Value>,
    }
    let text = String::from_utf8_lossy(body);
    let picked = serde_json::from_str::<ErrorBody>(&text).ok().and_then(|b| {
        [b.message, b.error]
            .into_iter()
            .flatten()
            .find_map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
    });
    let picked = picked.or_else(|| html_title(&text));
    let short = snippet(&picked.unwrap_or_else(|| text.into_owned()));
    if short.is_empty() {
        "(empty body)".into()
    } else {
        short
    }
}

/// The `<title>` of an HTML error page (a proxy's, a load balancer's), which says in a few
/// words what the whole page pasted onto one line hides.
fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let title = text.get(start..end)?;
    let title = title
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then(|| format!("{title} (an HTML page)"))
}

/// `127.0.0.0/8`, `::1` or `localhost`: the only hosts the key may reach over plain http.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        // The URL parser lowercases the name; `localhost.` is the same name, fully qualified.
        Some(url::Host::Domain(d)) => d == "localhost" || d == "localhost.",
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// What went wrong reading a body, in words: reqwest says "error decoding response
/// body" for a stall past `--http-timeout` and "request or response body error" for a
/// connection closed early, which hide the cause.
pub fn read_error(e: &io::Error) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> =
        e.get_ref().map(|inner| inner as _);
    let mut innermost = None;
    while let Some(err) = source {
        innermost = Some(err);
        if let Some(r) = err.downcast_ref::<reqwest::Error>()
            && r.is_timeout()
        {
            return "timed out (--http-timeout)".into();
        }
        if let Some(io) = err.downcast_ref::<io::Error>()
            && io.kind() == io::ErrorKind::TimedOut
        {
            return "timed out (--http-timeout)".into();
        }
        source = err.source();
    }
    match e.kind() {
        io::ErrorKind::TimedOut => "timed out (--http-timeout)".into(),
        io::ErrorKind::UnexpectedEof => "the connection closed early".into(),
        // The innermost cause says what happened ("connection closed before message
        // completed"); the outer ones only that something did.
        _ => innermost.map_or_else(|| e.to_string(), ToString::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_and_capped() {
        for retry in 0..40 {
            let d = backoff(retry, None);
            assert!(
                d <= BACKOFF_CAP && d <= BACKOFF_BASE * 2u32.pow(retry.min(5)),
                "{retry}: {d:?}"
            );
        }
        assert_eq!(
            backoff(0, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
    }

    #[test]
    fn backoff_never_goes_below_the_floor() {
        assert_eq!(backoff(0, Some(Duration::ZERO)), BACKOFF_FLOOR);
        assert_eq!(
            backoff(3, parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT")),
            BACKOFF_FLOOR
        );
        for retry in 0..1000 {
            assert!(backoff(retry % 8, None) >= BACKOFF_FLOOR);
        }
    }

    #[test]
    fn retry_after_is_read_and_capped() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("86400"), Some(RETRY_AFTER_CAP));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(
            parse_retry_after("99999999999999999999999"),
            Some(RETRY_AFTER_CAP)
        );
    }

    #[test]
    fn error_messages_prefer_message_then_error_then_text() {
        assert_eq!(error_message(br#"{"message":"m","error":"e"}"#), "m");
        assert_eq!(error_message(br#"{"error":"e"}"#), "e");
        assert_eq!(error_message(b"plain\x1b[1m text"), "plain [1m text");
        assert_eq!(error_message(b""), "(empty body)");
        assert_eq!(
            error_message(
                b"<html>\r\n<head><TITLE>502 Bad  Gateway &amp; co</TITLE></head>\r\n<body>nginx</body></html>"
            ),
            "502 Bad Gateway & co (an HTML page)"
        );
        assert_eq!(error_message(b"<p>no title</p>"), "<p>no title</p>");
        assert_eq!(error_message("x".repeat(500).as_bytes()).len(), 200);
    }

    /// A loopback server that answers every request with `head`, then never more.
    fn stalling_server(head: &'static [u8]) -> Url {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/v2/exports", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let mut open = Vec::new();
            for mut stream in listener.incoming().flatten() {
                // Answer only after the request: bytes before it confuse the client.
                let mut seen = Vec::new();
                let mut byte = [0u8; 1];
                while !seen.ends_with(b"\r\n\r\n")
                    && std::io::Read::read(&mut stream, &mut byte).is_ok_and(|n| n == 1)
                {
                    seen.push(byte[0]);
                }
                let _ = stream.write_all(head);
                open.push(stream);
            }
        });
        Url::parse(&url).unwrap()
    }

    #[test]
    fn a_request_ends_by_the_deadline() {
        let api = Api::new(Options {
            base_url: Url::parse("http://127.0.0.1:1/v2").unwrap(),
            key: Secret::new("k"),
            verbose: false,
            retries: 0,
            timeout: Duration::from_secs(10),
        })
        .unwrap();
        // No answer at all; then a head and part of the body.
        for head in [
            &b""[..],
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[{}",
        ] {
            let url = stalling_server(head);
            let start = Instant::now();
            let deadline = start + Duration::from_millis(300);
            let e = api.get_once_until(&url, Some(deadline)).unwrap_err();
            assert!(
                start.elapsed() < Duration::from_secs(3),
                "{:?}",
                start.elapsed()
            );
            assert!(e.transient);
            let text = format!("{:#}", e.error);
            assert!(
                text.contains("timed out after") && text.contains("(the deadline)"),
                "{text}"
            );
        }
        // A deadline already past sends nothing.
        let e = api
            .get_once_until(
                &Url::parse("http://127.0.0.1:1/").unwrap(),
                Some(Instant::now()),
            )
            .unwrap_err();
        assert!(e.transient && !e.ambiguous);
    }

    /// A resolver that answers every name with a host that is not ours, counting calls.
    struct Liar(std::sync::atomic::AtomicUsize);

    impl reqwest::dns::Resolve for Liar {
        fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let addrs: reqwest::dns::Addrs =
                Box::new(std::iter::once(SocketAddr::from(([192, 0, 2, 2], 0))));
            Box::pin(std::future::ready(Ok(addrs)))
        }
    }

    #[test]
    fn localhost_is_never_asked_of_the_resolver() {
        let liar = std::sync::Arc::new(Liar(std::sync::atomic::AtomicUsize::new(0)));
        let client = client_builder(Duration::from_secs(2))
            .no_proxy()
            .dns_resolver(liar.clone())
            .build()
            .unwrap();
        let url = stalling_server(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        let port = url.port().unwrap();
        for host in ["localhost", "LocalHost", "localhost.", "LOCALHOST."] {
            let url = Url::parse(&format!("http://{host}:{port}/v2/exports")).unwrap();
            assert!(is_loopback(&url), "{host}");
            let resp = client.get(url).send().unwrap();
            assert_eq!(resp.status(), StatusCode::NO_CONTENT, "{host}");
        }
        assert_eq!(liar.0.load(std::sync::atomic::Ordering::SeqCst), 0);
        // Any other name is the resolver's (which is what makes the test able to fail).
        let other = Url::parse(&format!("http://localhost.example:{port}/")).unwrap();
        assert!(!is_loopback(&other));
        assert!(client.get(other).send().is_err());
        assert_eq!(liar.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn certificate_verdicts_are_words() {
        let url = Url::parse("https://api.example.test/v2").unwrap();
        let words = |c| tls_words(&rustls::Error::InvalidCertificate(c), &url);
        assert!(
            words(rustls::CertificateError::UnknownIssuer).contains("self-signed"),
            "{}",
            words(rustls::CertificateError::UnknownIssuer)
        );
        assert_eq!(
            words(rustls::CertificateError::NotValidForName),
            "TLS certificate not trusted: it is not issued for api.example.test"
        );
        assert!(cert_words("Other(OtherError(CaUsedAsEndEntity))").contains("a CA certificate"));
        assert_eq!(
            cert_words("Other(OtherError(UnsupportedCertVersion))"),
            "it was refused (unsupported cert version)"
        );
        let plain = tls_words(
            &rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
            &url,
        );
        assert_eq!(
            plain,
            "TLS handshake failed: the server does not speak TLS on port 443: is it an http:// address?"
        );
    }

    #[test]
    fn the_key_is_never_formatted() {
        let key = Secret::new("sk-live-123");
        assert_eq!(format!("{key} {key:?}"), "*** ***");
    }
}
