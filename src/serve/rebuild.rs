//! Takes the site folder and each `Change` and gives the output files to swap in (or every error
//! found): re-parses only the changed documents, reuses the rendered articles of the rest, and
//! re-renders only the pages that show something that changed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::content::{self, DOC_DIRS, DocKind, LoadFilter, SourceDoc};
use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::{Highlighter, LinkMap};
use crate::render::context::{CardView, SiteView, term_view};
use crate::render::{self, MORE_IN_COUNT, NOT_FOUND_LATEST, OutputFile, Templates, page_file};
use crate::site::pagination::{page_count, page_dir};
use crate::site::{Article, Site, Term, link_map, render_doc};
use crate::{BuildOptions, load_config};

use super::watch::Change;

/// What a successful rebuild gives the server.
#[derive(Debug, Default)]
pub struct Update {
    /// Files rendered by this rebuild (all of them when `replace_all`).
    pub files: Vec<OutputFile>,
    /// The files are the whole site: drop everything else.
    pub replace_all: bool,
    /// Every output path of the site now, for dropping files that no longer exist (`None`: none went).
    pub all_paths: Option<HashSet<String>>,
    /// Templated pages rendered.
    pub pages_rendered: usize,
    /// Articles and pages whose Markdown was rendered.
    pub docs_rendered: usize,
    /// Warnings about the documents rendered by this rebuild.
    pub warnings: Vec<Diagnostic>,
}

/// What a templated page shows, to decide whether an edit affects it.
#[derive(Debug, PartialEq)]
struct PageDeps {
    /// The document it renders in full, if any.
    own: Option<PathBuf>,
    /// The articles it shows as cards, in order.
    cards: Vec<PathBuf>,
    /// Anything else it shows that can change (pager, term counts).
    key: String,
}

/// The serve loop's whole build state, kept between rebuilds.
pub struct Rebuilder {
    opts: BuildOptions,
    highlighter: Highlighter,
    config: Option<SiteConfig>,
    config_errors: Vec<Diagnostic>,
    templates: Option<Templates>,
    template_errors: Vec<Diagnostic>,
    walk_warnings: Vec<Diagnostic>,
    /// Every parsed document, held back ones too, by path relative to the root.
    docs: BTreeMap<PathBuf, SourceDoc>,
    /// Documents that fail to parse.
    doc_errors: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Documents changed since `site` was assembled.
    dirty_docs: BTreeSet<PathBuf>,
    /// The last assembled site; its articles are reused for unchanged documents.
    site: Option<Site>,
    /// The link map `site` was rendered with.
    links: LinkMap,
    /// Warnings of each document as last rendered.
    doc_warnings: HashMap<PathBuf, Vec<Diagnostic>>,
    /// What each page showed at the last successful render.
    deps: HashMap<String, PageDeps>,
    /// A fingerprint of each article's card at the last successful render.
    cards: HashMap<PathBuf, u64>,
    /// `SiteView` (on every page) at the last successful render.
    site_key: String,
    /// The served files are older than `site`: the next render must be complete.
    render_all: bool,
    /// Slug clashes, as of the last check.
    slug_errors: Vec<Diagnostic>,
    /// Documents came, went or changed slug since the last slug check.
    slugs_unchecked: bool,
}

impl Rebuilder {
    /// State for the site of `opts` (nothing loaded yet: call `rebuild` with a full change).
    pub fn new(opts: BuildOptions) -> Self {
        Rebuilder {
            opts,
            highlighter: Highlighter::new(),
            config: None,
            config_errors: Vec::new(),
            templates: None,
            template_errors: Vec::new(),
            walk_warnings: Vec::new(),
            docs: BTreeMap::new(),
            doc_errors: BTreeMap::new(),
            dirty_docs: BTreeSet::new(),
            site: None,
            links: LinkMap::new(),
            doc_warnings: HashMap::new(),
            deps: HashMap::new(),
            cards: HashMap::new(),
            site_key: String::new(),
            render_all: true,
            slug_errors: Vec::new(),
            slugs_unchecked: true,
        }
    }

    /// The configured theme, when site.toml is readable.
    pub fn theme(&self) -> Option<&str> {
        self.config.as_ref().map(|c| c.theme.as_str())
    }

    /// Which documents are published now.
    fn filter(&self) -> LoadFilter {
        LoadFilter {
            drafts: self.opts.drafts,
            future: self.opts.future,
            now: self.opts.now.unwrap_or_else(jiff::Timestamp::now),
        }
    }

