//! `broadsheet reactions serve`: the counter's HTTP service.
//!
//! Every path but `/health` is the endpoint, so it can sit behind a proxy
//! at `/api` or at the root:
//! - `GET ?id=<article id>`: the counts, `{"Excited": 3, ...}`, one per label;
//! - `POST`, JSON `{"id", "reaction", "previous", "reader"}`: a vote, answered
//!   with the new counts (409 and the reader's stored reaction when
//!   `previous` is not it);
//! - `POST`, form-encoded `id` and `reaction` (the page without
//!   JavaScript): a vote by the reader in the `broadsheet_reader` cookie
//!   (made on the first vote), answered with a redirect back to the article;
//! - `GET /health`: 200 once the articles are known and the database open,
//!   with the open-file limit and the connections open and allowed.
//!
//! In front of them: the connection caps and header timeout (`listen`),
//! security headers, CORS for the allowed origins only, a per-address rate
//! limit (addresses are held in memory for the limit only, never written
//! down), a refusal of posts that do not say they come from an allowed
//! origin, a body limit and a body timeout.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use serde_json::{Value, json};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use super::listen::Limits;

use super::ArticlesFile;
use super::listen::{self, Gate, OpenFiles};
use super::store::{self, Counts, Outcome, Previous, Reader, Readers, Vote, WriteError, Writer};

/// The largest request body taken (a vote is under 200 bytes).
pub const MAX_BODY: usize = 4096;
/// The cookie that carries a no-JavaScript reader's token.
const COOKIE: &str = "broadsheet_reader";
/// Addresses the rate limiter tracks before it forgets the idle ones early.
const MAX_TRACKED: usize = 100_000;

/// How the service runs: what `broadsheet reactions serve` takes on its
/// command line. The connection limits are [`Limits`].
pub struct Options {
    /// The SQLite database, created when missing; its folder must exist.
    pub db: PathBuf,
    /// The built site: its folder or its address.
    pub site: String,
    /// The address to listen on; the command's default, `127.0.0.1`,
    /// takes connections from this machine only (a proxy in front).
    pub bind: IpAddr,
    /// The port to listen on; 0 picks a free one, told to `ready`.
    pub port: u16,
    /// Origins allowed to read and post; none: the site's own.
    pub origins: Vec<String>,
    /// How often the articles file is read again (also on SIGHUP).
    pub refresh: Option<Duration>,
    /// Requests per second one address may make, on average.
    pub rate: NonZeroU32,
    /// Requests one address may make at once before `rate` applies.
    pub burst: NonZeroU32,
    /// Take the client's address from the last `X-Forwarded-For` entry
    /// (set by a proxy in front), not from the connection.
    pub behind_proxy: bool,
    /// How often the totals line is logged.
    pub log_every: Duration,
}

/// What the site says exists.
struct Known {
    labels: Vec<String>,
    articles: HashMap<String, String>,
    origin: Option<String>,
}

impl Known {
    fn from(file: ArticlesFile) -> Known {
        let origin = file.origin();
        Known { labels: file.labels, articles: file.articles.into_iter().collect(), origin }
    }
}

#[derive(Default)]
struct Stats {
    reads: AtomicU64,
    votes: AtomicU64,
    refused: AtomicU64,
    limited: AtomicU64,
}

struct App {
    site: String,
    known: RwLock<Arc<Known>>,
    /// Allowed origins given on the command line.
    origins: Vec<String>,
    readers: Readers,
    /// One permit per read connection: reads wait for one, so the
    /// database never holds more files than `listen` keeps room for.
    reading: Arc<tokio::sync::Semaphore>,
    writer: Writer,
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    behind_proxy: bool,
    body_timeout: Duration,
    gate: Arc<Gate>,
    open_files: OpenFiles,
    stats: Stats,
}

