//! Signals and early warning: the signs a teacher records about a pupil, the pupil's timeline, and the early-warning rules ("Aandacht nodig").
//!
//! The use cases of this capability (as `impl Platform` blocks) and its access rules live
//! here; storage comes in through [`SignalStore`], which `erbij-store` implements.

/// Storage for this capability. Every method that touches a school's data takes the
/// `SchoolId` and implementations filter on it in the query itself.
pub trait SignalStore: Send + Sync {}

/// Adds this capability's fictional data to the demo school (idempotent: `--demo` reloads
/// an existing demo school).
pub(crate) fn seed_demo(
    _platform: &crate::Platform,
    _school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    Ok(())
}