    /// The site's base path (`/` or `/sub/`), when site.toml is readable.
    pub fn base_path(&self) -> Option<String> {
        self.config.as_ref().map(SiteConfig::base_path)
    }

    /// Applies `change` and renders what it affects. On failure the previous output stays valid
    /// and the errors (sorted, as the CLI prints them) come back.
    pub fn rebuild(&mut self, change: &Change) -> Result<Update, Vec<Diagnostic>> {
        if change.full || self.config.is_none() {
            self.reload_all();
        } else {
            if change.templates || change.statics {
                self.reload_templates();
            }
            for p in &change.content {
                self.reload_path(p);
            }
        }
        let pages_too = change.full || change.templates || !change.content.is_empty();
        self.finish(pages_too)
    }

    fn reload_all(&mut self) {
        let root = &self.opts.root;
        let config = match load_config(root, self.opts.base_url.as_deref()) {
            Ok(c) => c,
            Err(d) => {
                self.config_errors = d.sorted();
                return;
            }
        };
        self.config_errors.clear();
        let (files, walk) = content::doc_files(root);
        let walk = walk.sorted();
        self.config_errors = walk.iter().filter(|d| d.is_error()).cloned().collect();
        self.walk_warnings = walk.into_iter().filter(|d| !d.is_error()).collect();
        let parsed: Vec<(PathBuf, Result<SourceDoc, Diagnostics>)> = files
            .par_iter()
            .map(|(kind, abs)| {
                let rel = abs.strip_prefix(root).unwrap_or(abs).to_path_buf();
                (rel, content::load_one(root, &config, *kind, abs))
            })
            .collect();
        self.docs.clear();
        self.doc_errors.clear();
        for (rel, r) in parsed {
            match r {
                Ok(doc) => {
                    self.docs.insert(rel, doc);
                }
                Err(d) => {
                    self.doc_errors.insert(rel, d.sorted());
                }
            }
        }
        self.config = Some(config);
        self.slugs_unchecked = true;
        self.site = None;
        self.render_all = true;
        self.reload_templates();
    }

    fn reload_templates(&mut self) {
        let Some(config) = &self.config else { return };
        match Templates::load(&self.opts.root, &config.theme) {
            Ok(mut t) => {
                // Stable stylesheet names in preview, so a CSS edit swaps the stylesheet in place
                // instead of renaming it under every page.
                t.fingerprint = false;
                self.templates = Some(t);
                self.template_errors.clear();
            }
            Err(d) => self.template_errors = d.sorted(),
        }
    }