impl App {
    fn known(&self) -> Arc<Known> {
        match self.known.read() {
            Ok(known) => known.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn allows(&self, origin: &[u8]) -> bool {
        let allowed = |o: &str| o.as_bytes() == origin;
        if self.origins.is_empty() {
            self.known().origin.as_deref().is_some_and(allowed)
        } else {
            self.origins.iter().any(|o| allowed(o))
        }
    }

    /// Where a post may come from: an allowed `Origin` (browsers send it
    /// with every post, from a script or a form); without one, the form
    /// only, when its `Referer` is a page of an allowed origin.
    fn check_origin(&self, headers: &HeaderMap) -> Result<(), String> {
        if let Some(origin) = headers.get(header::ORIGIN) {
            if self.allows(origin.as_bytes()) {
                return Ok(());
            }
            let shown = String::from_utf8_lossy(origin.as_bytes()).into_owned();
            return Err(format!("posts from {shown} are not accepted here"));
        }
        if media_type(headers) == "application/x-www-form-urlencoded"
            && let Some(origin) = referer_origin(headers)
            && self.allows(origin.as_bytes())
        {
            return Ok(());
        }
        Err("a vote must come from the site's pages: this one has no Origin header (nor, for the form, a Referer) from an allowed origin".into())
    }

    /// The rate limit's key: the client's address, an IPv6 one by its /64
    /// (one household or phone), so rotating addresses in it buys nothing.
    fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let forwarded = || {
            let last = headers.get_all("x-forwarded-for").iter().next_back()?;
            last.to_str().ok()?.rsplit(',').next()?.trim().parse::<IpAddr>().ok()
        };
        listen::client_key(if self.behind_proxy { forwarded().unwrap_or(peer) } else { peer })
    }

    fn refuse(&self, status: StatusCode, message: impl Into<String>) -> Response {
        self.stats.refused.fetch_add(1, Ordering::Relaxed);
        answer(status, json!({ "error": message.into() }))
    }
}

/// The request's media type, lowercase, without parameters.
fn media_type(headers: &HeaderMap) -> String {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The origin of the page a request says it comes from.
fn referer_origin(headers: &HeaderMap) -> Option<String> {
    let referer = url::Url::parse(headers.get(header::REFERER)?.to_str().ok()?).ok()?;
    let origin = referer.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

fn answer(status: StatusCode, body: Value) -> Response {
    let headers = [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")];
    (status, headers, body.to_string()).into_response()
}

/// The counts in the labels' order, with a 0 for a label no one chose.
fn counts_json(labels: &[String], counts: &Counts) -> Value {
    let map = labels.iter().map(|l| (l.clone(), json!(counts.get(l).copied().unwrap_or(0)))).collect();
    Value::Object(map)
}

/// Starts the service with the default [`Limits`]; `ready` is told the
/// address once it listens. Returns after SIGTERM or Ctrl-C, once the
/// votes taken are committed.
pub async fn run(opts: Options, ready: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    serve(opts, Limits::default(), ready, stopped()).await
}

/// [`run`] with these limits, until `shutdown` completes.
pub async fn serve(
    opts: Options,
    limits: Limits,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let file = load(&opts.site).await?;
    let mut origins = Vec::new();
    for o in &opts.origins {
        let url = url::Url::parse(o)
            .with_context(|| format!("--origin {o}: expected an origin like https://user.github.io"))?;
        let origin = url.origin();
        if !origin.is_tuple() {
            anyhow::bail!("--origin {o}: expected an origin like https://user.github.io");
        }
        origins.push(origin.ascii_serialization());
    }
    if let Some(dir) = opts.db.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        anyhow::bail!("cannot open the database {}: there is no folder {}", opts.db.display(), dir.display());
    }
    let open_files = OpenFiles::raise();
    let writer = Writer::start(&opts.db)?;
    let known = Known::from(file);
    let limiter = RateLimiter::keyed(Quota::per_second(opts.rate).allow_burst(opts.burst));
    let max = limits.connections.unwrap_or_else(|| open_files.connections());
    let per_address = (!opts.behind_proxy).then_some(limits.per_address);
    let app = Arc::new(App {
        site: opts.site.clone(),
        known: RwLock::new(Arc::new(known)),
        origins,
        readers: Readers::new(&opts.db),
        reading: Arc::new(tokio::sync::Semaphore::new(store::READERS)),
        writer,
        limiter,
        behind_proxy: opts.behind_proxy,
        body_timeout: limits.body_timeout,
        gate: Gate::new(max, per_address),
        open_files,
        stats: Stats::default(),
    });
    let listener = listen::bind(SocketAddr::new(opts.bind, opts.port))
        .with_context(|| format!("cannot listen on {}:{}", opts.bind, opts.port))?;
    let addr = listener.local_addr()?;
    say_started(&app, &limits, &opts, addr);
    ready(addr);

    tokio::spawn(log_totals(app.clone(), opts.log_every));
    tokio::spawn(forget_idle_clients(app.clone()));
    tokio::spawn(reload_on_hangup(app.clone()));
    if let Some(every) = opts.refresh {
        tokio::spawn(refresh(app.clone(), every));
    }

    let cors_app = app.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| cors_app.allows(origin.as_bytes())))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(86_400));
    let router = Router::new()
        .route("/health", get(health))
        .fallback(endpoint)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(cors)
        .layer(middleware::from_fn(security_headers))
        .with_state(app.clone());
    listen::serve(listener, router, app.gate.clone(), limits.header_timeout, shutdown).await;

