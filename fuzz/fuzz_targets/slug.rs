//! Fuzz target: any text -> `slugify`; a non-empty slug is always a valid one (or a reserved device name).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pamphlet::slugs::{is_valid_slug, slugify};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let s = slugify(text);
    assert!(
        s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{s:?}"
    );
    assert!(!s.contains(".."));
    assert_eq!(slugify(&s), s, "slugify is idempotent");
    if is_valid_slug(text) {
        assert_eq!(slugify(text), text, "a valid slug is its own slug");
    }
});