    /// Re-reads what a changed path under `content/` affects: the document itself, the documents
    /// inside a folder that appeared or went away, or the `index.md` an asset belongs to.
    fn reload_path(&mut self, rel: &Path) {
        let root = self.opts.root.clone();
        let abs = root.join(rel);
        let mut md: BTreeSet<PathBuf> = BTreeSet::new();
        let is_md = rel.extension().is_some_and(|e| e == "md");
        if is_md {
            md.insert(rel.to_path_buf());
        }
        if std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_dir()) {
            for e in WalkDir::new(&abs)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
            {
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") {
                    md.insert(
                        e.path()
                            .strip_prefix(&root)
                            .unwrap_or(e.path())
                            .to_path_buf(),
                    );
                }
            }
        }
        md.extend(
            self.docs
                .keys()
                .chain(self.doc_errors.keys())
                .filter(|k| k.starts_with(rel) && k.as_path() != rel)
                .cloned(),
        );
        if !is_md {
            // An asset: the document whose folder holds it lists it.
            for dir in rel.ancestors().skip(1) {
                if doc_kind(dir).is_none() {
                    break;
                }
                let index = dir.join("index.md");
                if root.join(&index).is_file() || self.docs.contains_key(&index) {
                    md.insert(index);
                    break;
                }
            }
        }
        for p in md {
            self.reload_doc(&p);
        }
    }

    fn reload_doc(&mut self, rel: &Path) {
        let (Some(kind), Some(config)) = (doc_kind(rel), &self.config) else {
            return;
        };
        let abs = self.opts.root.join(rel);
        if std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file()) {
            match content::load_one(&self.opts.root, config, kind, &abs) {
                Ok(doc) => {
                    self.doc_errors.remove(rel);
                    if self.docs.get(rel).is_none_or(|old| old.slug != doc.slug) {
                        self.slugs_unchecked = true;
                    }
                    if self.docs.get(rel) != Some(&doc) {
                        self.docs.insert(rel.to_path_buf(), doc);
                        self.dirty_docs.insert(rel.to_path_buf());
                    }
                }
                Err(d) => {
                    self.doc_errors.insert(rel.to_path_buf(), d.sorted());
                }
            }
        } else {
            self.doc_errors.remove(rel);
            if self.docs.remove(rel).is_some() {
                self.dirty_docs.insert(rel.to_path_buf());
                self.slugs_unchecked = true;
            }
        }
    }

    /// Every current error, sorted as the CLI prints them.
    fn errors(&mut self) -> Vec<Diagnostic> {
        if self.slugs_unchecked && self.doc_errors.is_empty() {
            let mut clashes = Diagnostics::new();
            content::check_unique_slugs(self.docs.values(), &mut clashes);
            self.slug_errors = clashes.sorted();
            self.slugs_unchecked = false;
        }
        let mut all = Diagnostics::new();
        all.extend(self.config_errors.iter().cloned());
        all.extend(self.template_errors.iter().cloned());
        all.extend(self.doc_errors.values().flatten().cloned());
        if self.doc_errors.is_empty() {
            all.extend(self.slug_errors.iter().cloned());
        }
        all.sorted()
    }

    fn finish(&mut self, pages_too: bool) -> Result<Update, Vec<Diagnostic>> {
        let errors = self.errors();
        if errors.iter().any(Diagnostic::is_error) {
            return Err(errors);
        }
        if self.config.is_none() || self.templates.is_none() {
            return Err(errors);
        }
        if pages_too && let Some(update) = self.edit_in_place() {
            return update;
        }
        let (Some(config), Some(templates)) = (&self.config, &self.templates) else {
            return Err(errors);
        };
        let mut update = Update::default();
        let filter = self.filter();
        let published: Vec<&SourceDoc> = self
            .docs
            .values()
            .filter(|d| filter.held_back(d).is_none())
            .collect();

        // MODEL: reuse the rendered article of every unchanged document, render the others.
        let base_path = config.base_path();
        let links = link_map(&base_path, &published);
        let mut previous: HashMap<PathBuf, Article> = HashMap::new();
        if links == self.links
            && let Some(old) = self.site.take()
        {
            for a in old.articles.into_iter().chain(old.pages) {
                previous.insert(a.source_path.clone(), a);
            }
        }
        let mut kept = Vec::with_capacity(published.len());
        let mut to_render = Vec::new();
        for doc in &published {
            let reusable = !self.dirty_docs.contains(&doc.path);
            match previous.remove(&doc.path).filter(|_| reusable) {
                Some(a) => {
                    let w = self
                        .doc_warnings
                        .get(&doc.path)
                        .cloned()
                        .unwrap_or_default();
                    kept.push((a, w));
                }
                None => to_render.push((*doc).clone()),
            }
        }
        let fresh: Vec<(Article, Vec<Diagnostic>)> = to_render
            .into_par_iter()
            .map(|doc| render_doc(doc, config, &base_path, &links, &self.highlighter))
            .collect();
        // Documents whose article changed (rendered anew, or gone): their pages and cards are suspect.
        let mut changed: HashSet<PathBuf> = previous.into_keys().collect();
        changed.extend(self.dirty_docs.iter().cloned());
        for (a, w) in &fresh {
            changed.insert(a.source_path.clone());
            self.doc_warnings.insert(a.source_path.clone(), w.clone());
            update.warnings.extend(w.iter().cloned());
        }
        update.docs_rendered = fresh.len();
        kept.extend(fresh);
        let (site, _) = Site::from_rendered(config.clone(), kept);
        self.links = links;
        self.dirty_docs.clear();

        // RENDER: everything when anything site-wide changed, else only the affected pages.
        let site_key = serde_json::to_string(&SiteView::new(&site)).unwrap_or_default();
        let all_pages = self.render_all || site_key != self.site_key;
        let deps = page_deps(&site);
        let cards = if all_pages {
            card_prints(&site, None)
        } else {
            let mut c = std::mem::take(&mut self.cards);
            for p in &changed {
                c.remove(p);
            }
            c.extend(card_prints(&site, Some(&changed)));
            c
        };
        let page_list = render::page_files(&site);
        let result = if all_pages {
            update.replace_all = true;
            render::render_site(&site, templates)
        } else if pages_too {
            let cards_changed: HashSet<&PathBuf> = changed
                .iter()
                .filter(|p| self.cards.get(*p) != cards.get(*p))
                .collect();
            let dirty: HashSet<&str> = page_list
                .iter()
                .filter(|rel| match (self.deps.get(*rel), deps.get(*rel)) {
                    (Some(old), Some(new)) => {
                        old.cards != new.cards
                            || old.key != new.key
                            || new.own.as_ref().is_some_and(|p| changed.contains(p))
                            || new.cards.iter().any(|c| cards_changed.contains(c))
                    }
                    // A new page, or a kind of page this module does not know: render it.
                    _ => true,
                })
                .map(String::as_str)
                .collect();
            render::render_pages(&site, templates, &|rel| dirty.contains(rel))
        } else {
            Ok(Vec::new())
        }
        .and_then(|mut files| {
            files.extend(render::support_files(&site, templates));
            files.extend(crate::distribution_files(&site, templates)?);
            Ok(files)
        });
        match result {
            Ok(files) => {
                update.pages_rendered = files
                    .iter()
                    .filter(|f| f.rel_path.ends_with(".html"))
                    .count();
                let mut all_paths: HashSet<String> = page_list.into_iter().collect();
                all_paths.extend(files.iter().map(|f| f.rel_path.clone()));
                update.all_paths = Some(all_paths);
                update.files = files;
                if update.replace_all {
                    update.warnings = self.all_warnings();
                }
                self.deps = deps;
                self.cards = cards;
                self.site_key = site_key;
                self.render_all = false;
                self.site = Some(site);
                Ok(update)
            }
            Err(d) => {
                // The model is current but the served files are not: render everything next time.
                self.render_all = true;
                self.site = Some(site);
                Err(d.sorted())
            }
        }
    }

    /// The common case, in time proportional to the edit: published documents changed, but
    /// nothing that orders, groups or lists them site-wide (date, slug, categories, tags, code,
    /// assets; a page's title). Their articles are replaced in the site as it stands and only the
    /// pages showing them are rendered. `None` when the edit needs the general path.
    fn edit_in_place(&mut self) -> Option<Result<Update, Vec<Diagnostic>>> {
        let filter = self.filter();
        let (Some(config), Some(templates), Some(site)) =
            (&self.config, &self.templates, self.site.as_mut())
        else {
            return None;
        };
        if self.render_all {
            return None;
        }
        let mut fresh = Vec::with_capacity(self.dirty_docs.len());
        for p in &self.dirty_docs {
            let doc = self.docs.get(p).filter(|d| filter.held_back(d).is_none())?;
            let (kind, i) = match site.articles.iter().position(|a| &a.source_path == p) {
                Some(i) => (DocKind::Article, i),
                None => (
                    DocKind::Page,
                    site.pages.iter().position(|a| &a.source_path == p)?,
                ),
            };
            let old = match kind {
                DocKind::Article => &site.articles[i],
                DocKind::Page => &site.pages[i],
            };
            let (new, warnings) = render_doc(
                doc.clone(),
                config,
                &site.base_path,
                &self.links,
                &self.highlighter,
            );
            let same_place = new.kind == old.kind
                && new.slug == old.slug
                && new.date == old.date
                && new.categories == old.categories
                && new.tags == old.tags
                && new.has_code == old.has_code
                && new.assets == old.assets
                && (kind == DocKind::Article || new.title == old.title);
            if !same_place {
                return None;
            }
            fresh.push((i, new, warnings));
        }
        let mut update = Update::default();
        let changed: HashSet<PathBuf> = std::mem::take(&mut self.dirty_docs).into_iter().collect();
        for (i, new, warnings) in fresh {
            update.warnings.extend(warnings.iter().cloned());
            self.doc_warnings.insert(new.source_path.clone(), warnings);
            match new.kind {
                DocKind::Article => site.articles[i] = new,
                DocKind::Page => site.pages[i] = new,
            }
            update.docs_rendered += 1;
        }
        let site: &Site = site;
        let cards = card_prints(site, Some(&changed));
        let cards_changed: HashSet<&PathBuf> = changed
            .iter()
            .filter(|p| self.cards.get(*p) != cards.get(*p))
            .collect();
        let dirty: HashSet<&str> = self
            .deps
            .iter()
            .filter(|(_, d)| {
                d.own.as_ref().is_some_and(|p| changed.contains(p))
                    || d.cards.iter().any(|c| cards_changed.contains(c))
            })
            .map(|(rel, _)| rel.as_str())
            .collect();
        // Feeds carry full content, so the feeds listing an edited article are rewritten too; the
        // sitemap is not, since nothing it shows (paths, dates) changes on this path.
        let result =
            render::render_pages(site, templates, &|rel| dirty.contains(rel)).and_then(|pages| {
                let feeds =
                    crate::feeds::render_showing(site, &|a| changed.contains(&a.source_path))?;
                Ok((pages, feeds))
            });
        Some(match result {
            Ok((mut files, feeds)) => {
                update.pages_rendered = files.len();
                files.extend(feeds);
                files.extend(render::support_files(site, templates));
                update.files = files;
                self.cards.extend(cards);
                Ok(update)
            }
            Err(d) => {
                self.render_all = true;
                Err(d.sorted())
            }
        })
    }

    fn all_warnings(&self) -> Vec<Diagnostic> {
        let mut all = Diagnostics::new();
        all.extend(self.walk_warnings.iter().cloned());
        all.extend(self.doc_warnings.values().flatten().cloned());
        all.sorted()
    }
}

