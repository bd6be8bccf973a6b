//! Takes rendered HTML and its page URL and gives the HTML with every link and image URL
//! absolute, as a feed reader needs it.

/// Makes every double-quoted `href`/`src` in rendered HTML absolute, so the HTML works inside a
/// feed reader (which has no page URL to resolve `/articles/x/` or `hero.svg` against).
pub fn absolutize(html: &str, page_url: &str, origin: &str) -> String {
    // One pass over every `="`: searching for each attribute name separately rescanned the rest of
    // the text per link, which was quadratic on long articles.
    let mut out = String::with_capacity(html.len() + 256);
    let (mut copied, mut search) = (0, 0);
    while let Some(found) = html[search..].find("=\"") {
        let eq = search + found;
        let value_start = eq + 2;
        let name = ["href", "src"]
            .into_iter()
            .find(|n| html[..eq].ends_with(n));
        // Only a real attribute: the name preceded by whitespace (not `data-src="` or escaped text).
        let is_attr = name.is_some_and(|n| {
            eq > n.len() && html.as_bytes()[eq - n.len() - 1].is_ascii_whitespace()
        });
        if !is_attr {
            search = value_start;
            continue;
        }
        let end = html[value_start..]
            .find('"')
            .map_or(html.len(), |e| value_start + e);
        out.push_str(&html[copied..value_start]);
        out.push_str(&resolve_url(&html[value_start..end], page_url, origin));
        copied = end;
        search = end;
    }
    out.push_str(&html[copied..]);
    out
}

/// Resolves a URL reference against a page URL (which ends in `/`); absolute ones are kept.
pub(crate) fn resolve_url(value: &str, page_url: &str, origin: &str) -> String {
    let has_scheme = value
        .find(':')
        .is_some_and(|i| !value[..i].is_empty() && !value[..i].contains(['/', '?', '#']));
    if has_scheme || value.starts_with("//") {
        return value.to_string();
    }
    if value.starts_with('/') {
        return format!("{origin}{value}");
    }
    if value.is_empty() || value.starts_with(['#', '?']) {
        return format!("{page_url}{value}");
    }
    // `a/b.png`, `./a.png`, `../x/`: walk the page's folder.
    let path_start = origin.len();
    let mut segs: Vec<&str> = page_url[path_start..]
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let (path, tail) = match value.find(['?', '#']) {
        Some(i) => value.split_at(i),
        None => (value, ""),
    };
    let parts: Vec<&str> = path.split('/').collect();
    for p in &parts {
        match *p {
            "." => {}
            ".." => {
                segs.pop();
            }
            "" => {}
            p => segs.push(p),
        }
    }
    let last = parts.last().copied().unwrap_or("");
    let trailing = if matches!(last, "" | "." | "..") {
        "/"
    } else {
        ""
    };
    format!("{origin}/{}{trailing}{tail}", segs.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_against_the_page() {
        let page = "https://x.org/sub/articles/a/";
        let o = "https://x.org";
        assert_eq!(resolve_url("/sub/b/", page, o), "https://x.org/sub/b/");
        assert_eq!(
            resolve_url("hero.svg", page, o),
            "https://x.org/sub/articles/a/hero.svg"
        );
        assert_eq!(
            resolve_url("./i/h.png", page, o),
            "https://x.org/sub/articles/a/i/h.png"
        );
        assert_eq!(
            resolve_url("../b/", page, o),
            "https://x.org/sub/articles/b/"
        );
        assert_eq!(
            resolve_url("#fn-1", page, o),
            "https://x.org/sub/articles/a/#fn-1"
        );
        assert_eq!(resolve_url("https://y.org/", page, o), "https://y.org/");
        assert_eq!(resolve_url("mailto:a@b.org", page, o), "mailto:a@b.org");
        assert_eq!(resolve_url("//cdn.org/x", page, o), "//cdn.org/x");
    }

    #[test]
    fn only_real_attributes_are_rewritten() {
        let html =
            r#"<p><a href="/a/">x</a> href=&quot;/b/&quot; <img data-src="/c" src="d.png"></p>"#;
        assert_eq!(
            absolutize(html, "https://x.org/p/", "https://x.org"),
            r#"<p><a href="https://x.org/a/">x</a> href=&quot;/b/&quot; <img data-src="/c" src="https://x.org/p/d.png"></p>"#
        );
    }
}
