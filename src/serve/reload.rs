//! Takes rebuild outcomes and gives the browser side of live reload: the script injected into served
//! HTML (never into `build` output), the server-sent events, and the escaped error overlay.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::error::Diagnostic;
use crate::markdown::highlight::escape_attr;

/// Where the injected script is served.
pub const SCRIPT_PATH: &str = "/__pamphlet/reload.js";
/// Where the event stream is served.
pub const EVENTS_PATH: &str = "/__pamphlet/events";
/// The `id` of the overlay element.
pub const OVERLAY_ID: &str = "pamphlet-overlay";

/// The live-reload client: reloads on `reload`, swaps stylesheets on `css`, shows or clears the overlay.
pub const SCRIPT: &str = r#"(() => {
  "use strict";
  const id = "pamphlet-overlay";
  const es = new EventSource("/__pamphlet/events");
  es.addEventListener("reload", () => location.reload());
  es.addEventListener("css", () => {
    for (const old of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(old.href);
      url.searchParams.set("pamphlet-reload", Date.now().toString());
      const next = old.cloneNode();
      next.href = url.href;
      next.onload = () => old.remove();
      old.after(next);
    }
  });
  es.addEventListener("build-error", (e) => {
    document.getElementById(id)?.remove();
    document.body.insertAdjacentHTML("beforeend", JSON.parse(e.data));
  });
})();
"#;

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them in place.
    Css,
    /// The rebuild failed: show this overlay (HTML, already escaped).
    Error(String),
}

impl Event {
    /// The event as server-sent-event text.
    pub fn sse(&self) -> String {
        match self {
            Event::Reload => "event: reload\ndata: 1\n\n".to_string(),
            Event::Css => "event: css\ndata: 1\n\n".to_string(),
            Event::Error(html) => format!(
                "event: build-error\ndata: {}\n\n",
                serde_json::to_string(html).unwrap_or_default()
            ),
        }
    }
}

/// The open event streams; each gets every event.
#[derive(Debug, Default)]
pub struct Hub {
    subscribers: Mutex<Vec<Sender<Event>>>,
}

impl Hub {
    /// A new stream's receiving end.
    pub fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = channel();
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.push(tx);
        }
        rx
    }

    /// Sends `event` to every open stream, forgetting the closed ones.
    pub fn broadcast(&self, event: &Event) {
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.retain(|tx| tx.send(event.clone()).is_ok());
        }
    }
}

/// The overlay for failed rebuilds: each problem as the CLI prints it, HTML-escaped.
pub fn overlay_html(errors: &[Diagnostic]) -> String {
    let mut items = String::new();
    for d in errors {
        items.push_str("<pre style=\"white-space:pre-wrap;margin:0 0 1em\">");
        items.push_str(&escape_attr(&d.to_string()));
        items.push_str("</pre>");
    }
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
overflow:auto;background:rgba(20,20,20,.94);color:#fdd;font:15px/1.5 ui-monospace,monospace;padding:2em\">\
<p style=\"font-weight:bold;color:#fff;margin:0 0 1em\">Pamphlet: the last change does not build. \
The last good version is still served; fix the file and this page reloads.</p>{items}</div>"
    )
}

/// `html` with the reload script (and the overlay, when a rebuild failed) before `</body>`.
pub fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let mut tail = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    if let Some(o) = overlay {
        tail.push_str(o);
    }
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tail.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tail.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_close() {
        let out = inject(b"<html><body><p>x</p></body></html>", None);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>x</p><script src=\"/__pamphlet/reload.js\"></script></body></html>"
        );
        let out = inject(b"<p>no body</p>", None);
        assert!(out.ends_with(b"</script>"));
    }

    #[test]
    fn overlay_escapes_the_message() {
        let d = Diagnostic::error("content/articles/<x>.md", "bad `<script>`").at(Some(3), Some(1));
        let html = overlay_html(&[d]);
        assert!(html.contains("content/articles/&lt;x&gt;.md:3:1: error: bad `&lt;script&gt;`"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn error_event_is_one_data_line() {
        let sse = Event::Error("<p>a\nb</p>".into()).sse();
        assert_eq!(sse, "event: build-error\ndata: \"<p>a\\nb</p>\"\n\n");
    }

    #[test]
    fn hub_forgets_closed_streams() {
        let hub = Hub::default();
        let rx = hub.subscribe();
        drop(hub.subscribe());
        hub.broadcast(&Event::Reload);
        assert_eq!(rx.try_recv(), Ok(Event::Reload));
        assert_eq!(hub.subscribers.lock().unwrap().len(), 1);
    }
}