/// The kind of document a path relative to the root would be (`content/articles/**`, `content/pages/**`).
fn doc_kind(rel: &Path) -> Option<DocKind> {
    let rest = rel.strip_prefix("content").ok()?;
    DOC_DIRS
        .iter()
        .find(|(dir, _)| rest.starts_with(dir))
        .map(|(_, kind)| *kind)
}

/// A fingerprint of each article's card (all articles, or those in `only`).
fn card_prints(site: &Site, only: Option<&HashSet<PathBuf>>) -> HashMap<PathBuf, u64> {
    site.articles
        .iter()
        .filter(|a| only.is_none_or(|o| o.contains(&a.source_path)))
        .map(|a| {
            let mut h = DefaultHasher::new();
            serde_json::to_string(&CardView::new(site, a))
                .unwrap_or_default()
                .hash(&mut h);
            (a.source_path.clone(), h.finish())
        })
        .collect()
}

/// What each templated page shows, mirroring the jobs of `render`. Pages missing here are
/// always re-rendered, so a new kind of page is never served stale.
fn page_deps(site: &Site) -> HashMap<String, PageDeps> {
    let mut deps = HashMap::with_capacity(site.articles.len() * 2);
    let src = |i: &usize| site.articles[*i].source_path.clone();
    for a in &site.articles {
        let (key, cards) = match site.more_in_category(a, MORE_IN_COUNT) {
            Some((cat, more)) => (
                term_key(cat),
                more.iter().map(|m| m.source_path.clone()).collect(),
            ),
            None => (String::new(), Vec::new()),
        };
        deps.insert(
            page_file(&a.out_dir),
            PageDeps {
                own: Some(a.source_path.clone()),
                cards,
                key,
            },
        );
    }
    for p in &site.pages {
        deps.insert(
            page_file(&p.out_dir),
            PageDeps {
                own: Some(p.source_path.clone()),
                cards: Vec::new(),
                key: String::new(),
            },
        );
    }
    let per_page = site.config.paginate.max(1);
    let all: Vec<usize> = (0..site.articles.len()).collect();
    let mut listing = |dir: &str, key: String, members: &[usize]| {
        let total = page_count(members.len(), per_page);
        for n in 1..=total {
            let slice = members.chunks(per_page).nth(n - 1).unwrap_or(&[]);
            deps.insert(
                page_file(&page_dir(dir, n)),
                PageDeps {
                    own: None,
                    cards: slice.iter().map(src).collect(),
                    key: format!("{key}|{total}"),
                },
            );
        }
    };
    listing("", String::new(), &all);
    for t in site.categories.iter().chain(&site.tags) {
        listing(&t.out_dir, term_key(t), &t.articles);
    }
    let latest: Vec<PathBuf> = all.iter().take(NOT_FOUND_LATEST).map(src).collect();
    deps.insert(
        page_file("404.html"),
        PageDeps {
            own: None,
            cards: latest,
            key: String::new(),
        },
    );
    deps
}

/// What a listing or "More in" box shows of a term besides its articles.
fn term_key(t: &Term) -> String {
    serde_json::to_string(&term_view(t)).unwrap_or_default()
}
