//! The queries of cases (see `erbij_core::cases`), written once for both databases.

use erbij_core::CaseStore;

use crate::sql::{Backend, SqlStore};

impl<B: Backend> CaseStore for SqlStore<B> {}
