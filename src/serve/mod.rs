//! `pamphlet serve`: takes the site folder and serve options and gives a local preview that
//! rebuilds incrementally on every change and reloads the browser. Runs until told to stop.
//! The site lives in memory only: the user's `public/` is never touched.

pub mod http;
pub mod rebuild;
pub mod reload;
pub mod watch;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Instant;

use crate::BuildOptions;
use crate::error::Diagnostic;
use http::Shared;
use rebuild::{Rebuilder, Update};
use reload::{Event, overlay_html};
use watch::{Change, Watcher, classify};

/// What `serve` needs besides the build options.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The build (root, drafts, future, base URL override).
    pub build: BuildOptions,
    /// Address to listen on.
    pub interface: IpAddr,
    /// Port to listen on (0: any free port); if taken, the next free one of the ten after it.
    pub port: u16,
}

/// What the serve loop is told.
#[derive(Debug)]
pub enum Signal {
    /// A debounced burst of changed paths.
    Files(Vec<PathBuf>),
    /// Stop serving (Ctrl-C).
    Stop,
}

/// What happened, for the command line to print (the library never prints).
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// The server is up.
    Listening {
        /// The URL to open.
        url: &'a str,
        /// The port asked for, when a different one had to be used.
        port_taken: Option<u16>,
    },
    /// A (re)build succeeded.
    Built {
        /// What it did.
        update: &'a Update,
        /// How long it took, in milliseconds.
        ms: f64,
        /// The first build.
        initial: bool,
    },
    /// A (re)build failed; the last good site is still served.
    Failed {
        /// Every problem, sorted.
        errors: &'a [Diagnostic],
    },
    /// The file watcher could not be (re)started.
    WatchError(String),
}

/// Builds the site, serves it, and rebuilds on every change until `Signal::Stop` arrives on `rx`
/// (`tx` is handed to the file watcher). Fails only when the port cannot be bound.
pub fn run(
    opts: ServeOptions,
    tx: Sender<Signal>,
    rx: Receiver<Signal>,
    report: &mut dyn FnMut(ServeEvent<'_>),
) -> Result<(), Diagnostic> {
    let (listener, port) = http::bind(opts.interface, opts.port).map_err(|e| {
        Diagnostic::error(
            "--port",
            format!("cannot listen on {}:{}: {e}", opts.interface, opts.port),
        )
        .hint("pass another --port, or stop the program using it")
    })?;
    let host = match opts.interface {
        IpAddr::V4(a) if a.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(a) if a.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    let mut build = opts.build.clone();
    // Canonical URLs and feeds point at the preview, unless --base-url says otherwise.
    build
        .base_url
        .get_or_insert_with(|| format!("http://{host}:{port}/"));
    let root = build.root.clone();
    let shared = Arc::new(Shared::new(&root, "/".to_string()));
    let mut rebuilder = Rebuilder::new(build);

    let started = Instant::now();
    let first = Change {
        full: true,
        ..Change::default()
    };
    apply(&mut rebuilder, &shared, &first, started, true, report);
    let mut watcher = {
        let tx = tx.clone();
        let (wtx, wrx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
        std::thread::Builder::new()
            .name("pamphlet-watch".into())
            .spawn(move || {
                for paths in wrx {
                    if tx.send(Signal::Files(paths)).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| Diagnostic::error(&root, format!("cannot start watching: {e}")))?;
        match Watcher::start(&root, wtx) {
            Ok(w) => Some(w),
            Err(e) => {
                report(ServeEvent::WatchError(e.to_string()));
                None
            }
        }
    };
    drop(tx);
    http::spawn(listener, shared.clone())
        .map_err(|e| Diagnostic::error("--port", format!("cannot start the server: {e}")))?;
    let base_path = rebuilder.base_path().unwrap_or_else(|| "/".to_string());
    let local = format!("http://{host}:{port}{base_path}");

    report(ServeEvent::Listening {
        url: &local,
        port_taken: (opts.port != 0 && port != opts.port).then_some(opts.port),
    });

    while let Ok(signal) = rx.recv() {
        let Signal::Files(mut paths) = signal else {
            break;
        };
        // Merge whatever else arrived meanwhile into one rebuild.
        let mut stop = false;
        while let Ok(more) = rx.try_recv() {
            match more {
                Signal::Files(p) => paths.extend(p),
                Signal::Stop => stop = true,
            }
        }
        if stop {
            break;
        }
        let change = classify(&root, rebuilder.theme(), &paths);
        if change.is_empty() {
            continue;
        }
        apply(
            &mut rebuilder,
            &shared,
            &change,
            Instant::now(),
            false,
            report,
        );
        if change.full
            && let Some(w) = watcher.as_mut()
            && let Err(e) = w.rewatch(&root)
        {
            report(ServeEvent::WatchError(e.to_string()));
        }
    }
    drop(watcher);
    Ok(())
}

/// Rebuilds for `change`, swaps the result into the store (or shows the errors), tells browsers.
fn apply(
    rebuilder: &mut Rebuilder,
    shared: &Shared,
    change: &Change,
    started: Instant,
    initial: bool,
    report: &mut dyn FnMut(ServeEvent<'_>),
) {
    match rebuilder.rebuild(change) {
        Ok(mut update) => {
            let files = std::mem::take(&mut update.files);
            let event = {
                let mut store = shared.store.write().unwrap_or_else(|e| e.into_inner());
                if let Some(b) = rebuilder.base_path() {
                    store.base_path = b;
                }
                store.apply(files, update.replace_all, update.all_paths.as_ref())
            };
            if let Some(e) = event {
                shared.hub.broadcast(&e);
            }
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            report(ServeEvent::Built {
                update: &update,
                ms,
                initial,
            });
        }
        Err(errors) => {
            let overlay = overlay_html(&errors);
            shared
                .store
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .overlay = Some(overlay.clone());
            shared.hub.broadcast(&Event::Error(overlay));
            report(ServeEvent::Failed { errors: &errors });
        }
    }
}
