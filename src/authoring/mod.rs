//! Takes an editor's request (a folder to start, a headline, a site to check) and gives files or
//! a report: `init` makes a site, `new` starts an article, `check` finds broken links and loose ends.
//! Nothing here prints; the CLI shows what these functions return.

pub mod check;
pub mod external;
pub mod html;
pub mod init;
mod links;
pub mod new;

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::error::Diagnostic;
use crate::fsx;

/// Whether `create_new_file` wrote the file or found one already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// The file was written.
    Written,
    /// A file of that name existed; it was left as it was.
    Existed,
}

/// Writes `bytes` to `path` only if no file is there (atomic check: `create_new`), creating folders;
/// `shown` names the file in errors.
pub fn create_new_file(path: &Path, shown: &Path, bytes: &[u8]) -> Result<Created, Diagnostic> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| fsx::io_error(shown, "cannot create folder", &e))?;
    }
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(Created::Existed),
        Err(e) => return Err(fsx::io_error(shown, "cannot create", &e)),
    };
    file.write_all(bytes)
        .map_err(|e| fsx::io_error(shown, "cannot write", &e))?;
    Ok(Created::Written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a/b.txt");
        assert_eq!(
            create_new_file(&p, Path::new("a/b.txt"), b"one").unwrap(),
            Created::Written
        );
        assert_eq!(
            create_new_file(&p, Path::new("a/b.txt"), b"two").unwrap(),
            Created::Existed
        );
        assert_eq!(fs::read_to_string(&p).unwrap(), "one");
    }
}