    // Commit what was taken before stopping.
    let stopping = app.clone();
    let _ = tokio::task::spawn_blocking(move || stopping.writer.finish()).await;
    let totals = app.readers.with(store::totals).unwrap_or_default();
    println!("reactions: stopped; {} votes on {} articles in all", totals.0, totals.1);
    Ok(())
}

/// The startup lines: what is counted, the limits, the address.
fn say_started(app: &App, limits: &Limits, opts: &Options, addr: SocketAddr) {
    let known = app.known();
    let allowed =
        if app.origins.is_empty() { known.origin.clone().unwrap_or_default() } else { app.origins.join(", ") };
    println!(
        "reactions: counting {} for {} articles, from {allowed}; database {}",
        known.labels.join(", "),
        known.articles.len(),
        opts.db.display()
    );
    let files = app.open_files;
    let raised = if files.limit > files.was { format!(" (raised from {})", files.was) } else { String::new() };
    let per_address = match app.gate.per_address() {
        Some(n) => format!("{n} from one address"),
        None => "no cap per address (behind a proxy)".into(),
    };
    println!(
        "reactions: open-file limit {}{raised}; at most {} connections, {per_address}; headers within {:?}, bodies within {:?}",
        files.limit,
        app.gate.max(),
        limits.header_timeout,
        limits.body_timeout
    );
    println!("reactions: listening on http://{addr}/");
}

async fn load(site: &str) -> anyhow::Result<ArticlesFile> {
    let site = site.to_string();
    tokio::task::spawn_blocking(move || super::load_articles(&site)).await.context("cannot read the site")?
}

async fn stopped() {
    use tokio::signal::unix::{SignalKind, signal};
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}

async fn reload(app: &App, always_say: bool) {
    match load(&app.site).await {
        Ok(file) => {
            let known = Known::from(file);
            let before = app.known().articles.len();
            let now = known.articles.len();
            if let Ok(mut slot) = app.known.write() {
                *slot = Arc::new(known);
            }
            if always_say || before != now {
                println!("reactions: read the site again: {now} articles");
            }
        }
        Err(e) => eprintln!("reactions: kept the last list of articles: {e:#}"),
    }
}

async fn reload_on_hangup(app: Arc<App>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangup) = signal(SignalKind::hangup()) else { return };
    while hangup.recv().await.is_some() {
        reload(&app, true).await;
    }
}

async fn refresh(app: Arc<App>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        reload(&app, false).await;
    }
}

/// One line per period with what happened, never one per request.
async fn log_totals(app: Arc<App>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let s = &app.stats;
        let take = |n: &AtomicU64| n.swap(0, Ordering::Relaxed);
        let (reads, votes, refused, limited) = (take(&s.reads), take(&s.votes), take(&s.refused), take(&s.limited));
        let closed = app.gate.take_refused();
        let reading = app.clone();
        let totals = tokio::task::spawn_blocking(move || reading.readers.with(store::totals)).await;
        let (all, articles) = totals.ok().and_then(Result::ok).unwrap_or_default();
        println!(
            "reactions: {reads} count reads, {votes} votes, {refused} refused, {limited} rate-limited, {closed} connections over a cap in the last {} s; {all} votes on {articles} articles in all",
            every.as_secs()
        );
    }
}

