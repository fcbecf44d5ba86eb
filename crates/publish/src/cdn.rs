//! After a deploy: tells the CDN in front of the bucket which addresses
//! changed, so readers get the new pages before their Cache-Control runs
//! out (`deploy --invalidate cloudfront:ID` or `cloudflare:ZONE`).
//!
//! Exactly the changed addresses, batched (CloudFront takes up to 3,000
//! paths in one invalidation, Cloudflare 30 addresses per purge request);
//! past [`EVERYTHING_PAST`] addresses one wildcard for the whole site is
//! sent instead, because CloudFront bills every path past the first 1,000 a
//! month and a wildcard counts as one. CloudFront requests are signed with
//! `object_store`'s SigV4 signer and the deploy's own AWS credentials;
//! Cloudflare takes an API token from `CLOUDFLARE_API_TOKEN`. The services'
//! addresses can be replaced (`AWS_ENDPOINT_URL_CLOUDFRONT`,
//! `CLOUDFLARE_API_BASE_URL`), which is how the tests reach local stand-ins.

use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use object_store::aws::AwsCredential;
use object_store::client::{HttpClient, HttpRequest, HttpRequestBody};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// More changed addresses than this and the whole site is invalidated with
/// one wildcard (CloudFront's free monthly paths; Cloudflare's purge
/// requests stay few).
pub const EVERYTHING_PAST: usize = 1000;

/// CloudFront's limit of paths in one invalidation.
const CLOUDFRONT_BATCH: usize = 3000;
/// Cloudflare's limit of addresses in one purge request (every plan).
const CLOUDFLARE_BATCH: usize = 30;

/// Characters a path keeps as they are; everything else is %-encoded, as
/// CloudFront asks for non-ASCII and unsafe characters.
const PATH: &AsciiSet = &NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The CDN a deploy tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cdn {
    /// An Amazon CloudFront distribution, by its id (`E2QWRUHAPOMQZL`).
    CloudFront {
        /// The distribution's id.
        distribution: String,
    },
    /// A Cloudflare zone, by its id (32 hexadecimal digits).
    Cloudflare {
        /// The zone's id.
        zone: String,
    },
}

impl Cdn {
    /// Reads `cloudfront:ID` or `cloudflare:ZONE`.
    pub fn parse(text: &str) -> Result<Cdn> {
        let Some((kind, id)) = text.split_once(':') else {
            bail!("--invalidate {text:?}: write cloudfront:DISTRIBUTION_ID or cloudflare:ZONE_ID");
        };
        if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            bail!("--invalidate: {id:?} is not a {kind} id (letters and digits)");
        }
        match kind {
            "cloudfront" => Ok(Cdn::CloudFront { distribution: id.to_string() }),
            "cloudflare" => Ok(Cdn::Cloudflare { zone: id.to_string() }),
            other => bail!("--invalidate: `{other}` is not a CDN Broadsheet knows (cloudfront, cloudflare)"),
        }
    }

    /// What the CDN needs besides the request, checked before anything is
    /// uploaded: Cloudflare's token.
    pub fn check(&self) -> Result<()> {
        if let Cdn::Cloudflare { .. } = self
            && std::env::var("CLOUDFLARE_API_TOKEN").unwrap_or_default().is_empty()
        {
            bail!(
                "--invalidate cloudflare: set CLOUDFLARE_API_TOKEN to an API token allowed to purge the zone's cache"
            );
        }
        Ok(())
    }
}

impl std::fmt::Display for Cdn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cdn::CloudFront { distribution } => write!(f, "CloudFront distribution {distribution}"),
            Cdn::Cloudflare { zone } => write!(f, "Cloudflare zone {zone}"),
        }
    }
}

/// What was asked of the CDN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalidated {
    /// Addresses named (1 when everything was).
    pub addresses: usize,
    /// Requests made.
    pub requests: usize,
    /// Whether the whole site was invalidated instead of each address.
    pub everything: bool,
}

