//! Takes the in-memory output files and gives a written site folder: staged beside the target,
//! swapped in only when complete, and only over a folder Pamphlet created.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics};
use crate::render::{Contents, OutputFile};

/// Name of the marker file that says Pamphlet created (and may replace) an output folder.
pub const MARKER: &str = ".pamphlet-output";

/// What writing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files in the new output (written + unchanged).
    pub files: usize,
    /// Files whose bytes were written (new or changed).
    pub written: usize,
    /// Files whose bytes matched the previous output: hard-linked from it, so neither bytes nor mtime change.
    pub unchanged: usize,
}

/// The staging folder being filled: takes files one at a time (from any thread) and writes only
/// what differs from the previous output; the rest is hard-linked from it.
#[derive(Debug)]
pub struct Stage {
    staging: PathBuf,
    /// The current output folder, when it is ours (carries the marker): the source of unchanged files.
    previous: Option<PathBuf>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Paths written so far, lowercased: two files on one path (or on paths a case-insensitive host
    /// confuses) would overwrite each other in thread order, so the second is refused.
    seen: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

impl Stage {
    /// Puts one file into the staging folder.
    pub fn put(&self, f: &OutputFile) -> Result<(), Diagnostic> {
        if !is_safe_rel(&f.rel_path) {
            return Err(Diagnostic::error(
                &self.staging,
                format!(
                    "refusing to write `{}` outside the output folder",
                    f.rel_path
                ),
            ));
        }
        let first = self
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(f.rel_path.to_lowercase(), f.origin());
        if let Some(first) = first {
            return Err(f.clash_with(&first));
        }
        let dest = self.staging.join(&f.rel_path);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(|e| io_err(dir, "cannot create folder", &e))?;
        }
        let bytes: std::borrow::Cow<'_, [u8]> = match &f.contents {
            Contents::Bytes(b) => b.as_slice().into(),
            Contents::Copy(src) => fs::read(src)
                .map_err(|e| io_err(src, "cannot copy", &e))?
                .into(),
        };
        if let Some(prev) = &self.previous {
            let old = prev.join(&f.rel_path);
            if same_bytes(&old, &bytes) && fs::hard_link(&old, &dest).is_ok() {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        fs::write(&dest, &bytes).map_err(|e| io_err(&dest, "cannot write", &e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Whether the file at `path` holds exactly `bytes` (a missing or unreadable file does not).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Writes `files` into `out`: a sibling staging folder first, then a swap. The previous output
/// stays untouched unless the whole new site was written. Refuses to replace a non-empty folder
/// that has no marker. Files whose bytes did not change are hard-linked from the previous output.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<WriteReport, Diagnostic> {
    write_site_with(out, |stage| {
        files
            .par_iter()
            .try_for_each(|f| stage.put(f))
            .map_err(|d| Diagnostics::from_iter([d]))
    })
    .map_err(|d| {
        d.sorted()
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error(out, "cannot write the output"))
    })
}

/// Like `write_site`, but `fill` produces the files into the `Stage` as it goes (rendering and
/// writing overlap, and no page is held in memory after it is written). If `fill` fails, the staging
/// folder is removed and the previous output is left as it was.
pub fn write_site_with(
    out: &Path,
    fill: impl FnOnce(&Stage) -> Result<(), Diagnostics>,
) -> Result<WriteReport, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics::from_iter([d]);
    check_replaceable(out).map_err(one)?;
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
    fs::create_dir_all(parent).map_err(|e| one(io_err(parent, "cannot create folder", &e)))?;
    for leftover in [&staging, &old] {
        if leftover.exists() {
            // Only ever delete what a previous build left: empty, or carrying our marker.
            check_replaceable(leftover).map_err(one)?;
            remove_tree(leftover)
                .map_err(|e| one(io_err(leftover, "cannot remove a leftover folder", &e)))?;
        }
    }
    fs::create_dir_all(&staging)
        .map_err(|e| one(io_err(&staging, "cannot create the staging folder", &e)))?;
    fs::write(
        staging.join(MARKER),
        b"This folder was created by pamphlet build and is replaced by each build.\n",
    )
    .map_err(|e| one(io_err(&staging, "cannot write", &e)))?;
    let stage = Stage {
        staging: staging.clone(),
        previous: out.join(MARKER).is_file().then(|| out.to_path_buf()),
        written: AtomicUsize::new(0),
        unchanged: AtomicUsize::new(0),
        seen: Default::default(),
    };
    if let Err(d) = fill(&stage) {
        let _ = remove_tree(&staging);
        // Name files as the user knows them, not by the staging folder that is gone by now.
        return Err(d
            .into_iter()
            .map(|mut d| match d.path.strip_prefix(&staging) {
                Ok(rest) => {
                    d.path = out.join(rest);
                    d.hint(
                        "check free space, quotas and permissions on the output disk; the previous output is untouched",
                    )
                }
                Err(_) => d,
            })
            .collect());
    }
    if out.exists() {
        fs::rename(out, &old).map_err(|e| {
            let _ = remove_tree(&staging);
            one(io_err(out, "cannot move the previous output aside", &e))
        })?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        // Put the previous site back so nothing is lost.
        if old.exists() {
            let _ = fs::rename(&old, out);
        }
        let _ = remove_tree(&staging);
        return Err(one(io_err(out, "cannot move the new output in place", &e)));
    }
    if old.exists() {
        let _ = remove_tree(&old);
    }
    let written = stage.written.into_inner();
    let unchanged = stage.unchanged.into_inner();
    Ok(WriteReport {
        files: written + unchanged,
        written,
        unchanged,
    })
}

/// Removes a folder tree, sibling entries in parallel (tens of thousands of page folders).
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            remove_tree(&e.path())
        } else {
            fs::remove_file(e.path())
        }
    })?;
    fs::remove_dir(dir)
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
    fn unchanged_files_are_linked_not_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = write_site(&out, &[file("a.html", "same"), file("b.html", "old")]).unwrap();
        assert_eq!((first.written, first.unchanged), (2, 0));
        let mtime = |p: &str| fs::metadata(out.join(p)).unwrap().modified().unwrap();
        let before = mtime("a.html");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let again = write_site(&out, &[file("a.html", "same"), file("b.html", "new")]).unwrap();
        assert_eq!((again.files, again.written, again.unchanged), (2, 1, 1));
        assert_eq!(mtime("a.html"), before, "unchanged file keeps its mtime");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "new");
    }

    #[test]
    fn failed_fill_leaves_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("a.html", "keep")]).unwrap();
        let err = write_site_with(&out, |stage| {
            stage.put(&file("a.html", "half-built")).unwrap();
            Err(Diagnostics::from_iter([Diagnostic::error(
                "t.html", "boom",
            )]))
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "keep");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folder removed");
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
