//! The folder that holds everything Tirek keeps on this computer. Before anything is
//! saved we make sure the folder exists and really accepts writes, so that a
//! read-only or misconfigured folder is reported on the first screen rather than as
//! a lost record later.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Result, StoreError};

/// A data folder known to exist and to accept writes when it was opened.
#[derive(Debug, Clone)]
pub struct DataDir {
    path: PathBuf,
}

impl DataDir {
    /// Creates the folder if needed and proves it writable by writing and removing
    /// a probe file.
    pub fn open(path: &Path) -> Result<DataDir> {
        if path.exists() && !path.is_dir() {
            return Err(StoreError::DataDirNotAFolder { path: path.to_owned() });
        }
        let unwritable = |source| StoreError::DataDirUnwritable { path: path.to_owned(), source };
        fs::create_dir_all(path).map_err(|source| match source.kind() {
            // `create_dir_all` below a file fails as "not a directory".
            io::ErrorKind::NotADirectory => StoreError::DataDirNotAFolder { path: path.to_owned() },
            _ => unwritable(source),
        })?;
        let probe = path.join(format!(".write-probe-{}", std::process::id()));
        fs::write(&probe, b"tirek").map_err(unwritable)?;
        fs::remove_file(&probe).map_err(unwritable)?;
        Ok(DataDir { path: path.to_owned() })
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_a_missing_folder() {
        let parent = tempfile::tempdir().unwrap();
        let path = parent.path().join("nested").join("tirek");
        let data_dir = DataDir::open(&path).unwrap();
        assert!(data_dir.path().is_dir());
        assert_eq!(fs::read_dir(&path).unwrap().count(), 0, "the probe file must be removed");
    }

    #[test]
    fn a_file_in_the_way_is_reported_as_not_a_folder() {
        let parent = tempfile::tempdir().unwrap();
        let file = parent.path().join("file");
        fs::write(&file, b"x").unwrap();
        for path in [file.clone(), file.join("below")] {
            let err = DataDir::open(&path).unwrap_err();
            assert!(matches!(err, StoreError::DataDirNotAFolder { .. }), "{path:?}: {err:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_refuses_writes_is_reported_with_its_path() {
        // /proc refuses new entries even to root, so this holds in CI as well.
        let path = Path::new("/proc/tirek-test");
        let err = DataDir::open(path).unwrap_err();
        assert!(matches!(err, StoreError::DataDirUnwritable { .. }), "{err:?}");
        assert_eq!(err.to_string(), "cannot write to the data folder /proc/tirek-test");
    }
}
