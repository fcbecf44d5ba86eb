//! `deploy --to s3://...`: publishes a built folder to object storage (Amazon
//! S3 and S3-compatible stores) through Apache Arrow's `object_store`, which
//! signs requests, finds credentials (environment, web identity/OIDC, ECS,
//! instance metadata) and retries with backoff.
//!
//! Incremental: a manifest under the prefix (`.broadsheet-manifest.json`:
//! path -> blake3, size, Content-Type, Cache-Control) is read once, and only
//! files whose entry differs are uploaded; a normal deploy never lists the
//! bucket (`verify` does, and repairs what drifted). Never half-updated:
//! uploads go in waves (assets and photos, then pages, then feeds, sitemaps
//! and the search index), the manifest is written after them, and stale
//! objects are removed last, at most `max_deletes` of them. The manifest
//! written before the removals still names the stale objects, so a deploy
//! stopped anywhere converges on the next run.
//!
//! With `gzip`, text files are stored compressed with `Content-Encoding:
//! gzip` (a website endpoint and a CDN serve objects as stored, and every
//! browser reads gzip). With a CDN (`cdn`), the changed addresses are
//! invalidated once the bucket holds the new site.
//!
//! It knows no site: the caller checks the folder is a build's output and
//! says which top-level names to leave out.

pub mod cdn;
pub mod plan;
pub mod target;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use broadsheet_base::error::Refused;
use futures_util::stream::{self, StreamExt as _, TryStreamExt as _};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, ObjectStore, PutOptions, PutPayload, RetryConfig,
};

pub use crate::cdn::{Cdn, Invalidated};
use crate::plan::{Local, MANIFEST, Manifest, Plan};
pub use crate::target::Target;

/// What to deploy where, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The built site (checked by the caller to be a build's output).
    pub folder: PathBuf,
    /// The bucket and prefix to publish to.
    pub target: Target,
    /// Top-level names in the folder never published (the build's mark).
    pub skip: Vec<String>,
    /// Decide and report, change nothing.
    pub dry_run: bool,
    /// List the bucket under the prefix and repair what differs from the manifest.
    pub verify: bool,
    /// Refuse (changing nothing) a deploy that would remove more objects.
    pub max_deletes: usize,
    /// Requests in flight at once.
    pub jobs: usize,
    /// Store text files gzip-compressed, with `Content-Encoding: gzip`.
    pub gzip: bool,
    /// The CDN to tell what changed, and the site's public address (ending
    /// in `/`) its addresses are under.
    pub cdn: Option<(Cdn, url::Url)>,
}

/// What a deploy did (or, for a dry run, would do).
#[derive(Debug)]
pub struct Report {
    /// Site-relative paths uploaded, in the order of the waves.
    pub uploaded: Vec<String>,
    /// Built files the bucket already held as they are.
    pub unchanged: usize,
    /// Site-relative paths removed (no longer built).
    pub deleted: Vec<String>,
    /// Bytes uploaded (as stored: compressed with `gzip`).
    pub bytes: u64,
    /// Wall time, from reading the folder to the last request.
    pub elapsed: Duration,
    /// Whether nothing was changed (`dry_run`).
    pub dry_run: bool,
    /// What the CDN was asked, or why it could not be told (the bucket
    /// is up to date either way); none without a CDN or for a dry run.
    pub cdn: Option<Result<Invalidated, String>>,
}

const INSTEAD: &str = "Nothing was changed in the bucket. Check that --to names the right bucket and prefix, then pass a larger --max-deletes to allow it";

/// Publishes the folder to the target (see the crate's docs); the error
/// says what was left as it was.
pub fn deploy(opts: &Options) -> broadsheet_base::error::Result<Report> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the upload threads")?;
    runtime.block_on(run(opts))
}

fn connect(target: &Target) -> Result<AmazonS3> {
    let retry =
        RetryConfig { backoff: BackoffConfig::default(), max_retries: 5, retry_timeout: Duration::from_secs(120) };
    let client =
        ClientOptions::new().with_connect_timeout(Duration::from_secs(10)).with_timeout(Duration::from_secs(120));
    let mut builder =
        AmazonS3Builder::from_env().with_bucket_name(&target.bucket).with_retry(retry).with_client_options(client);
    if let Some(endpoint) = &target.endpoint {
        builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
    }
    if let Some(region) = &target.region {
        builder = builder.with_region(region);
    }
    builder.build().with_context(|| format!("cannot use {target}"))
}

