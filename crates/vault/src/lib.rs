//! The evidence vault on disk: each blob a write-once file under
//! `DATA/evidence/<school>/<blob>`, encrypted with XChaCha20-Poly1305 (RustCrypto) under a
//! 256-bit key that never enters the database: `ERBIJ_EVIDENCE_KEY` (64 hex characters) or
//! the file `DATA/evidence.key` (mode 0600, created on first use).
//!
//! A file is `ERBIJEV1`, a random 24-byte nonce, then the ciphertext with its 16-byte tag;
//! the school and the blob's name are the associated data, so a blob copied under another
//! name or school does not decrypt. Files are written to a temporary name, synced, then
//! linked into place (which fails rather than overwrite) and made read-only. Plain bytes
//! never touch the disk.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use erbij_core::SchoolId;
use erbij_core::evidence::{BlobId, Vault, VaultError};

const MAGIC: &[u8; 8] = b"ERBIJEV1";
const NONCE_LEN: usize = 24;
/// The environment variable that holds the key instead of the key file.
pub const KEY_ENV: &str = "ERBIJ_EVIDENCE_KEY";
/// The key file's name in the data folder.
pub const KEY_FILE: &str = "evidence.key";
/// No blob is larger than this (uploads are capped far below).
const MAX_BLOB_BYTES: u64 = 1 << 30;

/// Why the vault cannot be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The key in the environment or file is not 64 hex characters.
    BadKey(String),
    /// The key file can be read by others than its owner.
    KeyFileTooOpen(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::BadKey(source) => write!(
                f,
                "the evidence key in {source} is not 64 hexadecimal characters (32 bytes)"
            ),
            OpenError::KeyFileTooOpen(path) => write!(
                f,
                "{} can be read by other users; run `chmod 600 {}`",
                path.display(),
                path.display()
            ),
            OpenError::Io(path, err) => write!(f, "{}: {err}", path.display()),
        }
    }
}

impl std::error::Error for OpenError {}

/// Write-once encrypted files in a folder.
pub struct FileVault {
    root: PathBuf,
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for FileVault {
    // The key stays out of every log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileVault")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

fn parse_key(text: &str, source: &str) -> Result<[u8; 32], OpenError> {
    let text = text.trim();
    let bad = || OpenError::BadKey(source.to_owned());
    if text.len() != 64 {
        return Err(bad());
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        let pair = text.get(i * 2..i * 2 + 2).ok_or_else(bad)?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| bad())?;
    }
    Ok(key)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> OpenError + '_ {
    move |err| OpenError::Io(path.to_path_buf(), err)
}

#[cfg(unix)]
fn restrict(options: &mut OpenOptions, mode: u32) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(mode);
}
#[cfg(not(unix))]
fn restrict(_: &mut OpenOptions, _: u32) {}