/// The rate limiter's table holds only addresses seen lately.
async fn forget_idle_clients(app: Arc<App>) {
    let mut ticks = tokio::time::interval(Duration::from_secs(10));
    loop {
        ticks.tick().await;
        app.limiter.retain_recent();
        app.limiter.shrink_to_fit();
    }
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-resource-policy"), "cross-origin"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Rate limits, then refuses posts that do not come from an allowed
/// origin (a browser sends `Origin` with every post; CORS alone only hides
/// the answer, it does not stop a form post from being counted; a script
/// that sends no `Origin` is not a reader's browser).
async fn guard(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path() != "/health" {
        if app.limiter.len() > MAX_TRACKED {
            app.limiter.retain_recent();
        }
        let key = app.client(peer.ip(), request.headers());
        if let Err(not_until) = app.limiter.check_key(&key) {
            app.stats.limited.fetch_add(1, Ordering::Relaxed);
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let mut response =
                answer(StatusCode::TOO_MANY_REQUESTS, json!({ "error": "too many requests: try again shortly" }));
            let secs = wait.as_secs() + 1;
            if let Ok(value) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return unread(response);
        }
        // A body said to be too large is refused before it is read (one
        // sent in chunks is cut off at the limit as it is read).
        let length = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if length.is_some_and(|n| n > MAX_BODY as u64) {
            return unread(app.refuse(StatusCode::PAYLOAD_TOO_LARGE, format!("the body is over {MAX_BODY} bytes")));
        }
        if request.method() == Method::POST
            && let Err(message) = app.check_origin(request.headers())
        {
            return unread(app.refuse(StatusCode::FORBIDDEN, message));
        }
    }
    next.run(request).await
}

/// An answer given before the request's body was read: the connection is
/// closed after it (the body is still on its way), and `Connection: close`
/// says so, so that a client does not send its next request on it.
fn unread(mut response: Response) -> Response {
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

async fn health(State(app): State<Arc<App>>) -> Response {
    let known = app.known();
    let body = json!({
        "status": "ready",
        "articles": known.articles.len(),
        "labels": known.labels,
        "open_files": app.open_files.limit,
        "connections": {
            "open": app.gate.open(),
            "max": app.gate.max(),
            "per_address": app.gate.per_address(),
        },
    });
    answer(StatusCode::OK, body)
}

async fn endpoint(State(app): State<Arc<App>>, request: Request) -> Response {
    match request.method().clone() {
        Method::GET | Method::HEAD => read_counts(app, request.uri().clone()).await,
        Method::POST => {
            let headers = request.headers().clone();
            match read_body(&app, request).await {
                Ok(body) => vote(app, &headers, &body).await,
                Err(refused) => refused,
            }
        }
        _ => {
            let mut response = app.refuse(StatusCode::METHOD_NOT_ALLOWED, "only GET and POST are answered here");
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
            response
        }
    }
}

/// The body, if it arrives whole, under the limit, in time.
async fn read_body(app: &App, request: Request) -> Result<Bytes, Response> {
    match tokio::time::timeout(app.body_timeout, Bytes::from_request(request, &())).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(rejection)) => {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("the body is over {MAX_BODY} bytes")
            } else {
                rejection.body_text()
            };
            Err(app.refuse(status, message))
        }
        Err(_) => {
            let message = format!("the body did not arrive within {:?}", app.body_timeout);
            Err(unread(app.refuse(StatusCode::REQUEST_TIMEOUT, message)))
        }
    }
}

async fn read_counts(app: Arc<App>, uri: Uri) -> Response {
    let query = uri.query().unwrap_or("");
    let Some(id) = url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "id").map(|(_, v)| v.into_owned())
    else {
        return app.refuse(StatusCode::BAD_REQUEST, "ask for an article's counts with ?id=<article id>");
    };
    let known = app.known();
    if !known.articles.contains_key(&id) {
        return app.refuse(StatusCode::BAD_REQUEST, format!("there is no article {id:?} on this site"));
    }
    // The permit goes with the read, which runs on even if the client
    // leaves.
    let Ok(permit) = app.reading.clone().acquire_owned().await else {
        return answer(StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": "cannot read the counts" }));
    };
    let reading = app.clone();
    let counts = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        reading.readers.with(|c| store::counts(c, &id))
    })
    .await;
    match counts {
        Ok(Ok(counts)) => {
            app.stats.reads.fetch_add(1, Ordering::Relaxed);
            let mut response = answer(StatusCode::OK, counts_json(&known.labels, &counts));
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        _ => answer(StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": "cannot read the counts" })),
    }
}

/// The JSON body of a vote.
#[derive(Deserialize)]
struct VoteBody {
    id: String,
    reaction: String,
    #[serde(default)]
    previous: Option<String>,
    #[serde(default)]
    reader: Option<String>,
}

/// A reader token is what `reactions.js` makes: 16 to 128 letters, digits,
/// `-` or `_`.
fn valid_token(token: &str) -> bool {
    (16..=128).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('=').map(str::to_string))
        .filter(|t| valid_token(t))
}

