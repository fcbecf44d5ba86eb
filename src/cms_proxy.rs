//! Decap CMS's local backend, answered by `serve`: the API `decap-server`
//! serves (`POST /api/v1`, one JSON action per request: `info`,
//! `entriesByFolder`, `entriesByFiles`, `getEntry`, `persistEntry`,
//! `getMedia`, `getMediaFile`, `persistMedia`, `deleteFile`,
//! `deleteFiles`, `getDeployPreview`), so `/admin/` on the preview edits
//! the local checkout with no Node server. Only a loopback client, from
//! the preview's own origin, with a JSON body; only files under
//! `content/` and `static/`, read and written through `confine`.

use std::hash::{Hash as _, Hasher as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

/// Where the API answers, at the server's root (as decap-server's does).
pub const API_PATH: &str = "/api/v1";
/// The largest request taken: a photo, base64-encoded.
pub const MAX_BODY: usize = 64 * 1024 * 1024;
/// The folders the editor may read and write.
const FOLDERS: [&str; 2] = [broadsheet_base::layout::CONTENT, broadsheet_base::layout::STATIC];

/// Answers one request: its status and JSON body.
pub fn handle(root: &Path, peer: SocketAddr, headers: &HeaderMap, body: &[u8]) -> (StatusCode, Value) {
    if let Err(why) = allowed(peer, headers) {
        return (StatusCode::FORBIDDEN, json!({ "error": why }));
    }
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"));
    if !json_body {
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, json!({ "error": "expected a JSON body" }));
    }
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return (StatusCode::BAD_REQUEST, json!({ "error": "the body is not JSON" }));
    };
    let action = request["action"].as_str().unwrap_or_default();
    match act(root, action, &request["params"]) {
        Ok(answer) => (StatusCode::OK, answer),
        Err(Refusal::Unknown) => {
            (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": format!("Unknown action {action}") }))
        }
        Err(Refusal::Bad(why)) => (StatusCode::BAD_REQUEST, json!({ "error": why })),
        Err(Refusal::Io(e)) => (StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": e.to_string() })),
    }
}

/// A loopback client whose page is the preview itself: its `Origin` is
/// `http://` and the `Host` it asked (a local name or address, checked by
/// `serve` for every request). A page of another site cannot send one.
fn allowed(peer: SocketAddr, headers: &HeaderMap) -> Result<(), String> {
    if !peer.ip().to_canonical().is_loopback() {
        return Err("the editor's local backend answers only this machine".into());
    }
    let get = |name| headers.get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
    let host = get(header::HOST).ok_or("no Host")?;
    match get(header::ORIGIN) {
        Some(origin) if origin == format!("http://{host}") => Ok(()),
        Some(origin) => Err(format!("requests from {origin} are refused: open the editor at http://{host}/")),
        None => Err("a request without an Origin is refused".into()),
    }
}

enum Refusal {
    Unknown,
    Bad(String),
    Io(std::io::Error),
}

impl From<std::io::Error> for Refusal {
    fn from(e: std::io::Error) -> Self {
        Refusal::Io(e)
    }
}

fn bad(why: impl Into<String>) -> Refusal {
    Refusal::Bad(why.into())
}

/// A path the editor may use: relative, plain, under `content/` or `static/`.
fn checked(path: &str) -> Result<PathBuf, Refusal> {
    let parts: Vec<&str> = path.split('/').collect();
    let plain = !path.is_empty()
        && !path.contains(['\\', '\0'])
        && parts.iter().all(|p| !p.is_empty() && *p != "." && *p != "..");
    match plain && FOLDERS.contains(&parts[0]) {
        true => Ok(PathBuf::from(path)),
        false => Err(bad(format!("`{path}` is refused: the editor may use only files under content/ and static/"))),
    }
}

fn text<'a>(params: &'a Value, key: &str) -> Result<&'a str, Refusal> {
    params[key].as_str().ok_or_else(|| bad(format!("missing `{key}`")))
}

fn id(bytes: &[u8]) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}{:08x}", hasher.finish(), bytes.len())
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// An entry as decap-server gives it: its text, or `null` when unreadable.
fn entry(root: &Path, path: &str, label: Option<&Value>) -> Value {
    let read = checked(path).ok().and_then(|p| broadsheet_base::confine::read(root, &p).ok());
    let (data, file_id) = match &read {
        Some(bytes) => (Value::from(String::from_utf8_lossy(bytes).into_owned()), Value::from(id(bytes))),
        None => (Value::Null, Value::Null),
    };
    json!({ "data": data, "file": { "path": path, "label": label.cloned().unwrap_or(Value::Null), "id": file_id } })
}

fn media(root: &Path, path: &str) -> Result<Value, Refusal> {
    let bytes = broadsheet_base::confine::read(root, &checked(path)?)?;
    let name = path.rsplit('/').next().unwrap_or(path);
    Ok(json!({ "id": id(&bytes), "content": base64::encode(&bytes), "encoding": "base64", "path": path, "name": name }))
}

/// Writes a file the editor sent: `raw` text, or `content` in `encoding`.
fn put(root: &Path, file: &Value) -> Result<(), Refusal> {
    let path = checked(text(file, "path")?)?;
    let bytes = match (file["raw"].as_str(), file["content"].as_str()) {
        (Some(raw), _) => raw.as_bytes().to_vec(),
        (None, Some(content)) if file["encoding"] == "base64" => {
            base64::decode(content).ok_or_else(|| bad("the file's content is not base64"))?
        }
        (None, Some(content)) => content.as_bytes().to_vec(),
        (None, None) => return Err(bad("missing `raw` or `content`")),
    };
    broadsheet_base::confine::write(root, &path, &bytes)?;
    Ok(())
}

