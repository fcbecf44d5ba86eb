//! `serve`: builds the site into memory with `base_url` pointing at the
//! local server (keeping the configured subpath), serves it over HTTP,
//! watches `content/`, `templates/`, `static/` and `site.toml`, rebuilds on
//! change and tells open pages to reload (server-sent events). A failed
//! rebuild keeps the last good site and shows the errors over every page.
//! Never writes to the user's output folder; serves only what the build
//! produced (no directory listings, no paths outside the site). The one
//! writer is the editor's local backend (`cms_proxy`, `/api/v1`): what
//! Decap CMS saves, under `content/` and `static/` only.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::stream::Stream;
use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::{broadcast, mpsc};

use broadsheet_base::diagnostic::plural;
use broadsheet_site::build::{BuildOptions, render};
use broadsheet_site::config::Config;
use broadsheet_site::content;
use broadsheet_site::live::{Live, Update};
use broadsheet_site::output::{Memory, MemoryFile};
use broadsheet_site::render::escape_html;

/// The path of the reload channel. It takes no input and sends only "reload".
pub const EVENTS_PATH: &str = "/__broadsheet/events";
const DEBOUNCE: Duration = Duration::from_millis(40);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder (canonicalised when serving starts).
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    /// The site and what it publishes; serve sets the rest (the local
    /// address, the clock, memory as the output) for each build.
    pub build: BuildOptions,
}

/// The site being served: the last good build, and the errors of the
/// latest build when it failed.
#[derive(Default)]
struct Snapshot {
    files: Arc<HashMap<String, MemoryFile>>,
    errors: Vec<String>,
}

struct Shared {
    snapshot: RwLock<Snapshot>,
    reload: broadcast::Sender<()>,
    base_path: String,
    /// The site's folder: its files are read beneath it per request.
    root: PathBuf,
}

pub fn run(opts: ServeOptions) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the server runtime")?;
    runtime.block_on(serve(opts))
}

async fn serve(mut opts: ServeOptions) -> Result<()> {
    // Watched paths arrive absolute; compare them with absolute roots.
    opts.root = std::fs::canonicalize(&opts.root).with_context(|| format!("cannot open {}", opts.root.display()))?;
    let listener = tokio::net::TcpListener::bind((opts.bind, opts.port))
        .await
        .with_context(|| format!("cannot listen on {}:{}", opts.bind, opts.port))?;
    let addr = listener.local_addr()?;
    let base_path =
        Config::load(&opts.root, None).map(|c| c.urls.base_path().to_string()).unwrap_or_else(|_| "/".into());
    let site_url = format!("http://{}{base_path}", display_addr(addr));
    let (reload, _) = broadcast::channel(16);
    let shared =
        Arc::new(Shared { snapshot: RwLock::new(Snapshot::default()), reload, base_path, root: opts.root.clone() });
    let builder = Arc::new(Builder {
        opts: opts.clone(),
        site_url: site_url.clone(),
        cache: Mutex::new(content::Cache::for_rebuilds()),
        live: Mutex::new(None),
    });

    let started = Instant::now();
    // Builds run off the async threads: they are CPU-bound and the search
    // indexer runs its own runtime.
    let first = {
        let builder = Arc::clone(&builder);
        tokio::task::spawn_blocking(move || builder.full_build()).await.context("the first build stopped")?
    };
    let said = Said::of(&first);
    publish(&shared, first);
    said.print(started, "built");

    let (changes, mut changed) = mpsc::unbounded_channel::<Vec<PathBuf>>();
    let _watcher = watch(&opts.root, changes)?;
    let rebuilding = Arc::clone(&shared);
    let builder_for_search = Arc::clone(&builder);
    tokio::spawn(async move {
        while let Some(mut paths) = changed.recv().await {
            while let Ok(more) = changed.try_recv() {
                paths.extend(more);
            }
            let builder = Arc::clone(&builder);
            let started = Instant::now();
            let Ok(outcome) = tokio::task::spawn_blocking(move || builder.update(&paths)).await else { continue };
            // Timed once the new pages are what the server serves.
            let said = Said::of(&outcome);
            publish(&rebuilding, outcome);
            said.print(started, "rebuilt");
            let _ = rebuilding.reload.send(());
            // Then the search index, from the same save: the pages do not
            // wait for it.
            let builder = Arc::clone(&builder_for_search);
            let started = Instant::now();
            let Ok(Some(search)) = tokio::task::spawn_blocking(move || builder.search_update()).await else { continue };
            let said = Said::of(&search);
            publish(&rebuilding, search);
            said.print(started, "updated the search index:");
        }
    });

    println!("Serving at {site_url} (Ctrl+C to stop)");
    if opts.open {
        let _ = opener::open_browser(&site_url);
    }
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(
            crate::cms_proxy::API_PATH,
            post(cms_api).layer(axum::extract::DefaultBodyLimit::max(crate::cms_proxy::MAX_BODY)),
        )
        .fallback(get(file))
        .layer(axum::middleware::from_fn(local_hosts_only))
        .with_state(shared);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")
}