fn new_token() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(store::hex(&bytes))
}

async fn vote(app: Arc<App>, headers: &HeaderMap, body: &[u8]) -> Response {
    let media = media_type(headers);
    let known = app.known();
    let (article, reaction, previous, token, form, minted) = match media.as_str() {
        "application/json" => {
            let body: VoteBody = match serde_json::from_slice(body) {
                Ok(body) => body,
                Err(e) => return app.refuse(StatusCode::BAD_REQUEST, format!("the body is not a vote: {e}")),
            };
            let Some(token) = body.reader.filter(|t| valid_token(t)) else {
                return app.refuse(
                    StatusCode::BAD_REQUEST,
                    "a vote needs \"reader\": the reader's random token (16 to 128 letters, digits, - or _)",
                );
            };
            (body.id, body.reaction, Previous::Was(body.previous), token, false, false)
        }
        "application/x-www-form-urlencoded" => {
            let mut fields: HashMap<String, String> = HashMap::new();
            for (k, v) in url::form_urlencoded::parse(body) {
                fields.entry(k.into_owned()).or_insert_with(|| v.into_owned());
            }
            let (Some(id), Some(reaction)) = (fields.remove("id"), fields.remove("reaction")) else {
                return app.refuse(StatusCode::BAD_REQUEST, "a vote needs the fields id and reaction");
            };
            let (token, minted) = match cookie_token(headers) {
                Some(token) => (token, false),
                None => match new_token() {
                    Some(token) => (token, true),
                    None => return answer(StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": "no randomness" })),
                },
            };
            (id, reaction, Previous::Any, token, true, minted)
        }
        _ => {
            return app.refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send a vote as application/json or application/x-www-form-urlencoded",
            );
        }
    };
    let Some(address) = known.articles.get(&article) else {
        return app.refuse(StatusCode::BAD_REQUEST, format!("there is no article {article:?} on this site"));
    };
    let label = |l: &str| known.labels.iter().any(|k| k == l);
    if !label(&reaction) {
        let labels = known.labels.join(", ");
        return app.refuse(StatusCode::BAD_REQUEST, format!("{reaction:?} is not a reaction here ({labels})"));
    }
    if let Previous::Was(Some(previous)) = &previous
        && !label(previous)
    {
        return app.refuse(StatusCode::BAD_REQUEST, format!("previous {previous:?} is not a reaction here"));
    }
    let vote = Vote { reader: Reader::new(&token, &article), article, reaction, previous };
    match app.writer.vote(vote).await {
        Ok((Outcome::Counted, counts)) => {
            app.stats.votes.fetch_add(1, Ordering::Relaxed);
            if !form {
                return answer(StatusCode::OK, counts_json(&known.labels, &counts));
            }
            let back = address.clone() + "#reactions-heading";
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let Ok(location) = HeaderValue::from_str(&back) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            if minted {
                let cookie = format!("{COOKIE}={token}; Max-Age=31536000; Path=/; HttpOnly; Secure; SameSite=None");
                if let Ok(cookie) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().insert(header::SET_COOKIE, cookie);
                }
            }
            response
        }
        Ok((Outcome::Conflict { yours }, counts)) => {
            app.stats.refused.fetch_add(1, Ordering::Relaxed);
            let body = json!({
                "error": "previous is not this reader's reaction: nothing changed",
                "yours": yours,
                "counts": counts_json(&known.labels, &counts),
            });
            answer(StatusCode::CONFLICT, body)
        }
        Err(WriteError::Busy) => {
            let mut response = answer(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "error": "too many votes at once: try again shortly" }),
            );
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Err(WriteError::Failed(e)) => {
            eprintln!("reactions: {e}");
            answer(StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": "the vote was not recorded" }))
        }
    }
}
