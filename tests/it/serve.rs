//! `pamphlet serve`: the real binary on a free 127.0.0.1 port against a temp site, driven over HTTP
//! as a browser would (pages, types, live-reload events, the error overlay, deletions, traversal).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use scraper::Html;

use crate::support::{BASIC_CONFIG, Page, SiteFixture};

/// Upper bound for anything the server is waited for; a failure, never a measurement.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `pamphlet serve`; killed when dropped, also when an assertion failed.
struct Server {
    child: Child,
    port: u16,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pamphlet serve");
        let (tx, lines) = channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let mut server = Server {
            child,
            port: 0,
            lines,
            seen: Vec::new(),
        };
        let line = server.wait_line("Serving at http://127.0.0.1:");
        let port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server.port = port;
        server
    }

    /// Waits for an output line containing `needle` (bounded), and returns it.
    fn wait_line(&mut self, needle: &str) -> String {
        if let Some(l) = self.seen.iter().find(|l| l.contains(needle)) {
            return l.clone();
        }
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    if l.contains(needle) {
                        return l;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "no line with {needle:?}; output so far:\n{}",
            self.seen.join("\n")
        );
    }

    fn get(&self, target: &str) -> Response {
        request(self.port, "GET", target)
    }

    fn page(&self, target: &str) -> Page {
        let r = self.get(target);
        assert_eq!(r.status, 200, "GET {target}: {}", r.body);
        Page(Html::parse_document(&r.body))
    }

    /// Polls `target` until `ok` holds for the response (bounded).
    fn get_until(&self, target: &str, ok: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let r = self.get(target);
            if ok(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "GET {target} never matched; last: {} {}",
                r.status,
                r.body
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn events(&self) -> Events {
        Events::open(self.port)
    }

    /// Sends Ctrl-C (SIGINT) and waits for a clean exit (bounded).
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let ok = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(ok.success());
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// One request with a raw target (so malformed ones reach the server as written).
fn request(port: u16, method: &str, target: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// The live-reload event stream, read as a browser's EventSource would.
struct Events {
    stream: TcpStream,
    buf: String,
}

impl Events {
    /// Connects and waits until the server has registered the stream.
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            stream,
            "GET /__pamphlet/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut e = Events {
            stream,
            buf: String::new(),
        };
        let head = e.wait_for("retry:");
        assert!(head.contains("text/event-stream"), "{head}");
        e
    }

    /// Reads until the stream has sent `needle` (bounded); gives what came before and with it.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(i) = self.buf.find(needle) {
                let end = self.buf[i..]
                    .find("\n\n")
                    .map_or(self.buf.len(), |e| i + e + 2);
                return self.buf.drain(..end).collect();
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} on the event stream; got {:?}",
                self.buf
            );
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("event stream closed; got {:?}", self.buf),
                Ok(n) => self.buf.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(_) => {} // read timeout: look again until the deadline
            }
        }
    }
}

fn fixture() -> SiteFixture {
    SiteFixture::new()
        .config(BASIC_CONFIG)
        .article(
            "water",
            "title: Water for all\ndate: 2026-01-27\ncategories: [News]",
            "First words about water.\n\nA second paragraph.",
        )
        .article(
            "forests",
            "title: Forests stand\ndate: 2026-01-20\ncategories: [News]",
            "Trees.",
        )
        .file(
            "content/articles/photo-story/index.md",
            "---\ntitle: Photo story\ndate: 2026-01-10\ncategories: [Ecocide]\n---\n![River](photo.png)\n",
        )
        .bytes("content/articles/photo-story/photo.png", b"\x89PNG\r\n\x1a\nfake")
        .file("content/pages/about.md", "---\ntitle: About us\n---\nWho we are.")
}

/// Saves a file as editors do: a hidden temporary file renamed over the old one.
fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).expect("write fixture file");
    std::fs::rename(&tmp, &path).expect("rename fixture file");
}

#[test]
fn serve_gives_pages_with_their_types_and_refuses_to_leave_the_site() {
    let site = fixture();
    let root = site.root();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        root.join("content/articles/photo-story/secret.txt"),
    )
    .unwrap();
    // Hold a port so serve has to say it moved on.
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let held_port = held.local_addr().unwrap().port().to_string();
    let mut server = Server::start(root, &["--port", &held_port]);
    server.wait_line(&format!("Port {held_port} is in use"));
    assert_ne!(server.port.to_string(), held_port);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    let page = Page(Html::parse_document(&home.body));
    assert_eq!(
        page.attrs("script[src^='/__pamphlet/']", "src"),
        ["/__pamphlet/reload.js"]
    );
    assert!(
        page.texts(".card h3")
            .contains(&"Water for all".to_string())
    );

    for (target, ty) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/articles/photo-story/photo.png", "image/png"),
        ("/__pamphlet/reload.js", "text/javascript; charset=utf-8"),
        ("/about/", "text/html; charset=utf-8"),
    ] {
        let r = server.get(target);
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(ty.to_string())),
            "{target}"
        );
    }
    let css = pamphlet::render::templates::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == "static/style.css")
        .map(|(_, b)| pamphlet::render::templates::strip_css_comments(&String::from_utf8_lossy(b)));
    assert_eq!(Some(server.get("/style.css").body), css);

    let redirect = server.get("/articles/water");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("location").as_deref(),
        Some("/articles/water/")
    );

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        Page(Html::parse_document(&missing.body)).text("h1"),
        "Page not found"
    );

    for target in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/articles/%2E%2E/%2e%2e/site.toml",
        "/articles/..%2f..%2fsite.toml",
        "/articles\\..\\..\\site.toml",
        "/articles/%5c..%5c..%5csite.toml",
        "/articles/photo-story/secret.txt",
        "/articles/photo-story/%00",
    ] {
        let r = server.get(target);
        assert!(
            matches!(r.status, 400 | 403 | 404),
            "{target}: {}",
            r.status
        );
        assert!(
            !r.body.contains("base_url") && !r.body.contains("TOP SECRET"),
            "{target}"
        );
    }
    let huge = format!("/{}", "a".repeat(64 * 1024));
    assert_eq!(server.get(&huge).status, 431);

    // Slow clients: connections that send half a request head and stall take no reader's place for
    // good; a normal request is still answered while they hang (bounded by the request's own timeout).
    let stalled: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    assert_eq!(
        server.get("/about/").status,
        200,
        "served beside stalled clients"
    );
    drop(stalled);
    assert_eq!(request(server.port, "POST", "/").status, 405);

    assert!(
        !root.join("public").exists(),
        "serve must not write the output folder"
    );
    let status = server.interrupt();
    assert!(
        status.success(),
        "Ctrl-C should stop serve cleanly: {status:?}"
    );
    server.wait_line("Stopped.");
    drop(held);
}