fn display_addr(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

/// Builds the site into memory, keeping loaded articles between builds
/// and the built site for live rebuilds.
struct Builder {
    opts: ServeOptions,
    site_url: String,
    cache: Mutex<content::Cache>,
    /// The last good build, when the latest full build succeeded.
    live: Mutex<Option<Live>>,
}

/// A finished build: what changed, or every problem as printed lines.
type Outcome = std::result::Result<Done, Vec<String>>;

struct Done {
    files: Files,
    warnings: Vec<String>,
    /// What was built, for the terminal: "46 articles", "1 article (12 pages)".
    summary: String,
}

enum Files {
    /// The whole site.
    All(HashMap<String, MemoryFile>),
    /// Pages written again; the rest stay as they are.
    Changed(Vec<(String, Vec<u8>)>),
}

impl Builder {
    /// The whole site with its search index: the build `serve` starts
    /// with, and the build after a change that a live update cannot make.
    fn full_build(&self) -> Outcome {
        let options = BuildOptions {
            root: self.opts.root.clone(),
            base_url: Some(self.site_url.clone()),
            now: chrono::Utc::now(),
            progress: false,
            ..self.opts.build.clone()
        };
        let memory = Memory::default();
        let mut cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut live = self.live.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // The held site goes first: two at once would double the memory.
        *live = None;
        match render(&options, &memory, &mut cache) {
            Ok(built) => {
                let report = built.report;
                *live = Some(Live::new(&self.opts.root, built.kept));
                Ok(Done {
                    files: Files::All(memory.into_files()),
                    warnings: crate::print::lines(&report.warnings),
                    summary: plural(report.articles, "article"),
                })
            }
            Err(e) => Err(crate::print::error_lines(&e)),
        }
    }

    /// The search index after the saves the last update made, if any.
    fn search_update(&self) -> Option<Outcome> {
        let mut live = self.live.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let update = live.as_mut()?.search_update()?;
        Some(match update {
            Ok(files) => {
                Ok(Done { summary: plural(files.len(), "file"), files: Files::Changed(files), warnings: Vec::new() })
            }
            Err(e) => Err(vec![format!("error: the search index: {e:#}")]),
        })
    }

    /// Brings the site up to date after `changed` files changed: only the
    /// pages that show a changed article when that is all it takes, else a
    /// full build.
    fn update(&self, changed: &[PathBuf]) -> Outcome {
        let update = {
            let mut live = self.live.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            live.as_mut().map(|live| live.update(changed, chrono::Utc::now()))
        };
        match update {
            Some(Update::Pages { articles, files, warnings }) => Ok(Done {
                summary: format!("{} ({})", plural(articles, "article"), plural(files.len(), "page")),
                files: Files::Changed(files),
                warnings: crate::print::lines(&warnings),
            }),
            Some(Update::Errors(errors)) => Err(crate::print::lines(&errors)),
            Some(Update::Rebuild) | None => self.full_build(),
        }
    }
}

/// What the terminal is told about a build: its warnings and summary, or
/// its errors.
struct Said(std::result::Result<(Vec<String>, String), Vec<String>>);

impl Said {
    fn of(outcome: &Outcome) -> Said {
        Said(match outcome {
            Ok(done) => Ok((done.warnings.clone(), done.summary.clone())),
            Err(errors) => Err(errors.clone()),
        })
    }

    fn print(&self, started: Instant, verb: &str) {
        let ms = started.elapsed().as_millis();
        match &self.0 {
            Ok((warnings, summary)) => {
                crate::print::problem_lines(warnings);
                println!("{verb} {summary} in {ms} ms");
            }
            Err(errors) => {
                crate::print::problem_lines(errors);
                crate::print::error_line(&format!(
                    "the site has errors ({verb} in {ms} ms); the last good version is served with the errors shown"
                ));
            }
        }
    }
}

fn publish(shared: &Shared, outcome: Outcome) {
    let mut snapshot = shared.snapshot.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    match outcome {
        Ok(Done { files: Files::All(files), .. }) => {
            *snapshot = Snapshot { files: Arc::new(files), errors: Vec::new() };
        }
        Ok(Done { files: Files::Changed(changed), .. }) => {
            // Copied only when a response still holds the previous files.
            let files = Arc::make_mut(&mut snapshot.files);
            for (key, bytes) in changed {
                files.insert(key, MemoryFile::Bytes(bytes.into()));
            }
            snapshot.errors = Vec::new();
        }
        Err(errors) => snapshot.errors = errors,
    }
}

/// Watches the site's sources; each debounced batch of changes sends one
/// message. Editors that save by writing a new file and renaming it over
/// the old one are seen, as the folders are watched, not the files.
fn watch(root: &Path, changes: mpsc::UnboundedSender<Vec<PathBuf>>) -> Result<impl Drop> {
    let watched: Vec<PathBuf> = broadsheet_base::layout::SOURCES.iter().map(|d| root.join(d)).collect();
    let config = root.join(broadsheet_base::layout::CONFIG);
    let relevant = {
        let watched = watched.clone();
        move |path: &Path| path == config || watched.iter().any(|w| path.starts_with(w))
    };
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        // Reading files (as every build does) raises access events: only
        // changes to what is in the files count.
        let changes_content = |kind: &EventKind| match kind {
            EventKind::Create(_) | EventKind::Remove(_) => true,
            EventKind::Modify(ModifyKind::Metadata(_)) => false,
            EventKind::Modify(_) => true,
            _ => false,
        };
        if let Ok(events) = result {
            let paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| changes_content(&e.kind))
                .flat_map(|e| e.paths.iter().filter(|p| relevant(p)).cloned())
                .collect();
            if !paths.is_empty() {
                let _ = changes.send(paths);
            }
        }
    })
    .context("cannot watch the site's files")?;
    for dir in watched.iter().filter(|d| d.is_dir()) {
        debouncer.watch(dir, RecursiveMode::Recursive).with_context(|| format!("cannot watch {}", dir.display()))?;
    }
    debouncer.watch(root, RecursiveMode::NonRecursive).with_context(|| format!("cannot watch {}", root.display()))?;
    Ok(debouncer)
}

