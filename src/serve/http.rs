//! Takes connections and the in-memory site and gives HTTP/1.1 responses: confined path resolution,
//! content types, `index.html` for folders, redirects, the site's 404 page, the live-reload stream.
//! A small synchronous server: one thread per connection, bounded in count, head size and time.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::render::{Contents, OutputFile};

use super::reload::{self, EVENTS_PATH, Event, Hub, SCRIPT_PATH};

/// Largest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// Most connections served at once (event streams included).
pub const MAX_CONNECTIONS: usize = 128;
/// A client that sends or reads nothing for this long is dropped.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Event streams send a comment this often, so dead ones are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A served file: bytes in memory, or a source file read on request.
#[derive(Debug, Clone)]
pub enum Served {
    /// Rendered bytes.
    Bytes(Arc<[u8]>),
    /// An asset, read from disk when asked for.
    Copy(PathBuf),
}

impl Served {
    fn same_as(&self, other: &Contents) -> bool {
        match (self, other) {
            (Served::Bytes(a), Contents::Bytes(b)) => a[..] == b[..],
            (Served::Copy(a), Contents::Copy(b)) => a == b,
            _ => false,
        }
    }
}

impl From<OutputFile> for Served {
    fn from(f: OutputFile) -> Self {
        match f.contents {
            Contents::Bytes(b) => Served::Bytes(b.into()),
            Contents::Copy(p) => Served::Copy(p),
        }
    }
}

/// The site as served: files by path under the output root, and the overlay of a failed rebuild.
#[derive(Debug, Default)]
pub struct Store {
    /// `rel_path` -> contents.
    pub files: HashMap<String, Served>,
    /// The overlay while the last rebuild failed.
    pub overlay: Option<String>,
    /// URL prefix the site lives under (`/` or `/sub/`).
    pub base_path: String,
}

impl Store {
    /// Swaps in a rebuild's files (all of them, or the changed ones, dropping files not in `keep`
    /// when given) and says what the browser should do, if anything.
    pub fn apply(
        &mut self,
        files: Vec<OutputFile>,
        replace_all: bool,
        keep: Option<&HashSet<String>>,
    ) -> Option<Event> {
        let recovered = self.overlay.take().is_some();
        if replace_all {
            self.files = files
                .into_iter()
                .map(|f| (f.rel_path.clone(), f.into()))
                .collect();
            return Some(Event::Reload);
        }
        let mut changed: Vec<String> = Vec::new();
        for f in files {
            if self
                .files
                .get(&f.rel_path)
                .is_some_and(|s| s.same_as(&f.contents))
            {
                continue;
            }
            changed.push(f.rel_path.clone());
            self.files.insert(f.rel_path.clone(), f.into());
        }
        let gone: Vec<String> = match keep {
            Some(keep) => self
                .files
                .keys()
                .filter(|k| !keep.contains(*k))
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        for k in gone {
            self.files.remove(&k);
            changed.push(k);
        }
        if recovered || changed.iter().any(|c| !c.ends_with(".css")) {
            Some(Event::Reload)
        } else if changed.is_empty() {
            None
        } else {
            Some(Event::Css)
        }
    }
}

/// What the server threads share.
#[derive(Debug)]
pub struct Shared {
    /// The site.
    pub store: RwLock<Store>,
    /// The event streams.
    pub hub: Hub,
    /// The site root, canonical: assets are only read from inside it.
    pub root: PathBuf,
    active: AtomicUsize,
}

impl Shared {
    /// Shared state for a site at `root` (canonicalised here).
    pub fn new(root: &Path, base_path: String) -> Self {
        Shared {
            store: RwLock::new(Store {
                base_path,
                ..Store::default()
            }),
            hub: Hub::default(),
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            active: AtomicUsize::new(0),
        }
    }
}

/// Binds `interface:port`, or the next free port of the ten after it. Gives the listener and its port.
pub fn bind(interface: IpAddr, port: u16) -> io::Result<(TcpListener, u16)> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(10)
    };
    let mut first_err = None;
    for p in port..=last {
        match TcpListener::bind(SocketAddr::new(interface, p)) {
            Ok(l) => {
                let actual = l.local_addr()?.port();
                return Ok((l, actual));
            }
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
                first_err.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(first_err.unwrap_or_else(|| io::Error::from(io::ErrorKind::AddrInUse)))
}

/// Accepts connections for ever on a thread of its own, one thread per connection.
pub fn spawn(listener: TcpListener, shared: Arc<Shared>) -> io::Result<()> {
    std::thread::Builder::new()
        .name("pamphlet-http".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                if shared.active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    shared.active.fetch_sub(1, Ordering::SeqCst);
                    let mut s = stream;
                    let _ = s.set_write_timeout(Some(IO_TIMEOUT));
                    let _ = respond(
                        &mut s,
                        503,
                        "text/plain; charset=utf-8",
                        &[],
                        b"busy\n",
                        false,
                    );
                    continue;
                }
                let counter = shared.clone();
                let spawned = std::thread::Builder::new()
                    .name("pamphlet-conn".into())
                    .spawn(move || {
                        let _ = handle(stream, &shared);
                        shared.active.fetch_sub(1, Ordering::SeqCst);
                    });
                if spawned.is_err() {
                    // The thread never ran, so neither did its decrement.
                    counter.active.fetch_sub(1, Ordering::SeqCst);
                }
            }
        })
        .map(|_| ())
}

