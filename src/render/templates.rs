//! Takes the site folder and theme name and gives `Templates`: tera with the theme's templates
//! (from `themes/<name>/` or, for `default`, built into the binary), the site's `templates/` overrides
//! on top, our filters, and the theme's static files. Built once per build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{ErrorKind, Kwargs, State, Tera};
use walkdir::WalkDir;

use crate::content::PubDate;
use crate::error::{Diagnostic, Diagnostics};
use crate::fsx;
use crate::slugs::slugify;

/// Prefix under which theme templates are registered, so a site override can still `{% extends "theme/x.html" %}`.
pub const THEME_PREFIX: &str = "theme/";

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)))),*]
    };
}

/// The default theme, compiled in so an installed `pamphlet` works without the repo.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/article.html",
    "templates/category.html",
    "templates/tag.html",
    "templates/index.html",
    "templates/page.html",
    "templates/404.html",
    "templates/card.html",
    "templates/partials/header.html",
    "templates/partials/footer.html",
    "templates/partials/newsletter.html",
    "templates/partials/faq.html",
    "templates/partials/source-note.html",
    "templates/partials/pagination.html",
    "templates/partials/categories.html",
    "templates/partials/seo.html",
    "static/style.css",
    "static/favicon.svg",
];

/// The compiled templates and the theme's static files.
pub struct Templates {
    /// The tera engine.
    pub tera: Tera,
    /// Template name -> file shown in messages.
    pub sources: BTreeMap<String, PathBuf>,
    /// Theme static files: (path relative to the output root, bytes).
    pub static_files: Vec<(String, Vec<u8>)>,
    /// The site's own `static/` files: (path relative to the output root, source file). They win over the theme's.
    pub site_static: Vec<(String, PathBuf)>,
    /// Publish stylesheets under content-hashed names (builds); `serve` turns it off.
    pub fingerprint: bool,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("sources", &self.sources)
            .finish_non_exhaustive()
    }
}

