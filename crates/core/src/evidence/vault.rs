//! Where evidence bytes live: the [`Vault`] interface. `erbij-vault` implements it with
//! files encrypted at rest (XChaCha20-Poly1305) under a key kept outside the database; the
//! binary picks it. A stored blob is never rewritten: a correction is a new blob.

use std::fmt;

use crate::SchoolId;

/// A stored blob's name: 32 lowercase hex characters, random.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobId(String);

impl BlobId {
    /// Accepts only what [`BlobId::random`] makes, so a name from the database can never
    /// become a path outside the vault.
    pub fn parse(raw: &str) -> Option<BlobId> {
        (raw.len() == 32
            && raw
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| BlobId(raw.to_owned()))
    }

    /// A fresh random name.
    pub fn random() -> Result<BlobId, VaultError> {
        let mut bytes = [0u8; 16];
        getrandom::getrandom(&mut bytes).map_err(|e| VaultError::Io(e.to_string()))?;
        Ok(BlobId(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlobId({})", self.0)
    }
}

impl fmt::Display for BlobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// No blob by that name (removed, or never stored).
    #[error("no such blob")]
    Missing,
    /// The blob does not decrypt under the key: altered on disk, or another key.
    #[error("the blob does not decrypt (altered, or a different key)")]
    Tampered,
    /// No vault is configured for this installation.
    #[error("no evidence vault is configured")]
    NotConfigured,
    #[error("vault I/O error: {0}")]
    Io(String),
}

/// Encrypted, write-once storage for evidence bytes, per school.
pub trait Vault: Send + Sync + fmt::Debug {
    /// Encrypts and stores `bytes` under a new name; never overwrites anything.
    fn put(&self, school: SchoolId, bytes: &[u8]) -> Result<BlobId, VaultError>;
    /// The decrypted bytes of a blob.
    fn get(&self, school: SchoolId, blob: &BlobId) -> Result<Vec<u8>, VaultError>;
    /// Deletes a blob for good (retention, a refused upload); missing is fine.
    fn remove(&self, school: SchoolId, blob: &BlobId) -> Result<(), VaultError>;
    /// Every blob stored for a school (to find blobs no row refers to any more).
    fn list(&self, school: SchoolId) -> Result<Vec<BlobId>, VaultError>;
}

/// The vault of an installation without one: every call says so.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoVault;

impl Vault for NoVault {
    fn put(&self, _: SchoolId, _: &[u8]) -> Result<BlobId, VaultError> {
        Err(VaultError::NotConfigured)
    }
    fn get(&self, _: SchoolId, _: &BlobId) -> Result<Vec<u8>, VaultError> {
        Err(VaultError::NotConfigured)
    }
    fn remove(&self, _: SchoolId, _: &BlobId) -> Result<(), VaultError> {
        Err(VaultError::NotConfigured)
    }
    fn list(&self, _: SchoolId) -> Result<Vec<BlobId>, VaultError> {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_names_are_hex_only() {
        assert!(BlobId::parse("0123456789abcdef0123456789abcdef").is_some());
        assert!(BlobId::parse("../../etc/passwd0123456789abcdef").is_none());
        assert!(BlobId::parse("0123456789ABCDEF0123456789ABCDEF").is_none());
        let fresh = BlobId::random().unwrap_or_else(|_| unreachable!());
        assert_eq!(BlobId::parse(fresh.as_str()), Some(fresh));
    }
}
