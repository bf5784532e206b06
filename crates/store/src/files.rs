//! The data folder holds children's names and password hashes: only the account that runs
//! erbij may read it. The folder is made 0700 and the database files (the database, its
//! WAL and shared-memory files) 0600; an existing folder or file that others could read is
//! tightened, and the change is reported so the operator knows.

use std::path::{Path, PathBuf};

use erbij_core::StoreError;

/// A permission erbij tightened: the path and its mode before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionFix {
    pub path: PathBuf,
    pub was: u32,
    pub now: u32,
}

impl std::fmt::Display for PermissionFix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} could be read by other accounts on this machine (mode {:o}); erbij changed it to {:o}",
            self.path.display(),
            self.was,
            self.now
        )
    }
}

/// The database files inside a data folder.
pub const DATABASE_FILE: &str = "erbij.sqlite3";

fn database_files(dir: &Path) -> [PathBuf; 3] {
    [
        dir.join(DATABASE_FILE),
        dir.join(format!("{DATABASE_FILE}-wal")),
        dir.join(format!("{DATABASE_FILE}-shm")),
    ]
}

/// Creates the data folder (0700) when missing; tightens it and the database files that
/// exist when others can read them. Returns what was changed.
pub fn secure_data_dir(dir: &Path) -> Result<Vec<PermissionFix>, StoreError> {
    let cannot = |what: &Path, e: std::io::Error| {
        StoreError::Backend(format!("cannot secure {}: {e}", what.display()))
    };
    if !dir.exists() {
        create_private_dir(dir).map_err(|e| cannot(dir, e))?;
        return Ok(Vec::new());
    }
    if !dir.is_dir() {
        return Err(StoreError::Backend(format!(
            "{} is not a folder; give --data-dir a folder for erbij's data",
            dir.display()
        )));
    }
    let mut fixes = Vec::new();
    if let Some(fix) = tighten(dir, 0o700).map_err(|e| cannot(dir, e))? {
        fixes.push(fix);
    }
    for file in database_files(dir) {
        if file.exists() {
            if let Some(fix) = tighten(&file, 0o600).map_err(|e| cannot(&file, e))? {
                fixes.push(fix);
            }
        }
    }
    Ok(fixes)
}

/// Creates an empty database file readable by its owner only, so SQLite (which gives the
/// WAL and shared-memory files the database file's mode) never makes a readable one.
pub(crate) fn create_private_file(path: &Path) -> Result<(), StoreError> {
    if path.exists() {
        return tighten(path, 0o600)
            .map(|_| ())
            .map_err(|e| StoreError::Backend(format!("cannot secure {}: {e}", path.display())));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Backend(format!(
            "cannot create {}: {e}",
            path.display()
        ))),
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    // `mode` is filtered by the umask, and parents keep theirs; set the folder exactly.
    tighten(dir, 0o700).map(|_| ())
}

#[cfg(unix)]
fn tighten(path: &Path, wanted: u32) -> std::io::Result<Option<PermissionFix>> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
    // Only bits for the group and others are taken away; the owner's stay as they are.
    if mode & 0o077 == 0 {
        return Ok(None);
    }
    let now = mode & !0o077 & 0o700 | (wanted & 0o700);
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(now))?;
    Ok(Some(PermissionFix {
        path: path.to_path_buf(),
        was: mode,
        now,
    }))
}

#[cfg(not(unix))]
fn tighten(_path: &Path, _wanted: u32) -> std::io::Result<Option<PermissionFix>> {
    Ok(None)
}