impl Templates {
    /// Loads the theme and overrides from `root`; every template problem is reported.
    pub fn load(root: &Path, theme: &str) -> Result<Self, Diagnostics> {
        let mut diags = Diagnostics::new();
        let mut raw: Vec<(String, String, PathBuf)> = Vec::new();
        let mut static_files = Vec::new();
        let theme_dir = root.join("themes").join(theme);
        let shown_theme = PathBuf::from("themes").join(theme);
        if theme_dir.is_dir() {
            read_tree(root, &theme_dir.join("templates"), |rel, abs, shown| {
                match fsx::read_to_string(abs, shown) {
                    Ok(text) => {
                        raw.push((format!("{THEME_PREFIX}{rel}"), text, shown.to_path_buf()))
                    }
                    Err(d) => diags.push(d),
                }
            });
            read_tree(
                root,
                &theme_dir.join("static"),
                |rel, abs, shown| match std::fs::read(abs) {
                    Ok(bytes) => static_files.push((rel.to_string(), bytes)),
                    Err(e) => diags.push(fsx::io_error(shown, "cannot read", &e)),
                },
            );
        } else if theme == "default" {
            for (path, bytes) in DEFAULT_THEME {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let shown = shown_theme.join(path);
                if let Some(rel) = path.strip_prefix("templates/") {
                    raw.push((format!("{THEME_PREFIX}{rel}"), text, shown));
                } else if let Some(rel) = path.strip_prefix("static/") {
                    static_files.push((rel.to_string(), bytes.to_vec()));
                }
            }
        } else {
            let available: Vec<String> = std::fs::read_dir(root.join("themes"))
                .map(|rd| {
                    let mut v: Vec<String> = rd
                        .filter_map(Result::ok)
                        .filter(|e| e.path().is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect();
                    v.sort();
                    v
                })
                .unwrap_or_default();
            let hint = if available.is_empty() {
                "set theme = \"default\" in site.toml (the built-in theme)".to_string()
            } else {
                format!(
                    "themes found: {}, or \"default\" (built in)",
                    available.join(", ")
                )
            };
            return Err(Diagnostics::from_iter([Diagnostic::error(
                "site.toml",
                format!(
                    "theme `{theme}` not found: there is no folder {}",
                    shown_theme.display()
                ),
            )
            .hint(hint)]));
        }
        read_tree(
            root,
            &root.join("templates"),
            |rel, abs, shown| match fsx::read_to_string(abs, shown) {
                Ok(text) => raw.push((rel.to_string(), text, shown.to_path_buf())),
                Err(d) => diags.push(d),
            },
        );
        let mut site_static = Vec::new();
        read_tree(root, &root.join("static"), |rel, abs, shown| {
            // A site's own style.css replaces the theme's and is published under a hashed name like it.
            if rel == "style.css" {
                match std::fs::read(abs) {
                    Ok(bytes) => {
                        static_files.retain(|(r, _)| r != rel);
                        static_files.push((rel.to_string(), bytes));
                    }
                    Err(e) => diags.push(fsx::io_error(shown, "cannot read", &e)),
                }
            } else {
                site_static.push((rel.to_string(), abs.to_path_buf()))
            }
        });
        if diags.has_errors() {
            return Err(diags);
        }
        // Comments document the theme's stylesheet for its editors; readers need not download them.
        for (rel, bytes) in &mut static_files {
            if rel.ends_with(".css")
                && let Ok(text) = std::str::from_utf8(bytes)
            {
                *bytes = strip_css_comments(text).into_bytes();
            }
        }
        let sources: BTreeMap<String, PathBuf> =
            raw.iter().map(|(n, _, p)| (n.clone(), p.clone())).collect();

        let mut tera = new_tera();
        if let Err(e) = tera.add_raw_templates(raw.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
        {
            // Tera stops at the first problem; parse each file alone to report every syntax error.
            for (name, text, _) in &raw {
                let mut alone = new_tera();
                if let Err(e) = alone.add_raw_template(name, text)
                    && matches!(e.kind(), ErrorKind::SyntaxError(_))
                {
                    diags.push(template_error(&e, &sources));
                }
            }
            if !diags.has_errors() {
                diags.push(template_error(&e, &sources));
            }
            return Err(diags);
        }
        Ok(Templates {
            tera,
            sources,
            static_files,
            site_static,
            fingerprint: true,
        })
    }

    /// Whether the site or the theme (under its `theme/` prefix) has a template called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
            || self.sources.contains_key(&format!("{THEME_PREFIX}{name}"))
    }

    /// Renders template `name` with `context`, mapping tera errors to the template file and line.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        let bytes = self.render_bytes(name, context, 0)?;
        // tera writes only UTF-8 (its templates and values are `str`).
        String::from_utf8(bytes).map_err(|e| Diagnostic::error(name, e.to_string()))
    }

    /// `render` into bytes, in a buffer that starts with room for `capacity` bytes: a page grown
    /// from tera's small default size is copied several times on the way to its 20 KB.
    pub fn render_bytes(
        &self,
        name: &str,
        context: &tera::Context,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        match self.tera.render_to(name, context, &mut out) {
            Ok(()) => Ok(out),
            Err(e) => {
                let mut d = template_error(&e, &self.sources);
                // Errors tera does not locate (component recursion, ...) still belong to the page's template.
                if d.path == Path::new(UNLOCATED) {
                    d.path = self
                        .sources
                        .get(name)
                        .or_else(|| self.sources.get(&format!("{THEME_PREFIX}{name}")))
                        .cloned()
                        .unwrap_or_else(|| PathBuf::from(name));
                }
                Err(d)
            }
        }
    }
}

/// CSS without its `/* comments */` and line breaks; strings are left alone.
pub fn strip_css_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '/' && chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    // Lines join without a break after `{`, `}`, `;` or `,` (where CSS needs no space); else with a space.
    let mut joined = String::with_capacity(out.len());
    for line in out.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !(joined.is_empty() || joined.ends_with(['{', '}', ';', ',']) || line.starts_with('}')) {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

fn new_tera() -> Tera {
    let mut tera = Tera::default();
    tera.set_fallback_prefixes([THEME_PREFIX])
        .expect("fallback prefixes are set before any template is added");
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.register_filter("date", date_filter);
    tera.register_filter("slugify", |s: &str, _: Kwargs, _: &State| slugify(s));
    tera
}

/// `{{ article.date.machine | date(format="%-d %B %Y") }}`
fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    let format: String = kwargs
        .get::<String>("format")?
        .unwrap_or_else(|| "%-d %B %Y".to_string());
    let date = PubDate::parse(value).map_err(tera::Error::message)?;
    date.format(&format).map_err(tera::Error::message)
}

