//! Saving a printed document where the user asked: written whole or not at all, so
//! a full disk or a pulled USB stick never leaves half a PDF behind.

use std::path::Path;

use crate::{Result, StoreError, atomic};

/// Writes `bytes` to `path` atomically.
pub fn save(path: &Path, bytes: &[u8]) -> Result<()> {
    atomic::write(path, bytes).map_err(|err| StoreError::io(path, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unwritable_destination_is_an_error_and_leaves_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("no-such-folder").join("sheet.pdf");
        assert!(matches!(save(&missing, b"%PDF-"), Err(StoreError::Io { .. })));
        save(&folder.path().join("sheet.pdf"), b"%PDF-").unwrap();
        let names: Vec<_> = std::fs::read_dir(folder.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["sheet.pdf"]);
    }
}
