//! Evidence bundles that anyone can check: the hash-chained custody log and BagIt bags
//! (RFC 8493) zipped, both written and verified here, so the web app that exports a bundle
//! and `erbij verify` that checks it share one definition.
//!
//! Pure: bytes in, bytes or a verdict out. It never touches the file system, never
//! unpacks a bag to disk, and reads a bag within bounds whatever its zip claims.

mod bag;
pub mod custody;
pub mod upload;

pub use bag::{
    BagContents, CUSTODY_LOG, LOG_ENTRIES_LABEL, LOG_HEAD_LABEL, MAX_TOTAL_BYTES, Problem, Verdict,
    verify_zip, write_zip,
};
pub use custody::{
    ChainBreak, ChainProblem, EntryFields, GENESIS, Sealed, seal, sha256_hex, verify_chain,
};