/// How a request path maps onto the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Serve this file (path under the output root).
    File(String),
    /// Redirect here (a folder asked for without its slash).
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// A path that tries to leave the site (`..`, backslashes, NUL).
    Forbidden,
    /// Not a usable request target.
    BadRequest,
}

/// Resolves a request target against the site's files (`exists`), confined to the site:
/// percent-decoding first, then refusing `..`, `.`, backslashes and NUL in any segment.
pub fn resolve(target: &str, base_path: &str, exists: &dyn Fn(&str) -> bool) -> Resolved {
    if !target.starts_with('/') || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Resolved::BadRequest;
    }
    let (raw_path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let Some(path) = percent_decode(raw_path) else {
        return Resolved::BadRequest;
    };
    if path.contains('\\') || path.contains('\0') || path.split('/').any(|s| s == ".." || s == ".")
    {
        return Resolved::Forbidden;
    }
    let Some(rel) = path.strip_prefix(base_path) else {
        return if format!("{path}/") == base_path {
            Resolved::Redirect(base_path.to_string())
        } else {
            Resolved::NotFound
        };
    };
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(rel) {
        Resolved::File(rel.to_string())
    } else if exists(&format!("{rel}/index.html")) {
        Resolved::Redirect(match query {
            Some(q) => format!("{raw_path}/?{q}"),
            None => format!("{raw_path}/"),
        })
    } else {
        Resolved::NotFound
    }
}

/// `%XX` decoding; `None` for malformed escapes or text that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `Content-Type` of a file, by extension.
pub fn content_type(rel: &str) -> &'static str {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "webmanifest" => "application/manifest+json",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Reads the request head: `Some(head)`, or `None` after answering a bad one (or losing the client).
fn read_head(stream: &mut TcpStream) -> io::Result<Option<String>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.truncate(end);
            return Ok(String::from_utf8(buf).ok());
        }
        if buf.len() > MAX_HEAD {
            respond(
                stream,
                431,
                "text/plain; charset=utf-8",
                &[],
                b"request head too large\n",
                false,
            )?;
            // Read (a bounded amount of) what the client is still sending, so closing does not
            // reset the connection before it has read the answer.
            stream.shutdown(std::net::Shutdown::Write)?;
            stream.set_read_timeout(Some(Duration::from_secs(1)))?;
            let _ = io::copy(&mut stream.take(1 << 20), &mut io::sink());
            return Ok(None);
        }
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let Some(head) = read_head(&mut stream)? else {
        return Ok(());
    };
    let mut parts = head.lines().next().unwrap_or("").split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let text = "text/plain; charset=utf-8";
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return respond(
                &mut stream,
                405,
                text,
                &[("Allow", "GET, HEAD")],
                b"method not allowed\n",
                false,
            );
        }
    };
    let path_only = target.split('?').next().unwrap_or("");
    if path_only == EVENTS_PATH {
        return events(stream, shared);
    }
    if path_only == SCRIPT_PATH {
        return respond(
            &mut stream,
            200,
            content_type("x.js"),
            &[],
            reload::SCRIPT.as_bytes(),
            head_only,
        );
    }
    let store = shared.store.read().unwrap_or_else(|e| e.into_inner());
    let resolved = resolve(target, &store.base_path, &|rel| {
        store.files.contains_key(rel)
    });
    let overlay = store.overlay.as_deref();
    match resolved {
        Resolved::File(rel) => {
            let body = match &store.files[&rel] {
                Served::Bytes(b) => b.to_vec(),
                Served::Copy(p) => match read_confined(&shared.root, p) {
                    Some(b) => b,
                    None => return not_found(&mut stream, &store, head_only),
                },
            };
            let ty = content_type(&rel);
            let body = if ty.starts_with("text/html") {
                reload::inject(&body, overlay)
            } else {
                body
            };
            drop(store);
            respond(&mut stream, 200, ty, &[], &body, head_only)
        }
        Resolved::Redirect(to) => {
            drop(store);
            respond(
                &mut stream,
                301,
                text,
                &[("Location", &to)],
                b"moved\n",
                head_only,
            )
        }
        Resolved::NotFound => not_found(&mut stream, &store, head_only),
        Resolved::Forbidden => {
            drop(store);
            respond(&mut stream, 403, text, &[], b"forbidden\n", head_only)
        }
        Resolved::BadRequest => {
            drop(store);
            respond(&mut stream, 400, text, &[], b"bad request\n", head_only)
        }
    }
}

