//! Test helpers: load a fixture folder as entries, or zip it the way Instagram does.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use erbij_social::{Download, MemoryEntries, ReadError, ZipEntries, read_download};

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
}

/// Every file under `tests/data/NAME`, as `(relative path, bytes)`, sorted by path.
pub fn fixture_files(name: &str) -> Vec<(String, Vec<u8>)> {
    let root = data_dir().join(name);
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, std::fs::read(&path).unwrap()));
        }
    }
}

/// A zip of `files` with every entry time set to `made` (UTC fields), deflated.
pub fn zip_bytes(files: &[(String, Vec<u8>)], made: (u16, u8, u8, u8, u8)) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let time =
        zip::DateTime::from_date_and_time(made.0, made.1, made.2, made.3, made.4, 0).unwrap();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time);
    for (path, bytes) in files {
        writer.start_file(path.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

pub fn read_folder(name: &str) -> Result<Download, ReadError> {
    read_download(&mut MemoryEntries::new(fixture_files(name)))
}

pub fn read_zip(bytes: Vec<u8>) -> Result<Download, ReadError> {
    let mut source = ZipEntries::open(Cursor::new(bytes), "download.zip")?;
    read_download(&mut source)
}

pub fn read_zipped_folder(name: &str) -> Result<Download, ReadError> {
    read_zip(zip_bytes(&fixture_files(name), (2025, 10, 1, 12, 0)))
}

/// Account names of a list, in order.
pub fn names(list: &Option<Vec<erbij_social::Relationship>>) -> Vec<String> {
    list.as_ref()
        .expect("list present")
        .iter()
        .map(|r| r.account.to_string())
        .collect()
}
