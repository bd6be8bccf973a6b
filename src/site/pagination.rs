//! Takes a list length and a page size and gives the pages: which slice each shows and where it lives.

/// One page of a paginated listing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Pager {
    /// 1-based page number.
    pub current: usize,
    /// Number of pages (at least 1).
    pub total: usize,
    /// Site path of the previous page.
    pub previous: Option<String>,
    /// Site path of the next page.
    pub next: Option<String>,
    /// Site path of page 1.
    pub first: String,
    /// Site path of the last page.
    pub last: String,
}

/// Number of pages for `len` items at `per_page` (an empty list still has one page).
pub fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

/// Site path of page `n` of a listing at `base` (`/category/news/` -> `/category/news/page/2/`).
pub fn page_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Output folder of page `n` of a listing whose folder is `dir` (`""` for the home page).
pub fn page_dir(dir: &str, n: usize) -> String {
    match (n, dir.is_empty()) {
        (0 | 1, _) => dir.to_string(),
        (_, true) => format!("page/{n}"),
        (_, false) => format!("{dir}/page/{n}"),
    }
}

/// The pager for page `n` of `total`.
pub fn pager(base: &str, n: usize, total: usize) -> Pager {
    Pager {
        current: n,
        total,
        previous: (n > 1).then(|| page_path(base, n - 1)),
        next: (n < total).then(|| page_path(base, n + 1)),
        first: page_path(base, 1),
        last: page_path(base, total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_paths() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_path("/c/", 1), "/c/");
        assert_eq!(page_path("/c/", 3), "/c/page/3/");
        assert_eq!(page_dir("", 2), "page/2");
        assert_eq!(page_dir("category/news", 2), "category/news/page/2");
        let p = pager("/c/", 2, 3);
        assert_eq!(p.previous.as_deref(), Some("/c/"));
        assert_eq!(p.next.as_deref(), Some("/c/page/3/"));
    }
}
