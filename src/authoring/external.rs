//! Takes external URLs and gives each one's status: HEAD, then GET where HEAD is refused, a few at a
//! time, each with a timeout; recent successes are remembered in a cache file between runs.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;
use crate::fsx;

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Whole-request timeout (connect, redirects and response).
    pub timeout: Duration,
    /// Cache file; `None` checks everything afresh and remembers nothing.
    pub cache: Option<PathBuf>,
    /// How long a successful result is trusted.
    pub cache_ttl: Duration,
    /// Seconds since the Unix epoch, for cache ages.
    pub now: u64,
}

impl ExternalOptions {
    /// Eight at a time, ten seconds each, successes cached for a day in `cache`.
    pub fn new(cache: Option<PathBuf>, now: u64) -> Self {
        Self {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            cache,
            cache_ttl: Duration::from_secs(24 * 60 * 60),
            now,
        }
    }
}

/// The outcome of checking one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkStatus {
    /// The final HTTP status (after redirects).
    Http(u16),
    /// No HTTP answer: DNS, connection, TLS or timeout, with the reason.
    Failed(String),
}

impl LinkStatus {
    /// 2xx and 3xx: the link works.
    pub fn is_ok(&self) -> bool {
        matches!(self, LinkStatus::Http(s) if *s < 400)
    }

    /// Statuses that say little about the link (bot blocking, rate limits, network trouble).
    pub fn is_inconclusive(&self) -> bool {
        matches!(
            self,
            LinkStatus::Http(401 | 403 | 429) | LinkStatus::Failed(_)
        )
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    /// URL -> (status, checked at, seconds since the epoch).
    links: BTreeMap<String, (u16, u64)>,
}

/// What checking external links found, with how many answers came from the cache.
#[derive(Debug, Clone, Default)]
pub struct ExternalResults {
    /// URL -> status, for every URL asked about.
    pub statuses: BTreeMap<String, LinkStatus>,
    /// How many came from the cache without a request.
    pub cached: usize,
    /// Problems reading or writing the cache (warnings).
    pub warnings: Vec<Diagnostic>,
}

/// Checks every URL in `urls` (deduplicated), using and updating the cache.
pub fn check_urls(urls: &[String], opts: &ExternalOptions) -> ExternalResults {
    let mut results = ExternalResults::default();
    let mut cache = CacheFile::default();
    if let Some(path) = &opts.cache
        && path.is_file()
    {
        match fsx::read_to_string(path, path).map(|t| serde_json::from_str::<CacheFile>(&t)) {
            Ok(Ok(c)) => cache = c,
            // A damaged cache is only a slower run: start afresh.
            Ok(Err(_)) => {}
            Err(d) => results.warnings.push(as_warning(d)),
        }
    }
    let ttl = opts.cache_ttl.as_secs();
    let mut todo: Vec<&String> = Vec::new();
    for url in urls {
        if results.statuses.contains_key(url) || todo.contains(&url) {
            continue;
        }
        match cache.links.get(url) {
            Some((status, at)) if opts.now.saturating_sub(*at) < ttl && *at <= opts.now => {
                results
                    .statuses
                    .insert(url.clone(), LinkStatus::Http(*status));
                results.cached += 1;
            }
            _ => todo.push(url),
        }
    }
    let fresh = fetch_all(&todo, opts);
    for (url, status) in fresh {
        if let LinkStatus::Http(s) = status
            && status.is_ok()
        {
            cache.links.insert(url.clone(), (s, opts.now));
        }
        results.statuses.insert(url, status);
    }
    // Forget entries too old to be used, so the file does not grow forever.
    cache
        .links
        .retain(|_, (_, at)| opts.now.saturating_sub(*at) < ttl);
    if let Some(path) = &opts.cache {
        let text = serde_json::to_string_pretty(&cache).unwrap_or_default();
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(path, text));
        if let Err(e) = written {
            let d = fsx::io_error(path, "cannot write the link cache", &e);
            results.warnings.push(as_warning(d));
        }
    }
    results
}

/// A cache problem only makes the check slower: report it as a warning.
fn as_warning(d: Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: crate::error::Severity::Warning,
        ..d
    }
}

/// Fetches `urls` with at most `opts.concurrency` requests in flight; results in input order.
fn fetch_all(urls: &[&String], opts: &ExternalOptions) -> Vec<(String, LinkStatus)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("pamphlet-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<(usize, LinkStatus)>> = Mutex::new(Vec::with_capacity(urls.len()));
    let workers = opts.concurrency.clamp(1, 64).min(urls.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let status = fetch_one(&agent, url);
                    if let Ok(mut v) = out.lock() {
                        v.push((i, status));
                    }
                }
            });
        }
    });
    let mut v = out.into_inner().unwrap_or_default();
    v.sort_by_key(|(i, _)| *i);
    v.into_iter()
        .map(|(i, status)| (urls[i].clone(), status))
        .collect()
}

/// HEAD first (cheap); servers that refuse or mishandle HEAD get a GET whose body is not read.
fn fetch_one(agent: &ureq::Agent, url: &str) -> LinkStatus {
    let head = agent.head(url).call();
    match head {
        Ok(r) if r.status().as_u16() < 400 => LinkStatus::Http(r.status().as_u16()),
        Ok(r) if !matches!(r.status().as_u16(), 404 | 410) => get(agent, url),
        Ok(r) => LinkStatus::Http(r.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => LinkStatus::Failed("timed out".into()),
        Err(_) => get(agent, url),
    }
}

fn get(agent: &ureq::Agent, url: &str) -> LinkStatus {
    match agent.get(url).call() {
        Ok(r) => LinkStatus::Http(r.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => LinkStatus::Failed("timed out".into()),
        Err(e) => LinkStatus::Failed(e.to_string()),
    }
}