#[test]
fn serve_reloads_on_edit_and_shows_build_errors_until_fixed() {
    let site = fixture();
    let root = site.root();
    let server = Server::start(root, &["--port", "0"]);
    let mut events = server.events();

    write(
        root,
        "content/articles/water.md",
        "---\ntitle: Water for all\ndate: 2026-01-27\ncategories: [News]\n---\nFirst words about water.\n\nAn edited paragraph.",
    );
    events.wait_for("event: reload");
    let page = server.page("/articles/water/");
    assert!(
        page.texts(".body p")
            .contains(&"An edited paragraph.".to_string())
    );
    assert_eq!(page.count("#pamphlet-overlay"), 0);

    // Broken front matter: line 3 has an impossible date.
    write(
        root,
        "content/articles/water.md",
        "---\ntitle: Water for all\ndate: 2026-02-30\ncategories: [News]\n---\nBroken version.",
    );
    let error = events.wait_for("event: build-error");
    assert!(error.contains("content/articles/water.md:3"), "{error}");
    let page = server.page("/articles/water/");
    let overlay = page.text("#pamphlet-overlay");
    assert!(overlay.contains("content/articles/water.md:3"), "{overlay}");
    assert!(
        page.texts(".body p")
            .contains(&"An edited paragraph.".to_string()),
        "last good page still served"
    );
    // A stream opened during the failure learns about it at once.
    server.events().wait_for("event: build-error");

    write(
        root,
        "content/articles/water.md",
        "---\ntitle: Water for all\ndate: 2026-02-03\ncategories: [News]\n---\nFixed version.",
    );
    events.wait_for("event: reload");
    let page = server.page("/articles/water/");
    assert_eq!(page.count("#pamphlet-overlay"), 0);
    assert_eq!(page.texts(".body p"), ["Fixed version."]);
}

#[test]
fn serve_follows_deletions_additions_renames_and_stylesheet_edits() {
    // The default theme as files on disk, so its stylesheet can be edited.
    let mut site = fixture();
    for (rel, bytes) in pamphlet::render::templates::DEFAULT_THEME {
        site = site.bytes(&format!("themes/default/{rel}"), bytes);
    }
    let root = site.root();
    let server = Server::start(root, &["--port", "0"]);
    let mut events = server.events();
    let titles = |r: &Response| Page(Html::parse_document(&r.body)).texts(".card h3");

    std::fs::remove_file(root.join("content/articles/forests.md")).unwrap();
    events.wait_for("event: reload");
    let news = server.get("/category/news/");
    assert_eq!(titles(&news), ["Water for all"]);
    assert_eq!(server.get("/articles/forests/").status, 404);

    write(
        root,
        "content/articles/oceans.md",
        "---\ntitle: Oceans rise\ndate: 2026-02-01\ncategories: [News]\n---\nSalt.",
    );
    let news = server.get_until("/category/news/", |r| titles(r).len() == 2);
    assert_eq!(titles(&news), ["Oceans rise", "Water for all"]);
    assert_eq!(server.get("/articles/oceans/").status, 200);

    // A new title changes the article's card: the listings that show it follow.
    write(
        root,
        "content/articles/water.md",
        "---\ntitle: Water for everyone\ndate: 2026-01-27\ncategories: [News]\n---\nFirst words.",
    );
    let news = server.get_until("/category/news/", |r| {
        titles(r).contains(&"Water for everyone".to_string())
    });
    assert_eq!(titles(&news), ["Oceans rise", "Water for everyone"]);
    assert!(titles(&server.get("/")).contains(&"Water for everyone".to_string()));

    // Renaming an article's folder moves its page and its asset.
    std::fs::rename(
        root.join("content/articles/photo-story"),
        root.join("content/articles/river-photos"),
    )
    .unwrap();
    server.get_until("/articles/river-photos/photo.png", |r| r.status == 200);
    assert_eq!(server.get("/articles/photo-story/").status, 404);
    assert_eq!(server.get("/articles/photo-story/photo.png").status, 404);

    // A stylesheet-only change swaps stylesheets without a full reload.
    let mut events = server.events();
    write(
        root,
        "themes/default/static/style.css",
        "body { color: teal }",
    );
    events.wait_for("event: css");
    let css = server.get_until("/style.css", |r| r.body.contains("teal"));
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(!events.buf.contains("event: reload"), "{}", events.buf);
}