fn object(target: &Target, rel: &str) -> Result<ObjectPath> {
    let key = target.key(rel);
    ObjectPath::parse(&key).map_err(|e| anyhow::anyhow!("{key} cannot be stored under this name ({e})"))
}

async fn run(opts: &Options) -> broadsheet_base::error::Result<Report> {
    let started = Instant::now();
    let target = &opts.target;
    let (folder, skip) = (opts.folder.clone(), opts.skip.clone());
    let gzip = opts.gzip;
    if let Some((cdn, _)) = &opts.cdn {
        cdn.check()?;
    }
    let locals = tokio::task::spawn_blocking(move || {
        let skip: Vec<&str> = skip.iter().map(String::as_str).collect();
        plan::scan(&folder, &skip, gzip)
    })
    .await
    .context("reading the built folder failed")??;
    if locals.is_empty() {
        return Err(anyhow::anyhow!("{} is empty: nothing to publish", opts.folder.display()).into());
    }
    let s3 = connect(target)?;
    let credentials = Arc::clone(s3.credentials());
    let store: Arc<dyn ObjectStore> = Arc::new(s3);
    let manifest_path = object(target, MANIFEST)?;
    let old = read_remote_manifest(store.as_ref(), &manifest_path, target, opts.verify).await?;
    let listed = if opts.verify { Some(list(store.as_ref(), target).await?) } else { None };
    let plan = plan::diff(&locals, &old, listed.as_ref());
    if plan.delete.len() > opts.max_deletes {
        let why = format!(
            "deploying it to {target} would delete {} objects there, more than --max-deletes {} allows",
            plan.delete.len(),
            opts.max_deletes
        );
        return Err(Refused { folder: opts.folder.clone(), why, instead: INSTEAD }.into());
    }
    let uploaded: Vec<String> = plan.upload.iter().map(|&i| locals[i].rel.clone()).collect();
    let mut bytes = plan.upload.iter().map(|&i| locals[i].entry.size).sum();
    let mut cdn = None;
    if !opts.dry_run {
        bytes = apply(store.as_ref(), opts, &locals, &old, plan.clone(), &manifest_path).await?;
        if let Some((which, site)) = &opts.cdn {
            let changed: Vec<String> = uploaded.iter().chain(&plan.delete).cloned().collect();
            let told = async {
                let credential = match which {
                    Cdn::CloudFront { .. } => Some(credentials.get_credential().await?),
                    Cdn::Cloudflare { .. } => None,
                };
                cdn::invalidate(which, &cdn::client()?, credential.as_deref(), site, &changed).await
            };
            cdn = Some(told.await.map_err(|e| format!("{e:#}")));
        }
    }
    Ok(Report {
        uploaded,
        unchanged: plan.unchanged,
        deleted: plan.delete,
        bytes,
        elapsed: started.elapsed(),
        dry_run: opts.dry_run,
        cdn,
    })
}

/// The manifest a previous deploy wrote; empty for a first deploy. A
/// damaged one is an error, except when verifying, which rebuilds it.
async fn read_remote_manifest(
    store: &dyn ObjectStore,
    path: &ObjectPath,
    target: &Target,
    verify: bool,
) -> Result<Manifest> {
    let bytes = match store.get(path).await {
        Ok(found) => found.bytes().await.with_context(|| format!("cannot read {path} from {target}"))?,
        Err(object_store::Error::NotFound { .. }) => return Ok(Manifest::default()),
        Err(e) => return Err(anyhow::Error::new(e).context(format!("cannot read {path} from {target}"))),
    };
    match plan::read_manifest(&bytes) {
        Ok(manifest) => Ok(manifest),
        Err(_) if verify => Ok(Manifest::default()),
        Err(e) => Err(e.context(format!("{path} in {target}: deploy with --verify to rebuild it from the bucket"))),
    }
}

/// Every object under the prefix: site-relative path -> size.
async fn list(store: &dyn ObjectStore, target: &Target) -> Result<BTreeMap<String, u64>> {
    let prefix = match target.prefix.as_str() {
        "" => None,
        prefix => Some(ObjectPath::parse(prefix).context("the prefix")?),
    };
    let mut listing = store.list(prefix.as_ref());
    let mut found = BTreeMap::new();
    while let Some(meta) = listing.next().await {
        let meta = meta.with_context(|| format!("cannot list {target}"))?;
        let key = meta.location.as_ref();
        let rel = if target.prefix.is_empty() { Some(key) } else { key.strip_prefix(&format!("{}/", target.prefix)) };
        if let Some(rel) = rel {
            found.insert(rel.to_string(), meta.size);
        }
    }
    Ok(found)
}