/// The addresses readers ask for to get the changed files: each file's own
/// path under the site's base path, and a page's folder address
/// (`/world/story/` for `world/story/index.html`). Percent-encoded.
pub fn addresses(base_path: &str, changed: &[String]) -> Vec<String> {
    let base = format!("/{}", base_path.trim_matches('/'));
    let base = if base == "/" { base } else { format!("{base}/") };
    let mut found = Vec::new();
    for rel in changed {
        let encoded = utf8_percent_encode(rel, PATH).to_string();
        if let Some(folder) = encoded.strip_suffix("index.html")
            && (folder.is_empty() || folder.ends_with('/'))
        {
            found.push(format!("{base}{folder}"));
        }
        found.push(format!("{base}{encoded}"));
    }
    found.sort();
    found.dedup();
    found
}

/// Asks the CDN to drop the changed addresses of the site at `site`
/// (its public address, ending in `/`). `credential` signs CloudFront's
/// requests.
pub async fn invalidate(
    cdn: &Cdn,
    client: &HttpClient,
    credential: Option<&AwsCredential>,
    site: &url::Url,
    changed: &[String],
) -> Result<Invalidated> {
    let mut addresses = addresses(site.path(), changed);
    if addresses.is_empty() {
        return Ok(Invalidated { addresses: 0, requests: 0, everything: false });
    }
    let everything = addresses.len() > EVERYTHING_PAST;
    match cdn {
        Cdn::CloudFront { distribution } => {
            let Some(credential) = credential else { bail!("no AWS credentials to sign CloudFront's requests") };
            if everything {
                addresses = vec![format!("{}*", addresses_base(site))];
            }
            let endpoint = endpoint("AWS_ENDPOINT_URL_CLOUDFRONT", "https://cloudfront.amazonaws.com")?;
            let url = format!("{endpoint}/2020-05-31/distribution/{distribution}/invalidation");
            let mut requests = 0;
            for (n, batch) in addresses.chunks(CLOUDFRONT_BATCH).enumerate() {
                let body = cloudfront_batch(batch, n);
                send(client, "POST", &url, body.into_bytes(), "text/xml", Sign::Aws(credential)).await?;
                requests += 1;
            }
            Ok(Invalidated { addresses: addresses.len(), requests, everything })
        }
        Cdn::Cloudflare { zone } => {
            let token = std::env::var("CLOUDFLARE_API_TOKEN").unwrap_or_default();
            let endpoint = endpoint("CLOUDFLARE_API_BASE_URL", "https://api.cloudflare.com/client/v4")?;
            let url = format!("{endpoint}/zones/{zone}/purge_cache");
            if everything {
                let body = serde_json::json!({ "purge_everything": true }).to_string();
                send(client, "POST", &url, body.into_bytes(), "application/json", Sign::Bearer(&token)).await?;
                return Ok(Invalidated { addresses: 1, requests: 1, everything });
            }
            let origin = site.origin().ascii_serialization();
            let mut requests = 0;
            for batch in addresses.chunks(CLOUDFLARE_BATCH) {
                let files: Vec<String> = batch.iter().map(|path| format!("{origin}{path}")).collect();
                let body = serde_json::json!({ "files": files }).to_string();
                send(client, "POST", &url, body.into_bytes(), "application/json", Sign::Bearer(&token)).await?;
                requests += 1;
            }
            Ok(Invalidated { addresses: addresses.len(), requests, everything })
        }
    }
}

fn addresses_base(site: &url::Url) -> String {
    let path = site.path().trim_matches('/');
    if path.is_empty() { "/".to_string() } else { format!("/{}/", utf8_percent_encode(path, PATH)) }
}

