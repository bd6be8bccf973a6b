//! Takes a folder and gives a new site in it: a commented `site.toml`, an example article showing
//! every front matter field, an about page, a `templates/` guide, and optionally a copy of the
//! built-in theme. Existing files are never overwritten.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{Created, create_new_file};
use crate::error::Diagnostic;
use crate::render::templates::DEFAULT_THEME;
use crate::slugs::is_valid_slug;

/// What `pamphlet init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to create the site in (created if missing).
    pub dir: PathBuf,
    /// Write into a non-empty folder (existing files are still kept).
    pub force: bool,
    /// Copy the built-in theme to `themes/<name>/` and select it in the new site.toml.
    pub eject_theme: Option<String>,
    /// The date put on the example articles (today, from the CLI).
    pub today: Date,
}

/// What `pamphlet init` did, paths relative to the site folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitReport {
    /// Files written.
    pub created: Vec<PathBuf>,
    /// Files that already existed and were left untouched.
    pub skipped: Vec<PathBuf>,
    /// The theme the new site.toml names.
    pub theme: String,
}

const SITE_TOML: &str = include_str!("starter/site.toml");
const GITIGNORE: &str = include_str!("starter/.gitignore");
const README: &str = include_str!("starter/README.md");
const WELCOME: &str = include_str!("starter/content/articles/welcome/index.md");
const WELCOME_COVER: &str = include_str!("starter/content/articles/welcome/cover.svg");
const SECOND: &str = include_str!("starter/content/articles/second.md");
const ABOUT: &str = include_str!("starter/content/pages/about.md");

/// File stem of the second example article, in the `<date>-<slug>.md` layout `pamphlet new` writes.
fn second_stem(today: Date) -> String {
    format!("{today}-how-to-write-an-article")
}

/// Every file of a new site (path relative to the site folder, contents); pure.
pub fn starter_files(today: Date, eject_theme: Option<&str>) -> Vec<(PathBuf, Vec<u8>)> {
    let theme = eject_theme.unwrap_or("default");
    let date = today.to_string();
    let second = second_stem(today);
    let fill = |text: &str| {
        text.replace("{{DATE}}", &date)
            .replace("{{THEME}}", theme)
            .replace("{{SECOND}}", &format!("../{second}"))
            .into_bytes()
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        ("site.toml".into(), fill(SITE_TOML)),
        (".gitignore".into(), GITIGNORE.as_bytes().to_vec()),
        ("README.md".into(), README.as_bytes().to_vec()),
        ("content/articles/welcome/index.md".into(), fill(WELCOME)),
        (
            "content/articles/welcome/cover.svg".into(),
            WELCOME_COVER.as_bytes().to_vec(),
        ),
        (
            PathBuf::from(format!("content/articles/{second}.md")),
            fill(SECOND),
        ),
        ("content/pages/about.md".into(), fill(ABOUT)),
    ];
    if let Some(name) = eject_theme {
        for (path, bytes) in DEFAULT_THEME {
            files.push((Path::new("themes").join(name).join(path), bytes.to_vec()));
        }
    }
    files
}

/// Creates the site. Refuses a non-empty folder unless `force`; even then keeps every existing file.
pub fn init(opts: &InitOptions) -> Result<InitReport, Diagnostic> {
    let dir = &opts.dir;
    if let Some(name) = &opts.eject_theme
        && !is_valid_slug(name)
    {
        return Err(Diagnostic::error(
            dir,
            format!("theme name `{name}` is not a plain folder name"),
        )
        .hint("use lowercase letters, digits and dashes, e.g. --eject-theme our-look"));
    }
    if dir.is_file() {
        return Err(Diagnostic::error(dir, "this is a file, not a folder")
            .hint("give the name of a new or empty folder"));
    }
    let not_empty = std::fs::read_dir(dir)
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    if not_empty && !opts.force {
        return Err(Diagnostic::error(dir, "refusing to create a site in a folder that is not empty")
            .hint("choose a new folder, or pass --force to add the missing files (existing files are never overwritten)"));
    }
    let mut report = InitReport {
        theme: opts.eject_theme.clone().unwrap_or_else(|| "default".into()),
        ..InitReport::default()
    };
    for (rel, bytes) in starter_files(opts.today, opts.eject_theme.as_deref()) {
        match create_new_file(&dir.join(&rel), &rel, &bytes)? {
            Created::Written => report.created.push(rel),
            Created::Existed => report.skipped.push(rel),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    fn today() -> Date {
        Date::new(2026, 3, 14).unwrap()
    }

    #[test]
    fn starter_config_parses_with_every_section() {
        let files = starter_files(today(), None);
        let toml = String::from_utf8(files[0].1.clone()).unwrap();
        let c = SiteConfig::parse(Path::new("site.toml"), &toml).unwrap();
        assert_eq!(c.theme, "default");
        assert!(c.newsletter.is_some());
        assert_eq!(c.categories.len(), 2);
        assert_eq!(c.menu.len(), 1);
        assert!(c.extra.contains_key("contact_email"));
    }

    #[test]
    fn placeholders_are_all_filled() {
        for (path, bytes) in starter_files(today(), Some("mine")) {
            let text = String::from_utf8_lossy(&bytes);
            if !path.starts_with("themes") {
                assert!(!text.contains("{{DATE}}"), "{}", path.display());
                assert!(!text.contains("{{THEME}}"), "{}", path.display());
                assert!(!text.contains("{{SECOND}}"), "{}", path.display());
            }
        }
    }

    #[test]
    fn ejecting_copies_the_theme_and_selects_it() {
        let files = starter_files(today(), Some("mine"));
        assert!(
            files
                .iter()
                .any(|(p, _)| p == Path::new("themes/mine/templates/article.html"))
        );
        let toml = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(toml.contains("theme = \"mine\""));
    }

    #[test]
    fn bad_theme_name_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let e = init(&InitOptions {
            dir: tmp.path().join("s"),
            force: false,
            eject_theme: Some("../x".into()),
            today: today(),
        })
        .unwrap_err();
        assert!(e.message.contains("not a plain folder name"));
        assert!(!tmp.path().join("s").exists());
    }
}
