//! Takes titles, names and file stems and gives URL slugs: lowercase ASCII words joined by `-`.

/// The one slug function of the project: transliterates (deunicode), lowercases, joins words with `-`.
///
/// Titles in scripts without a Latin transliteration give an empty slug; callers must then ask
/// for an explicit `slug:`.
pub fn slugify(text: &str) -> String {
    ::slug::slugify(text)
}

/// True when `s` is a non-empty slug that is safe as one URL path segment and folder name:
/// only `a-z`, `0-9` and single inner `-`, and not a reserved Windows device name.
pub fn is_valid_slug(s: &str) -> bool {
    const RESERVED: [&str; 22] = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    !s.is_empty()
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        // `slugify` never makes `--`; refusing it keeps every valid slug its own slugify (found by fuzzing).
        && !s.contains("--")
        && !RESERVED.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_dashed() {
        assert_eq!(slugify("Human Trafficking"), "human-trafficking");
        assert_eq!(slugify("Ecocide: what's next?"), "ecocide-what-s-next");
        assert_eq!(slugify("Café déjà vu"), "cafe-deja-vu");
    }

    #[test]
    fn fuzz_regression_valid_slugs_are_their_own_slug() {
        // fuzz/regressions/slug-triple-dash: `mna272---6sc27lt` passed as valid, yet slugifies to `mna272-6sc27lt`.
        let input = "mna272---6sc27lt";
        assert!(!is_valid_slug(input));
        let s = slugify(input);
        assert!(is_valid_slug(&s));
        assert_eq!(slugify(&s), s);
    }

    #[test]
    fn validity_refuses_paths_and_devices() {
        assert!(is_valid_slug("liberterra-iii"));
        for bad in [
            "", "../x", "a/b", "a\\b", "A", "con", "-a", "a\0b", "a b", "a--b",
        ] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }
}
