//! The queries of evidence (see `erbij_core::evidence`), written once for both databases.

use erbij_core::EvidenceStore;

use crate::sql::{Backend, SqlStore};

impl<B: Backend> EvidenceStore for SqlStore<B> {}