/// Uploads in waves, writes the manifest, removes what went; returns the
/// bytes uploaded.
async fn apply(
    store: &dyn ObjectStore,
    opts: &Options,
    locals: &[Local],
    old: &Manifest,
    mut plan: Plan,
    manifest_path: &ObjectPath,
) -> Result<u64> {
    let target = &opts.target;
    let mut bytes = 0;
    let progress = progress_bar(plan.upload.len());
    for wave in [plan::Wave::Assets, plan::Wave::Pages, plan::Wave::Indexes] {
        let batch = plan.upload.iter().map(|&i| &locals[i]).filter(|l| l.wave == wave);
        let progress = &progress;
        let stored: Vec<(&str, u64)> = stream::iter(batch)
            .map(|local| async move {
                let size = upload(store, target, local).await?;
                progress.inc(1);
                Ok::<_, anyhow::Error>((local.rel.as_str(), size))
            })
            .buffer_unordered(opts.jobs.max(1))
            .try_collect()
            .await?;
        for (rel, size) in stored {
            bytes += size;
            if let Some(entry) = plan.next.files.get_mut(rel)
                && entry.size != size
            {
                entry.stored_size = Some(size);
            }
        }
    }
    // Written before the removals and still naming what is about to go,
    // so a deploy stopped while removing finishes them next time.
    let mut before = plan.next.clone();
    for rel in &plan.delete {
        if let Some(entry) = old.files.get(rel) {
            before.files.insert(rel.clone(), entry.clone());
        }
    }
    progress.finish_and_clear();
    if &before != old {
        put_manifest(store, manifest_path, &before).await?;
    }
    if plan.delete.is_empty() {
        return Ok(bytes);
    }
    let doomed: Vec<object_store::Result<ObjectPath>> =
        plan.delete.iter().map(|rel| object(target, rel).map_err(|e| generic(e.to_string()))).collect();
    store
        .delete_stream(stream::iter(doomed).boxed())
        .try_for_each(|_| async { Ok(()) })
        .await
        .or_else(|e| match e {
            object_store::Error::NotFound { .. } => Ok(()),
            e => Err(e),
        })
        .with_context(|| format!("cannot remove stale objects from {target}"))?;
    if before != plan.next {
        put_manifest(store, manifest_path, &plan.next).await?;
    }
    Ok(bytes)
}

/// Files uploaded of how many, with the time left, on standard error when
/// it is a terminal (hidden otherwise, so logs and CI output stay plain).
fn progress_bar(total: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template("Uploading {pos}/{len} files [{bar:30}] {per_sec}, {eta} left")
        .map(|s| s.progress_chars("=> "));
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}

fn generic(message: String) -> object_store::Error {
    object_store::Error::Generic { store: "S3", source: message.into() }
}

/// Uploads one file with its headers (compressed when its entry says so);
/// returns the size stored.
async fn upload(store: &dyn ObjectStore, target: &Target, local: &Local) -> Result<u64> {
    let mut bytes =
        tokio::fs::read(&local.path).await.with_context(|| format!("cannot read {}", local.path.display()))?;
    if blake3::hash(&bytes).to_hex().as_str() != local.entry.hash {
        bail!("{} changed while it was being deployed; deploy again once the build is done", local.path.display());
    }
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, local.entry.content_type.clone().into());
    attributes.insert(Attribute::CacheControl, local.entry.cache_control.clone().into());
    if let Some(encoding) = &local.entry.content_encoding {
        bytes =
            tokio::task::spawn_blocking(move || broadsheet_base::gzip::compress(&bytes, broadsheet_base::gzip::SMALL))
                .await
                .context("compressing failed")??;
        attributes.insert(Attribute::ContentEncoding, encoding.clone().into());
    }
    let size = bytes.len() as u64;
    let path = object(target, &local.rel)?;
    store
        .put_opts(&path, PutPayload::from(bytes), PutOptions { attributes, ..PutOptions::default() })
        .await
        .with_context(|| format!("cannot upload {} to {target}", local.rel))?;
    Ok(size)
}

async fn put_manifest(store: &dyn ObjectStore, path: &ObjectPath, manifest: &Manifest) -> Result<()> {
    let bytes = serde_json::to_vec(manifest).context("cannot write the manifest")?;
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, "application/json".into());
    attributes.insert(Attribute::CacheControl, "no-store".into());
    store
        .put_opts(path, PutPayload::from(bytes), PutOptions { attributes, ..PutOptions::default() })
        .await
        .with_context(|| format!("cannot write {path}"))?;
    Ok(())
}
