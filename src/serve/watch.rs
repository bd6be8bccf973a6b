//! Takes the paths of a burst of file events and gives the `Change` they make to the site (the pure
//! `classify`), plus the debounced watcher that delivers those bursts.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{EventKind, MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long a path must stay quiet before its events are delivered: long enough to merge an
/// editor's write-rename-chmod burst, short enough to keep an edit-to-reload under 50 ms.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// What a burst of file events changes, from the cheapest to the most expensive rebuild.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    /// site.toml, or the site's folder layout: reload and rebuild everything.
    pub full: bool,
    /// A template (theme or site override): reload templates, re-render every page.
    pub templates: bool,
    /// Theme static files (stylesheets, scripts, images) only: no page needs re-rendering.
    pub statics: bool,
    /// Documents and their assets under `content/`, relative to the site root.
    pub content: BTreeSet<PathBuf>,
}

impl Change {
    /// True when the burst touched nothing the site is built from.
    pub fn is_empty(&self) -> bool {
        !self.full && !self.templates && !self.statics && self.content.is_empty()
    }

    /// Folds a later change into this one.
    pub fn merge(&mut self, other: Change) {
        self.full |= other.full;
        self.templates |= other.templates;
        self.statics |= other.statics;
        self.content.extend(other.content);
    }
}

/// Sorts event paths into a `Change`. `theme` is the configured theme (`None` when site.toml is
/// broken: then any theme file counts). Paths outside `root`, hidden files and editor droppings
/// are ignored.
pub fn classify(root: &Path, theme: Option<&str>, paths: &[PathBuf]) -> Change {
    let mut change = Change::default();
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<&str> = rel
            .components()
            .map(|c| match c {
                Component::Normal(s) => s.to_str().unwrap_or(""),
                _ => "",
            })
            .collect();
        if parts.is_empty() || parts.iter().any(|p| p.is_empty() || p.starts_with('.')) {
            continue;
        }
        if is_editor_temp(parts[parts.len() - 1]) {
            continue;
        }
        match parts.as_slice() {
            ["site.toml"] => change.full = true,
            ["content"] => change.full = true,
            ["content", ..] => {
                change.content.insert(rel.to_path_buf());
            }
            ["templates", ..] => change.templates = true,
            ["themes"] => change.templates = true,
            ["themes", name, rest @ ..] if theme.is_none_or(|t| t == *name) => match rest {
                ["static", _, ..] => change.statics = true,
                _ => change.templates = true,
            },
            _ => {}
        }
    }
    change
}

/// Swap, backup and probe files editors write beside the real one.
fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
}

/// The running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
}

impl Watcher {
    /// Watches `root` (site.toml and its top level) and its `content/`, `templates/` and `themes/`
    /// trees; each debounced burst of paths is sent to `tx`.
    pub fn start(
        root: &Path,
        tx: Sender<Vec<PathBuf>>,
    ) -> notify_debouncer_full::notify::Result<Self> {
        let rescan = root.join("site.toml");
        let debouncer = new_debouncer(
            DEBOUNCE,
            Some(Duration::from_millis(5)),
            move |result: DebounceEventResult| {
                // Watch errors (e.g. an unreadable folder) are retried by the next event; a rescan
                // request (the kernel dropped events) has no paths: it forces a full rebuild.
                if let Ok(events) = result {
                    let mut paths: Vec<PathBuf> = Vec::new();
                    for e in events {
                        // Reading files (ours included) is not a change; acting on it would loop.
                        if matches!(
                            e.event.kind,
                            EventKind::Access(_)
                                | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
                        ) {
                            continue;
                        }
                        if e.need_rescan() {
                            paths.push(rescan.clone());
                        }
                        paths.extend(e.event.paths.iter().cloned());
                    }
                    if !paths.is_empty() {
                        let _ = tx.send(paths);
                    }
                }
            },
        )?;
        let mut w = Watcher {
            debouncer,
            watched: Vec::new(),
        };
        w.rewatch(root)?;
        Ok(w)
    }

    /// (Re)establishes the watches, e.g. after `content/` or `themes/` appeared.
    pub fn rewatch(&mut self, root: &Path) -> notify_debouncer_full::notify::Result<()> {
        for p in self.watched.drain(..) {
            let _ = self.debouncer.unwatch(&p);
        }
        self.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        self.watched.push(root.to_path_buf());
        for dir in ["content", "templates", "themes"] {
            let p = root.join(dir);
            if p.is_dir() {
                self.debouncer.watch(&p, RecursiveMode::Recursive)?;
                self.watched.push(p);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_rel(theme: Option<&str>, rels: &[&str]) -> Change {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = rels.iter().map(|r| root.join(r)).collect();
        classify(root, theme, &paths)
    }

    #[test]
    fn article_edit_is_content_only() {
        let c = classify_rel(Some("default"), &["content/articles/water.md"]);
        assert_eq!(
            c.content.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("content/articles/water.md")]
        );
        assert!(!c.full && !c.templates && !c.statics);
    }

    #[test]
    fn config_is_full() {
        assert!(classify_rel(Some("default"), &["site.toml"]).full);
        assert!(classify_rel(Some("default"), &["content"]).full);
    }

    #[test]
    fn templates_and_theme_files() {
        assert!(classify_rel(Some("default"), &["templates/article.html"]).templates);
        let c = classify_rel(Some("x"), &["themes/x/templates/base.html"]);
        assert!(c.templates && !c.statics);
        let c = classify_rel(Some("x"), &["themes/x/static/style.css"]);
        assert!(c.statics && !c.templates);
        assert!(classify_rel(Some("x"), &["themes/other/templates/base.html"]).is_empty());
        assert!(classify_rel(None, &["themes/other/templates/base.html"]).templates);
    }

    #[test]
    fn noise_is_ignored() {
        let c = classify_rel(
            Some("default"),
            &[
                "public/index.html",
                "content/articles/.water.md.swp",
                "content/articles/water.md~",
                "content/articles/4913",
                ".git/index",
                "README.md",
            ],
        );
        assert!(c.is_empty(), "{c:?}");
        assert!(
            classify(
                Path::new("/site"),
                None,
                &[PathBuf::from("/elsewhere/site.toml")]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_burst_merges() {
        let mut c = classify_rel(
            Some("default"),
            &["content/articles/a.md", "content/articles/b/photo.jpg"],
        );
        assert_eq!(c.content.len(), 2);
        c.merge(classify_rel(Some("default"), &["site.toml"]));
        assert!(c.full && c.content.len() == 2);
    }
}
