//! Takes the in-memory output files and gives a written site folder: staged beside the target,
//! swapped in only when complete, and only over a folder Pamphlet created.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::render::{Contents, OutputFile};

/// Name of the marker file that says Pamphlet created (and may replace) an output folder.
pub const MARKER: &str = ".pamphlet-output";

/// What writing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written.
    pub files: usize,
}

/// Writes `files` into `out`: a sibling staging folder first, then a swap. The previous output
/// stays untouched unless the whole new site was written. Refuses to replace a non-empty folder
/// that has no marker.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<WriteReport, Diagnostic> {
    check_replaceable(out)?;
    for f in files {
        if !is_safe_rel(&f.rel_path) {
            return Err(Diagnostic::error(
                out,
                format!(
                    "refusing to write `{}` outside the output folder",
                    f.rel_path
                ),
            ));
        }
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.pamphlet-staging"));
    let old = parent.join(format!(".{name}.pamphlet-old"));
    fs::create_dir_all(parent).map_err(|e| io_err(parent, "cannot create folder", &e))?;
    for leftover in [&staging, &old] {
        if leftover.exists() {
            // Only ever delete what a previous build left: empty, or carrying our marker.
            check_replaceable(leftover)?;
            fs::remove_dir_all(leftover)
                .map_err(|e| io_err(leftover, "cannot remove a leftover folder", &e))?;
        }
    }
    let result = write_all(&staging, files);
    if let Err(mut d) = result {
        let _ = fs::remove_dir_all(&staging);
        // Name the file as the user knows it, not the staging folder that is gone by now.
        if let Ok(rest) = d.path.strip_prefix(&staging) {
            d.path = out.join(rest);
        }
        return Err(d.hint(
            "check free space, quotas and permissions on the output disk; the previous output is untouched",
        ));
    }
    if out.exists() {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            io_err(out, "cannot move the previous output aside", &e)
        })?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the previous site back so nothing is lost.
        if old.exists() {
            let _ = fs::rename(&old, out);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(io_err(out, "cannot move the new output in place", &e));
    }
    if old.exists() {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(WriteReport { files: files.len() })
}

fn write_all(staging: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    fs::create_dir_all(staging)
        .map_err(|e| io_err(staging, "cannot create the staging folder", &e))?;
    fs::write(
        staging.join(MARKER),
        b"This folder was created by pamphlet build and is replaced by each build.\n",
    )
    .map_err(|e| io_err(staging, "cannot write", &e))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.rel_path).parent().map(|p| staging.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(|e| io_err(d, "cannot create folder", &e))?;
    }
    files.par_iter().try_for_each(|f| {
        let dest = staging.join(&f.rel_path);
        match &f.contents {
            Contents::Bytes(b) => {
                fs::write(&dest, b).map_err(|e| io_err(&dest, "cannot write", &e))
            }
            Contents::Copy(src) => fs::copy(src, &dest)
                .map(|_| ())
                .map_err(|e| io_err(src, "cannot copy", &e)),
        }
    })
}

/// The output folder may be replaced if it does not exist, is empty, or carries our marker.
pub fn check_replaceable(out: &Path) -> Result<(), Diagnostic> {
    match fs::read_dir(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory || out.is_file() => {
            let what = if out.is_file() {
                "the output path is a file, not a folder"
            } else {
                "a parent of the output path is a file, not a folder"
            };
            Err(Diagnostic::error(out, what).hint("choose another --output"))
        }
        Err(e) => Err(io_err(out, "cannot read the output folder", &e)),
        Ok(mut entries) => {
            if out.join(MARKER).is_file() || entries.next().is_none() {
                Ok(())
            } else {
                Err(Diagnostic::error(
                    out,
                    "refusing to replace this folder: it is not empty and was not created by Pamphlet",
                )
                .hint("choose an empty or new --output folder; Pamphlet never deletes folders it did not create"))
            }
        }
    }
}

fn is_safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn io_err(path: &Path, doing: &str, e: &io::Error) -> Diagnostic {
    crate::fsx::io_error(path, doing, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, text: &str) -> OutputFile {
        OutputFile {
            rel_path: rel.into(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn writes_and_replaces_own_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("a/index.html", "one")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        write_site(&out, &[file("b/index.html", "two")]).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "two");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[test]
    fn refuses_foreign_folder() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        let err = write_site(tmp.path(), &[file("index.html", "x")]).unwrap_err();
        assert!(err.message.contains("not created by Pamphlet"));
        assert_eq!(
            fs::read_to_string(tmp.path().join("precious.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn failed_write_names_the_output_path_and_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("index.html", "old")]).unwrap();
        // `a` is both a file and a folder: writing the file fails, as on a full disk.
        let err = write_site(&out, &[file("a/b.html", "x"), file("a", "y")]).unwrap_err();
        assert_eq!(err.path, out.join("a"), "{err}");
        assert!(err.hint.as_deref().unwrap().contains("free space"));
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging removed"
        );
    }

    #[test]
    fn foreign_folder_with_a_staging_name_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let squatter = tmp.path().join(".public.pamphlet-staging");
        fs::create_dir_all(&squatter).unwrap();
        fs::write(squatter.join("mine.txt"), "keep").unwrap();
        assert!(write_site(&tmp.path().join("public"), &[file("index.html", "x")]).is_err());
        assert_eq!(
            fs::read_to_string(squatter.join("mine.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn output_under_a_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("f"), "x").unwrap();
        let err = check_replaceable(&tmp.path().join("f/out")).unwrap_err();
        assert!(
            err.message
                .contains("a parent of the output path is a file"),
            "{err}"
        );
    }

    #[test]
    fn refuses_escaping_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for bad in ["../x.html", "/etc/x", "a/../../x", "a\\b"] {
            assert!(write_site(&out, &[file(bad, "x")]).is_err(), "{bad}");
        }
        assert!(!tmp.path().join("x.html").exists());
    }
}
