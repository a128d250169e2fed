//! Files the user names: saving a printed document where they asked — written whole
//! or not at all, so a full disk or a pulled USB stick never leaves half a PDF
//! behind — and reading a file they hand in (an instrument file).

use std::path::Path;

use crate::{Result, StoreError, atomic};

/// Writes `bytes` to `path` atomically. An error names the folder, not the file:
/// the user may have named the file after the client, and errors reach the log.
pub fn save(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    atomic::write(path, bytes).map_err(|err| StoreError::io(folder, err))
}

/// Reads a file the user named (an instrument file to check or import), as text.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|err| StoreError::io(path, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unwritable_destination_is_an_error_and_leaves_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("no-such-folder").join("sheet.pdf");
        let error = save(&missing, b"%PDF-").unwrap_err();
        assert!(matches!(&error, StoreError::Io { path, .. } if path.ends_with("no-such-folder")), "{error:?}");
        save(&folder.path().join("sheet.pdf"), b"%PDF-").unwrap();
        let names: Vec<_> = std::fs::read_dir(folder.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["sheet.pdf"]);
    }
}