/// The service's address: the environment's replacement (http or https,
/// nothing else) or the real one.
fn endpoint(variable: &str, default: &str) -> Result<String> {
    let Ok(value) = std::env::var(variable) else { return Ok(default.to_string()) };
    let url = url::Url::parse(&value).with_context(|| format!("{variable} {value:?} is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || url.query().is_some() {
        bail!("{variable} {value:?} must be a plain http:// or https:// address");
    }
    Ok(value.trim_end_matches('/').to_string())
}

/// One CreateInvalidation body. The caller reference makes each request
/// its own invalidation (CloudFront treats a repeated one as a retry).
fn cloudfront_batch(paths: &[String], n: usize) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let items: String = paths.iter().map(|p| format!("<Path>{}</Path>", xml_escape(p))).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Paths><Quantity>{}</Quantity><Items>{items}</Items></Paths><CallerReference>broadsheet-{}-{n}</CallerReference></InvalidationBatch>",
        paths.len(),
        now.as_nanos()
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

enum Sign<'a> {
    Aws(&'a AwsCredential),
    Bearer(&'a str),
}

/// Sends one request, again after a pause when the service is busy (429,
/// 5xx) or unreachable, up to four times; any other answer but success is
/// an error with the service's words.
async fn send(client: &HttpClient, method: &str, url: &str, body: Vec<u8>, kind: &str, sign: Sign<'_>) -> Result<()> {
    let mut pause = Duration::from_millis(500);
    for attempt in 1..=4 {
        let mut request: HttpRequest = http::Request::builder()
            .method(method)
            .uri(url)
            .header("content-type", kind)
            .body(HttpRequestBody::from(body.clone()))
            .with_context(|| format!("cannot make a request to {url}"))?;
        match sign {
            Sign::Aws(credential) => object_store::aws::AwsAuthorizer::new(credential, "cloudfront", "us-east-1")
                .authorize(&mut request, None),
            Sign::Bearer(token) => {
                let value = http::HeaderValue::from_str(&format!("Bearer {token}"))
                    .context("CLOUDFLARE_API_TOKEN has characters a header cannot carry")?;
                request.headers_mut().insert("authorization", value);
            }
        }
        let answer = tokio::time::timeout(Duration::from_secs(60), client.execute(request)).await;
        let (status, text) = match answer {
            Ok(Ok(response)) => {
                let status = response.status();
                let bytes = response.into_body().bytes().await.unwrap_or_default();
                (Some(status), String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]).into_owned())
            }
            Ok(Err(e)) => (None, e.to_string()),
            Err(_) => (None, "no answer in 60 s".to_string()),
        };
        match status {
            Some(status) if status.is_success() => return Ok(()),
            Some(status) if !(status.as_u16() == 429 || status.is_server_error()) => {
                bail!("{url} answered {status}: {}", text.trim())
            }
            _ if attempt == 4 => bail!("{url} did not take the request after 4 tries: {}", text.trim()),
            _ => {
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
        }
    }
    Ok(())
}

/// A client with the deploy's timeouts.
pub fn client() -> Result<HttpClient> {
    use object_store::client::HttpConnector as _;
    let options = object_store::ClientOptions::new()
        .with_connect_timeout(Duration::from_secs(10))
        .with_timeout(Duration::from_secs(60))
        .with_allow_http(true);
    object_store::client::ReqwestConnector::default().connect(&options).context("cannot start an HTTP client")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_the_files_and_their_folders_under_the_base_path() {
        let changed = ["index.html", "world/story/index.html", "feed.xml", "world/café/index.html"].map(String::from);
        assert_eq!(
            addresses("/news/", &changed),
            [
                "/news/",
                "/news/feed.xml",
                "/news/index.html",
                "/news/world/caf%C3%A9/",
                "/news/world/caf%C3%A9/index.html",
                "/news/world/story/",
                "/news/world/story/index.html"
            ]
        );
        assert_eq!(addresses("/", &["a/index.html".to_string()]), ["/a/", "/a/index.html"]);
        // Not a page's index: no folder address.
        assert_eq!(addresses("", &["xindex.html".to_string()]), ["/xindex.html"]);
    }

    #[test]
    fn reads_the_cdn_and_refuses_what_it_does_not_know() {
        assert_eq!(
            Cdn::parse("cloudfront:E2QWRUHAPOMQZL").unwrap(),
            Cdn::CloudFront { distribution: "E2QWRUHAPOMQZL".into() }
        );
        assert_eq!(Cdn::parse("cloudflare:abc123").unwrap(), Cdn::Cloudflare { zone: "abc123".into() });
        for bad in ["cloudfront", "fastly:abc", "cloudfront:", "cloudfront:../x", "cloudflare:a/b"] {
            assert!(Cdn::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_cloudfront_batch_escapes_its_paths() {
        let body = cloudfront_batch(&["/a&b".to_string(), "/c".to_string()], 0);
        assert!(body.contains("<Quantity>2</Quantity><Items><Path>/a&amp;b</Path><Path>/c</Path></Items>"), "{body}");
    }
}