#[cfg(unix)]
fn too_open(path: &Path) -> std::io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::metadata(path)?.permissions().mode() & 0o077 != 0)
}
#[cfg(not(unix))]
fn too_open(_: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// The key from `ERBIJ_EVIDENCE_KEY`, else from `DATA/evidence.key` (created with mode 0600
/// when missing).
pub fn load_or_create_key(data_dir: &Path) -> Result<[u8; 32], OpenError> {
    if let Ok(text) = std::env::var(KEY_ENV) {
        if !text.trim().is_empty() {
            return parse_key(&text, KEY_ENV);
        }
    }
    let path = data_dir.join(KEY_FILE);
    fs::create_dir_all(data_dir).map_err(io(data_dir))?;
    if !path.exists() {
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key)
            .map_err(|e| OpenError::Io(path.clone(), std::io::Error::other(e.to_string())))?;
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        restrict(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => {
                file.write_all(format!("{hex}\n").as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(io(&path))?;
                return Ok(key);
            }
            // Another process made it first: read theirs.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(OpenError::Io(path, err)),
        }
    }
    if too_open(&path).map_err(io(&path))? {
        return Err(OpenError::KeyFileTooOpen(path));
    }
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    parse_key(&text, &path.display().to_string())
}

impl FileVault {
    /// The vault in `DATA/evidence`, with the key from the environment or the key file.
    pub fn open(data_dir: &Path) -> Result<FileVault, OpenError> {
        let key = load_or_create_key(data_dir)?;
        FileVault::with_key(&data_dir.join("evidence"), key)
    }

    /// A vault in `root` with a given key (tests, tools).
    pub fn with_key(root: &Path, key: [u8; 32]) -> Result<FileVault, OpenError> {
        fs::create_dir_all(root).map_err(io(root))?;
        Ok(FileVault {
            root: root.to_path_buf(),
            cipher: XChaCha20Poly1305::new(Key::from_slice(&key)),
        })
    }

    fn school_dir(&self, school: SchoolId) -> PathBuf {
        self.root.join(school.0.to_string())
    }

    fn associated_data(school: SchoolId, blob: &BlobId) -> String {
        format!("erbij-evidence:{}:{}", school.0, blob.as_str())
    }
}

fn vault_io(err: std::io::Error) -> VaultError {
    VaultError::Io(err.to_string())
}

impl Vault for FileVault {
    fn put(&self, school: SchoolId, bytes: &[u8]) -> Result<BlobId, VaultError> {
        let blob = BlobId::random()?;
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::getrandom(&mut nonce).map_err(|e| VaultError::Io(e.to_string()))?;
        let aad = FileVault::associated_data(school, &blob);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: bytes,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Io("encryption failed".into()))?;
        let dir = self.school_dir(school);
        fs::create_dir_all(&dir).map_err(vault_io)?;
        let temporary = dir.join(format!(".{}.partial", blob.as_str()));
        let target = dir.join(blob.as_str());
        let written = (|| {
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            restrict(&mut options, 0o600);
            let mut file = options.open(&temporary)?;
            file.write_all(MAGIC)?;
            file.write_all(&nonce)?;
            file.write_all(&sealed)?;
            file.sync_all()?;
            // A hard link fails when the target exists: a blob is never overwritten.
            fs::hard_link(&temporary, &target)?;
            fs::remove_file(&temporary)?;
            let mut permissions = fs::metadata(&target)?.permissions();
            permissions.set_readonly(true);
            fs::set_permissions(&target, permissions)?;
            File::open(&dir)?.sync_all()
        })();
        if let Err(err) = written {
            let _ = fs::remove_file(&temporary);
            return Err(vault_io(err));
        }
        Ok(blob)
    }

    fn get(&self, school: SchoolId, blob: &BlobId) -> Result<Vec<u8>, VaultError> {
        let path = self.school_dir(school).join(blob.as_str());
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(VaultError::Missing);
            }
            Err(err) => return Err(vault_io(err)),
        };
        let mut raw = Vec::new();
        file.take(MAX_BLOB_BYTES)
            .read_to_end(&mut raw)
            .map_err(vault_io)?;
        let (Some(magic), Some(nonce), Some(sealed)) = (
            raw.get(..MAGIC.len()),
            raw.get(MAGIC.len()..MAGIC.len() + NONCE_LEN),
            raw.get(MAGIC.len() + NONCE_LEN..),
        ) else {
            return Err(VaultError::Tampered);
        };
        if magic != MAGIC {
            return Err(VaultError::Tampered);
        }
        let aad = FileVault::associated_data(school, blob);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Tampered)
    }

    fn remove(&self, school: SchoolId, blob: &BlobId) -> Result<(), VaultError> {
        let path = self.school_dir(school).join(blob.as_str());
        match fs::remove_file(path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(vault_io(err)),
        }
    }

    fn list(&self, school: SchoolId) -> Result<Vec<BlobId>, VaultError> {
        let dir = self.school_dir(school);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(vault_io(err)),
        };
        let mut blobs = Vec::new();
        for entry in entries {
            let entry = entry.map_err(vault_io)?;
            if let Some(blob) = entry.file_name().to_str().and_then(BlobId::parse) {
                blobs.push(blob);
            }
        }
        blobs.sort();
        Ok(blobs)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("erbij-vault-{name}-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn bytes_come_back_and_never_sit_in_plain_text_on_disk() {
        let dir = temp("roundtrip");
        let vault = FileVault::with_key(&dir, [7; 32]).unwrap();
        let marker = b"UNIEKE-MARKERING-4711 Mila werd uit de groep gezet";
        let blob = vault.put(SchoolId(1), marker).unwrap();
        assert_eq!(vault.get(SchoolId(1), &blob).unwrap(), marker);
        let raw = fs::read(dir.join("1").join(blob.as_str())).unwrap();
        assert!(!raw.windows(8).any(|w| w == b"UNIEKE-M"));
        assert_eq!(vault.list(SchoolId(1)).unwrap(), vec![blob.clone()]);
        // Another school's name for the same file does not decrypt.
        fs::create_dir_all(dir.join("2")).unwrap();
        fs::copy(
            dir.join("1").join(blob.as_str()),
            dir.join("2").join(blob.as_str()),
        )
        .unwrap();
        assert_eq!(vault.get(SchoolId(2), &blob), Err(VaultError::Tampered));
    }

    #[test]
    fn an_altered_byte_or_another_key_is_refused() {
        let dir = temp("tamper");
        let vault = FileVault::with_key(&dir, [1; 32]).unwrap();
        let blob = vault.put(SchoolId(3), b"screenshot").unwrap();
        let other = FileVault::with_key(&dir, [2; 32]).unwrap();
        assert_eq!(other.get(SchoolId(3), &blob), Err(VaultError::Tampered));
        let path = dir.join("3").join(blob.as_str());
        let mut raw = fs::read(&path).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        fs::set_permissions(&path, permissions).unwrap();
        fs::write(&path, raw).unwrap();
        assert_eq!(vault.get(SchoolId(3), &blob), Err(VaultError::Tampered));
        vault.remove(SchoolId(3), &blob).unwrap();
        assert_eq!(vault.get(SchoolId(3), &blob), Err(VaultError::Missing));
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_created_once_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp("key");
        let first = load_or_create_key(&dir).unwrap();
        let second = load_or_create_key(&dir).unwrap();
        assert_eq!(first, second);
        let mode = fs::metadata(dir.join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        fs::set_permissions(dir.join(KEY_FILE), fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            load_or_create_key(&dir),
            Err(OpenError::KeyFileTooOpen(_))
        ));
    }
}
