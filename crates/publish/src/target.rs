//! Where `deploy --to` publishes: an `s3://bucket/prefix?endpoint=...&region=...`
//! URL, checked before anything is read or sent. Only `s3://` is accepted
//! (Amazon S3 and S3-compatible stores: R2, B2, MinIO, ...); credentials
//! never travel in the URL.

use anyhow::{Result, bail};
use object_store::path::Path as ObjectPath;

/// A checked deploy target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The bucket's name (checked: 3 to 63 lowercase letters, digits, `-`, `.`, `_`).
    pub bucket: String,
    /// The folder in the bucket the site lives under, without slashes at
    /// either end; empty for the bucket's root.
    pub prefix: String,
    /// An S3-compatible service's address (`http://127.0.0.1:9000`); none
    /// for Amazon S3 itself.
    pub endpoint: Option<String>,
    /// The region (`?region=`); none to take it from the environment.
    pub region: Option<String>,
}

impl Target {
    /// Reads and checks `--to`; the error names what is wrong with it.
    pub fn parse(text: &str) -> Result<Target> {
        let url = url::Url::parse(text).map_err(|e| anyhow::anyhow!("--to {text:?} is not a URL ({e})"))?;
        match url.scheme() {
            "s3" => {}
            "gs" | "az" | "azure" | "abfs" | "abfss" => {
                bail!("--to: only s3:// targets are supported so far (Amazon S3 and S3-compatible stores)")
            }
            other => bail!("--to: `{other}://` is not a storage URL; write s3://BUCKET/PREFIX"),
        }
        if !url.username().is_empty() || url.password().is_some() {
            bail!(
                "--to: credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or use a role)"
            );
        }
        if url.port().is_some() {
            bail!("--to: the bucket name cannot have a port; give the service's address as ?endpoint=URL");
        }
        let bucket = url.host_str().unwrap_or_default().to_string();
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b))
            && bucket.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
        if !bucket_ok {
            bail!("--to: {bucket:?} is not a bucket name (3 to 63 lowercase letters, digits, `-`, `.`, `_`)");
        }
        if url.fragment().is_some() {
            bail!("--to: a storage URL has no #fragment");
        }
        // The URL parser folds `..` away; a prefix written with one is refused, not guessed at.
        let raw = text.split(['?', '#']).next().unwrap_or_default();
        for part in raw.splitn(4, '/').nth(3).unwrap_or_default().split('/') {
            if matches!(percent_decode(part)?.as_str(), "." | "..") {
                bail!("--to: the prefix in {raw:?} has a `.` or `..` folder");
            }
        }
        let path = percent_decode(url.path())?;
        let prefix = path.trim_matches('/').to_string();
        if prefix.split('/').any(|part| matches!(part, "." | "..")) || prefix.contains("//") {
            bail!("--to: the prefix {prefix:?} has an empty, `.` or `..` folder");
        }
        if !prefix.is_empty() {
            ObjectPath::parse(&prefix)
                .map_err(|e| anyhow::anyhow!("--to: the prefix {prefix:?} is not usable ({e})"))?;
        }
        let (mut endpoint, mut region) = (None, None);
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "endpoint" => endpoint = Some(check_endpoint(&value)?),
                "region" => {
                    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                        bail!("--to: {value:?} is not a region");
                    }
                    region = Some(value.into_owned());
                }
                other => bail!("--to: unknown setting `{other}` (known: endpoint, region)"),
            }
        }
        Ok(Target { bucket, prefix, endpoint, region })
    }

    /// The object a site-relative file is stored as.
    pub fn key(&self, rel: &str) -> String {
        if self.prefix.is_empty() { rel.to_string() } else { format!("{}/{rel}", self.prefix) }
    }
}

/// The URL as the user may see it again (no credentials are ever in it).
impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.prefix)
    }
}

fn check_endpoint(value: &str) -> Result<String> {
    let url = url::Url::parse(value).map_err(|e| anyhow::anyhow!("--to: endpoint {value:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        bail!("--to: endpoint {value:?} must be an http:// or https:// address");
    }
    if !url.username().is_empty() || url.password().is_some() {
        bail!("--to: credentials do not belong in the endpoint; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    if url.query().is_some() || url.fragment().is_some() {
        bail!("--to: endpoint {value:?} must be a plain address, without ?query or #fragment");
    }
    Ok(value.trim_end_matches('/').to_string())
}

fn percent_decode(path: &str) -> Result<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                bail!("--to: the prefix {path:?} has a broken %-escape");
            };
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| anyhow::anyhow!("--to: the prefix {path:?} is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bucket_prefix_endpoint_and_region() {
        let t = Target::parse("s3://news-site/www/en/?endpoint=http://127.0.0.1:9000&region=eu-west-1").unwrap();
        assert_eq!(t.bucket, "news-site");
        assert_eq!(t.prefix, "www/en");
        assert_eq!(t.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(t.region.as_deref(), Some("eu-west-1"));
        assert_eq!(t.key("index.html"), "www/en/index.html");
        let root = Target::parse("s3://news-site").unwrap();
        assert_eq!((root.prefix.as_str(), root.key("a.css")), ("", "a.css".to_string()));
    }

    #[test]
    fn refuses_other_schemes_credentials_and_escapes() {
        for bad in [
            "https://bucket/x",
            "gs://bucket/x",
            "s3://key:secret@bucket/x",
            "s3://bucket/../x",
            "s3://bucket/a/%2e%2e/b",
            "s3://bucket/x?endpoint=ftp://host",
            "s3://bucket/x?endpoint=http://k:s@host",
            "s3://bucket/x?acl=public",
            "s3://Bucket/x",
            "s3://b/x",
            "s3:///x",
            "/tmp/site",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad} was accepted");
        }
    }
}
