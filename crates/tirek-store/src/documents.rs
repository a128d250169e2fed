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

/// The folder, inside the data folder, of instrument files a clinic imported (a
/// licensed questionnaire's item text). Not clinical data: the same for every
/// profile on the computer.
const IMPORTED: &str = "instruments";

/// Every imported instrument file as (file name, text), by name.
pub fn imported_instruments(data_dir: &crate::DataDir) -> Result<Vec<(String, String)>> {
    let folder = data_dir.path().join(IMPORTED);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(StoreError::io(&folder, err)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|err| StoreError::io(&folder, err))?.path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            files.push((name, read_text(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// Keeps an imported instrument file as `<id>.toml`, replacing an earlier import.
pub fn import_instrument(data_dir: &crate::DataDir, id: &str, text: &str) -> Result<()> {
    let folder = data_dir.path().join(IMPORTED);
    std::fs::create_dir_all(&folder).map_err(|err| StoreError::io(&folder, err))?;
    save(&folder.join(format!("{id}.toml")), text.as_bytes())
}

/// The clinic's logo inside the data folder: a PNG the letters print at the head.
const LOGO: &str = "clinic-logo.png";

/// Reads a file the user named as bytes (a logo, a CSV), refusing one larger than
/// `limit` bytes before reading it.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path).map_err(|err| StoreError::io(path, err))?.len();
    if size > limit {
        return Err(StoreError::FileTooLarge { size, limit });
    }
    std::fs::read(path).map_err(|err| StoreError::io(path, err))
}

/// Keeps the clinic's logo (already checked to be a PNG of a sensible size).
pub fn save_logo(data_dir: &crate::DataDir, png: &[u8]) -> Result<()> {
    save(&data_dir.path().join(LOGO), png)
}

/// The clinic's logo, if one was saved.
pub fn logo(data_dir: &crate::DataDir) -> Result<Option<Vec<u8>>> {
    let path = data_dir.path().join(LOGO);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(StoreError::io(&path, err)),
    }
}

/// Forgets the clinic's logo.
pub fn remove_logo(data_dir: &crate::DataDir) -> Result<()> {
    let path = data_dir.path().join(LOGO);
    match std::fs::remove_file(&path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(StoreError::io(&path, err)),
        _ => Ok(()),
    }
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