/// The reload channel: an event stream that says "reload" after each rebuild.
async fn events(State(shared): State<Arc<Shared>>) -> Sse<impl Stream<Item = std::result::Result<Event, Infallible>>> {
    let receiver = shared.reload.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        match receiver.recv().await {
            Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => {
                Some((Ok(Event::default().event("reload").data("reload")), receiver))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Decap CMS's local backend (`cms_proxy`): the site's `content/` and
/// `static/`, for the editor at `/admin/` on this server.
async fn cms_api(
    State(shared): State<Arc<Shared>>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let root = shared.root.clone();
    let answer = tokio::task::spawn_blocking(move || crate::cms_proxy::handle(&root, peer, &headers, &body)).await;
    match answer {
        Ok((status, value)) => {
            let mut response = (status, value.to_string()).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The editor's `config.yml` as served here: its `local_backend: true`
/// (Decap's own proxy, on port 8081) becomes this server's address, so
/// `/admin/` on the preview saves into the site through `cms_api`.
async fn with_local_backend(response: Response, host: Option<&str>) -> Response {
    let plain = |h: &str| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    let Some(host) = host.filter(|h| plain(h)) else { return response };
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::cms_proxy::MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text = String::from_utf8_lossy(&bytes);
    let url = format!("local_backend:\n  url: \"http://{host}{}\"\n", crate::cms_proxy::API_PATH);
    let text = text.replacen("\nlocal_backend: true\n", &format!("\n{url}"), 1);
    let mut response = Response::from_parts(parts, Body::from(text));
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}

/// Serves one file of the built site.
async fn file(State(shared): State<Arc<Shared>>, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    let (files, errors) = {
        let snapshot = shared.snapshot.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        (Arc::clone(&snapshot.files), snapshot.errors.clone())
    };
    let root = shared.root.as_path();
    let Some(path) = request_path(uri.path()) else {
        return not_found(root, &files, &errors).await;
    };
    let base = shared.base_path.as_str();
    let Some(rel) = path.strip_prefix(base) else {
        // `/` and `/repo` lead to the site at `/repo/`.
        if path == "/" || format!("{path}/") == base {
            return redirect(base);
        }
        return not_found(root, &files, &errors).await;
    };
    let key = broadsheet_base::route::file_of(rel);
    match files.get(&key) {
        Some(found) if key == "admin/config.yml" => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            with_local_backend(respond(root, StatusCode::OK, &key, found, &errors).await, host).await
        }
        Some(found) => respond(root, StatusCode::OK, &key, found, &errors).await,
        None if files.contains_key(&format!("{key}/index.html")) => redirect(&format!("{path}/")),
        None if files.is_empty() => error_page(&errors),
        None => not_found(root, &files, &errors).await,
    }
}

/// Refuses requests for any host but this machine, by name or address
/// (`localhost`, `127.0.0.1`, `[::1]`, or the address of `--bind`): a web
/// page that points its own domain name at 127.0.0.1 (DNS rebinding)
/// cannot read the preview. A name is needed for that; an address typed
/// into the browser (a phone on the network with `--bind 0.0.0.0`) is
/// the address's own origin, so addresses are answered.
async fn local_hosts_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let host = request.headers().get(header::HOST).map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    match host {
        Some(host) if !is_local_host(&host) => {
            let message = format!(
                "Misdirected request: this preview answers only localhost, 127.0.0.1, [::1] or an address, not {host:?}\n"
            );
            (StatusCode::MISDIRECTED_REQUEST, message).into_response()
        }
        _ => next.run(request).await,
    }
}

/// Whether a `Host` header names this machine or an address (with or
/// without a port).
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => return v6.split(']').next().is_some_and(|a| a.parse::<std::net::Ipv6Addr>().is_ok()),
        None => {
            host.rsplit_once(':').map_or(host, |(name, port)| if port.parse::<u16>().is_ok() { name } else { host })
        }
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The decoded request path, or `None` when it could leave the site
/// (`..`, `.`, backslashes, NUL, invalid encoding).
fn request_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
    let bad_segment = decoded.split('/').any(|s| s == ".." || s == ".");
    if bad_segment || decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    Some(decoded.into_owned())
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

async fn not_found(root: &Path, files: &HashMap<String, MemoryFile>, errors: &[String]) -> Response {
    match files.get(broadsheet_base::route::Route::NOT_FOUND.as_str()) {
        Some(page) => {
            respond(root, StatusCode::NOT_FOUND, broadsheet_base::route::Route::NOT_FOUND.as_str(), page, errors).await
        }
        None if files.is_empty() => error_page(errors),
        None => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

/// The page served when no build has succeeded yet.
fn error_page(errors: &[String]) -> Response {
    let body = inject(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Site has errors</title></head><body></body></html>",
        errors,
    );
    html_response(StatusCode::INTERNAL_SERVER_ERROR, body.into_bytes())
}

async fn respond(root: &Path, status: StatusCode, key: &str, file: &MemoryFile, errors: &[String]) -> Response {
    let bytes = match file {
        MemoryFile::Bytes(bytes) => bytes.clone(),
        // The site's own files are opened beneath its folder at each
        // request: one swapped for a symbolic link out of it is refused.
        MemoryFile::Disk(path) => {
            let (root, path) = (root.to_path_buf(), path.clone());
            match tokio::task::spawn_blocking(move || broadsheet_base::confine::read(&root, &path)).await {
                Ok(Ok(bytes)) => bytes.into(),
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                    return (StatusCode::FORBIDDEN, "Forbidden: a symbolic link out of the site").into_response();
                }
                _ => return (StatusCode::NOT_FOUND, "Not found").into_response(),
            }
        }
        MemoryFile::Made(path) => match tokio::fs::read(path).await {
            Ok(bytes) => bytes.into(),
            Err(_) => return (StatusCode::NOT_FOUND, "Not found").into_response(),
        },
    };
    if key.ends_with(".html") {
        let html = String::from_utf8_lossy(&bytes);
        return html_response(status, inject(&html, errors).into_bytes());
    }
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let mut response = (status, Body::from(bytes)).into_response();
    if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn html_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Adds the reload script, and the error overlay while the site has errors,
/// just before `</body>`. Only `serve` does this; built files never carry it.
pub fn inject(html: &str, errors: &[String]) -> String {
    let mut extra = format!(
        // An open live blog is left to update itself, as readers see it.
        "<script>(function(){{if(document.querySelector(\"section.live[data-live-open]\"))return;var s=new EventSource(\"{EVENTS_PATH}\");s.addEventListener(\"reload\",function(){{location.reload();}});}})();</script>"
    );
    if !errors.is_empty() {
        let listed: String = errors.iter().map(|e| format!("<li>{}</li>", escape_html(e))).collect();
        extra.push_str(&format!(
            "<div id=\"broadsheet-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
             background:rgba(30,0,0,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem\">\
             <p style=\"font-weight:bold;font-size:18px;margin:0 0 1rem\">The site has errors; this is the last version that built.</p>\
             <ul style=\"margin:0;padding-left:1.25rem\">{listed}</ul></div>"
        ));
    }
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_never_leave_the_site() {
        assert_eq!(request_path("/world/x/").as_deref(), Some("/world/x/"));
        assert_eq!(request_path("/caf%C3%A9/").as_deref(), Some("/café/"));
        for bad in ["/../etc/passwd", "/a/%2e%2e/b", "/a/..%2fb", "/a\\b", "/a%00b", "/./x"] {
            assert_eq!(request_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn injection_goes_before_body_end_and_escapes_errors() {
        let out = inject("<html><body><p>x</p></body></html>", &["a.md:1:1: error: <bad>".into()]);
        assert!(out.ends_with("</div></body></html>"), "{out}");
        assert!(out.contains("EventSource"));
        assert!(out.contains("a.md:1:1: error: &lt;bad&gt;"));
        assert!(!inject("<body></body>", &[]).contains("broadsheet-errors"));
    }
}
