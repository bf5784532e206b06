//! Evidence on a case: the encrypted vault, the custody log, chat analysis in the case, and pupils' own reports (Meld het).
//!
//! The use cases of this capability (as `impl Platform` blocks) and its access rules live
//! here; storage comes in through [`EvidenceStore`], which `erbij-store` implements, and
//! the bytes through the [`Vault`], which `erbij-vault` implements.

mod vault;

pub use vault::{BlobId, NoVault, Vault, VaultError};

/// Storage for this capability. Every method that touches a school's data takes the
/// `SchoolId` and implementations filter on it in the query itself.
pub trait EvidenceStore: Send + Sync {}

/// Adds this capability's fictional data to the demo school (idempotent: `--demo` reloads
/// an existing demo school).
pub(crate) fn seed_demo(
    _platform: &crate::Platform,
    _school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    Ok(())
}
