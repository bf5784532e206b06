//! The queries of signals (see `erbij_core::signals`), written once for both databases.

use erbij_core::SignalStore;

use crate::sql::{Backend, SqlStore};

impl<B: Backend> SignalStore for SqlStore<B> {}
