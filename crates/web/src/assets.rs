//! The stylesheet and the small script, compiled into the binary: no file on disk, no CDN.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/app.js");
const ICON: &str = include_str!("../assets/icon.svg");
const CASES_PRINT: &str = include_str!("../assets/cases-print.css");
const LESSONS_STYLE: &str = include_str!("../assets/lessons.css");
const SURVEYS_STYLE: &str = include_str!("../assets/surveys.css");
const SURVEYS_PRINT: &str = include_str!("../assets/surveys-print.css");
const LESSONS_SCRIPT: &str = include_str!("../assets/lessons.js");

pub async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let (body, content_type) = match file.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        "icon.svg" => (ICON, "image/svg+xml"),
        "cases-print.css" => (CASES_PRINT, "text/css; charset=utf-8"),
        "lessons.css" => (LESSONS_STYLE, "text/css; charset=utf-8"),
        "surveys.css" => (SURVEYS_STYLE, "text/css; charset=utf-8"),
        "surveys-print.css" => (SURVEYS_PRINT, "text/css; charset=utf-8"),
        "lessons.js" => (LESSONS_SCRIPT, "text/javascript; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}