/// Calls `each(rel, abs, shown)` for every file under `dir` (sorted; symlinks not followed).
fn read_tree(root: &Path, dir: &Path, mut each: impl FnMut(&str, &Path, &Path)) {
    if !dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
        each(&rel, entry.path(), shown);
    }
}

/// Path given to template errors tera reports without a file; `Templates::render` names the page's template instead.
const UNLOCATED: &str = "templates";

/// A tera error as a diagnostic on the template file, with line and column where tera knows them.
fn template_error(e: &tera::Error, sources: &BTreeMap<String, PathBuf>) -> Diagnostic {
    let shown = |name: &str| {
        sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            let hint = if r.message().contains("not found in context")
                || r.message().contains("undefined")
                || r.message().contains("is not defined")
            {
                "check the variable name against the README's template variables, or guard it: `{{ x?.y or \"\" }}`"
            } else {
                "see the template syntax at https://keats.github.io/tera/"
            };
            Diagnostic::error(shown(r.filename()), r.message().to_string())
                .at(Some(span.start_line), Some(span.start_col + 1))
                .hint(hint)
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            shown(current),
            format!("extends `{parent}`, which does not exist"),
        )
        .hint(
            "check the name in {% extends %}; theme templates can be reached as \"theme/<name>\"",
        ),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::error(shown(name), format!("template `{name}` not found"))
                .hint("add it to the theme's templates/ folder or to the site's templates/")
        }
        _ => {
            let text = e.to_string();
            // Reports from tera's reference checks name the file in their first line; keep the message readable.
            let name = sources.keys().find(|n| text.contains(n.as_str())).cloned();
            let path = name
                .map(|n| shown(&n))
                .unwrap_or_else(|| PathBuf::from(UNLOCATED));
            let rest = text.lines().skip(1).collect::<Vec<_>>().join("\n");
            let hint = if !rest.trim().is_empty() {
                rest
            } else if text.contains("recursion") || text.contains("Circular") {
                "a template or component reaches itself again: give the recursion a stopping condition or remove the loop".to_string()
            } else {
                "see the template syntax at https://keats.github.io/tera/".to_string()
            };
            Diagnostic::error(
                path,
                text.lines().next().unwrap_or("template error").to_string(),
            )
            .hint(hint)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_variable_names_file_line_and_hints_the_guard() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("page.html"), "<p>\n{{ nope }}</p>").unwrap();
        let t = Templates::load(tmp.path(), "default").unwrap();
        let d = t.render("page.html", &tera::Context::new()).unwrap_err();
        assert_eq!(d.location(), "templates/page.html:2:4");
        assert!(d.message.contains("`nope`"), "{}", d.message);
        assert!(d.hint.unwrap().contains("guard it"));
    }

    #[test]
    fn css_comments_go_strings_stay() {
        let css = "/* theme */\na{color:red} /* x */\nb::before{content:\"/* kept */\"}\n\n/* a\n multi-line */\n";
        assert_eq!(
            strip_css_comments(css),
            "a{color:red}b::before{content:\"/* kept */\"}"
        );
    }

    fn load_with(article: &str) -> Templates {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
        std::fs::write(tmp.path().join("templates/article.html"), article).unwrap();
        Templates::load(tmp.path(), "default").unwrap()
    }

    #[test]
    fn endless_component_recursion_is_an_error_on_the_template() {
        let t = load_with(
            "{% component loop(n) %}{{ <loop n={n+1} /> }}{% endcomponent loop %}{{ <loop n={1} /> }}",
        );
        let d = t.render("article.html", &tera::Context::new()).unwrap_err();
        assert_eq!(d.path, PathBuf::from("templates/article.html"), "{d}");
        assert!(d.message.contains("recursion"), "{d}");
        assert!(d.hint.as_deref().is_some_and(|h| !h.is_empty()), "{d}");
    }
}
