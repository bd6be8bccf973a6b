//! Takes paths and gives file-system results whose errors name the path (as `Diagnostic`s).

use std::fs;
use std::path::Path;

use crate::error::Diagnostic;

/// Reads a UTF-8 file; a missing file, a read error or non-UTF-8 bytes name the path (and line).
pub fn read_to_string(path: &Path, shown_as: &Path) -> Result<String, Diagnostic> {
    let bytes = fs::read(path).map_err(|e| io_error(shown_as, "cannot read", &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Diagnostic::error(shown_as, "file is not valid UTF-8")
            .at(Some(line), Some(column))
            .hint("save the file as UTF-8 in your editor")
    })
}

/// Turns an io::Error into a diagnostic naming `path` and what was being done.
pub fn io_error(path: &Path, doing: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(path, format!("{doing}: {e}"))
}
