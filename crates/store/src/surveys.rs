//! The queries of surveys (see `erbij_core::surveys`), written once for both databases.

use erbij_core::SurveyStore;

use crate::sql::{Backend, SqlStore};

impl<B: Backend> SurveyStore for SqlStore<B> {}
