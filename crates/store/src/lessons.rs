//! The queries of lessons (see `erbij_core::lessons`), written once for both databases.

use erbij_core::LessonStore;

use crate::sql::{Backend, SqlStore};

impl<B: Backend> LessonStore for SqlStore<B> {}