/// Reads an asset only if it really lies inside the site (no symlink leads out).
fn read_confined(root: &Path, path: &Path) -> Option<Vec<u8>> {
    let real = path.canonicalize().ok()?;
    if !real.starts_with(root) {
        return None;
    }
    std::fs::read(real).ok()
}

fn not_found(stream: &mut TcpStream, store: &Store, head_only: bool) -> io::Result<()> {
    let overlay = store.overlay.as_deref();
    let body = match store.files.get("404.html") {
        Some(Served::Bytes(b)) => reload::inject(b, overlay),
        _ if store.files.is_empty() => {
            // No good build yet: a page that shows the errors and reloads when they are fixed.
            let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Pamphlet</title></head><body></body></html>";
            reload::inject(page.as_bytes(), overlay)
        }
        _ => b"404 Not Found\n".to_vec(),
    };
    let ty = if body.starts_with(b"404 Not") {
        "text/plain; charset=utf-8"
    } else {
        "text/html; charset=utf-8"
    };
    respond(stream, 404, ty, &[], &body, head_only)
}

/// The live-reload event stream: the current error (if any), then every event, with keep-alives.
fn events(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    let rx = shared.hub.subscribe();
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n",
    )?;
    let overlay = shared.store.read().ok().and_then(|s| s.overlay.clone());
    if let Some(o) = overlay {
        stream.write_all(Event::Error(o).sse().as_bytes())?;
    }
    stream.flush()?;
    loop {
        let msg = match rx.recv_timeout(KEEP_ALIVE) {
            Ok(e) => e.sse(),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        stream.write_all(msg.as_bytes())?;
        stream.flush()?;
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        _ => "Service Unavailable",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(rel: &str) -> bool {
        [
            "index.html",
            "articles/water/index.html",
            "style.css",
            "articles/water/photo.jpg",
        ]
        .contains(&rel)
    }

    fn r(target: &str) -> Resolved {
        resolve(target, "/", &site)
    }

    #[test]
    fn files_folders_and_redirects() {
        assert_eq!(r("/"), Resolved::File("index.html".into()));
        assert_eq!(r("/style.css?v=2"), Resolved::File("style.css".into()));
        assert_eq!(
            r("/articles/water/"),
            Resolved::File("articles/water/index.html".into())
        );
        assert_eq!(
            r("/articles/water"),
            Resolved::Redirect("/articles/water/".into())
        );
        assert_eq!(
            r("/articles/water?x=1"),
            Resolved::Redirect("/articles/water/?x=1".into())
        );
        assert_eq!(
            r("/articles/%77ater/photo.jpg"),
            Resolved::File("articles/water/photo.jpg".into())
        );
        assert_eq!(r("/nothing"), Resolved::NotFound);
        assert_eq!(r("/articles/"), Resolved::NotFound);
    }

    #[test]
    fn traversal_is_refused() {
        for t in [
            "/../etc/passwd",
            "/articles/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2fetc%2fpasswd",
            "/articles/..%5c..%5cetc",
            "/articles\\water",
            "/a%00b",
            "/./index.html",
        ] {
            assert_eq!(r(t), Resolved::Forbidden, "{t}");
        }
        assert_eq!(r("/%zz"), Resolved::BadRequest);
        assert_eq!(r("/%ff"), Resolved::BadRequest);
        assert_eq!(r("relative"), Resolved::BadRequest);
        assert_eq!(r("/a b"), Resolved::BadRequest);
    }

    #[test]
    fn base_path_is_honoured() {
        let r = |t| resolve(t, "/sub/", &site);
        assert_eq!(r("/sub/"), Resolved::File("index.html".into()));
        assert_eq!(r("/sub"), Resolved::Redirect("/sub/".into()));
        assert_eq!(r("/style.css"), Resolved::NotFound);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(
            content_type("site.webmanifest"),
            "application/manifest+json"
        );
        assert_eq!(content_type("f.woff2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn css_only_changes_swap_stylesheets() {
        let mut store = Store::default();
        let f = |p: &str, b: &str| OutputFile {
            rel_path: p.into(),
            contents: Contents::Bytes(b.as_bytes().to_vec()),
        };
        assert_eq!(
            store.apply(vec![f("index.html", "a"), f("style.css", "x")], true, None),
            Some(Event::Reload)
        );
        assert_eq!(
            store.apply(vec![f("index.html", "a"), f("style.css", "y")], false, None),
            Some(Event::Css)
        );
        assert_eq!(store.apply(vec![f("index.html", "a")], false, None), None);
        assert_eq!(
            store.apply(
                vec![],
                false,
                Some(&HashSet::from(["style.css".to_string()]))
            ),
            Some(Event::Reload)
        );
        assert!(!store.files.contains_key("index.html"));
    }
}