fn act(root: &Path, action: &str, params: &Value) -> Result<Value, Refusal> {
    use broadsheet_base::confine;
    match action {
        "info" => {
            let repo = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Ok(json!({ "repo": repo, "publish_modes": ["simple"], "type": "local_fs" }))
        }
        "entriesByFolder" => {
            let folder = checked(text(params, "folder")?.trim_end_matches('/'))?;
            let extension = params["extension"].as_str().unwrap_or_default();
            let depth = params["depth"].as_u64().unwrap_or(1).min(16) as usize;
            let files = confine::list(root, &folder, depth)?;
            let entries = files
                .iter()
                .map(|f| slash(f))
                .filter(|f| f.ends_with(extension))
                .map(|f| entry(root, &f, None))
                .collect();
            Ok(Value::Array(entries))
        }
        "entriesByFiles" => {
            let files = params["files"].as_array().ok_or_else(|| bad("missing `files`"))?;
            let entries = files
                .iter()
                .map(|f| Ok(entry(root, checked(text(f, "path")?).map(|p| slash(&p))?.as_str(), f.get("label"))))
                .collect::<Result<Vec<_>, Refusal>>()?;
            Ok(Value::Array(entries))
        }
        "getEntry" => {
            let path = checked(text(params, "path")?)?;
            Ok(entry(root, &slash(&path), None))
        }
        "persistEntry" => {
            let files = match params["dataFiles"].as_array() {
                Some(files) => files.clone(),
                None => vec![params["entry"].clone()],
            };
            // Everything is checked before anything is written.
            for file in files.iter().chain(params["assets"].as_array().into_iter().flatten()) {
                checked(text(file, "path")?)?;
                if let Some(to) = file["newPath"].as_str() {
                    checked(to)?;
                }
            }
            for file in &files {
                put(root, file)?;
            }
            for asset in params["assets"].as_array().into_iter().flatten() {
                put(root, asset)?;
            }
            if files.iter().all(|f| f["newPath"].is_string()) {
                for file in &files {
                    let (from, to) = (checked(text(file, "path")?)?, checked(text(file, "newPath")?)?);
                    let bytes = confine::read(root, &from)?;
                    confine::write(root, &to, &bytes)?;
                    confine::remove(root, &from)?;
                }
            }
            Ok(json!({ "message": "entry persisted" }))
        }
        "getMedia" => {
            let folder = checked(text(params, "mediaFolder")?.trim_end_matches('/'))?;
            let files = confine::list(root, &folder, 1)?;
            Ok(Value::Array(files.iter().map(|f| media(root, &slash(f))).collect::<Result<_, _>>()?))
        }
        "getMediaFile" => media(root, text(params, "path")?),
        "persistMedia" => {
            let asset = &params["asset"];
            put(root, asset)?;
            media(root, text(asset, "path")?)
        }
        "deleteFile" => {
            let path = text(params, "path")?;
            confine::remove(root, &checked(path)?)?;
            Ok(json!({ "message": format!("deleted file {path}") }))
        }
        "deleteFiles" => {
            let paths = params["paths"].as_array().ok_or_else(|| bad("missing `paths`"))?;
            let paths: Vec<PathBuf> =
                paths.iter().map(|p| checked(p.as_str().unwrap_or_default())).collect::<Result<_, _>>()?;
            for path in &paths {
                confine::remove(root, path)?;
            }
            Ok(json!({ "message": "deleted files" }))
        }
        "getDeployPreview" => Ok(Value::Null),
        _ => Err(Refusal::Unknown),
    }
}

/// Standard base64 (RFC 4648, with padding), as Decap sends uploads.
mod base64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub(super) fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..4 {
                match i <= chunk.len() {
                    true => out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize])),
                    false => out.push('='),
                }
            }
        }
        out
    }

    pub(super) fn decode(text: &str) -> Option<Vec<u8>> {
        let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        let digits = digits.strip_suffix(b"==").or_else(|| digits.strip_suffix(b"=")).unwrap_or(&digits);
        let mut out = Vec::with_capacity(digits.len() * 3 / 4);
        let (mut n, mut bits) = (0u32, 0);
        for &d in digits {
            let value = ALPHABET.iter().position(|&a| a == d)? as u32;
            n = n << 6 | value;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((n >> bits & 0xff) as u8);
                n &= (1 << bits) - 1;
            }
        }
        Some(out)
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn round_trips() {
            for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
                let encoded = super::encode(text.as_bytes());
                assert_eq!(super::decode(&encoded).unwrap(), text.as_bytes());
            }
            assert_eq!(super::encode(b"foobar"), "Zm9vYmFy");
            assert_eq!(super::encode(b"fo"), "Zm8=");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_and_static() {
        assert!(checked("content/news/x.md").is_ok());
        assert!(checked("static/images/a.png").is_ok());
        for bad in [
            "site.toml",
            "templates/base.html",
            "content/../site.toml",
            "/etc/passwd",
            "content//x",
            "content\\x",
            ".git/config",
            "",
        ] {
            assert!(checked(bad).is_err(), "{bad}");
        }
    }
}
