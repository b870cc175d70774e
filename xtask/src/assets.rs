//! A release bundle made for the wire: modules and style sheets renamed after their content (so
//! the server may let browsers keep them for a year), and a brotli (quality 11) and a gzip copy
//! of every file the server sends as it was built.
//!
//! Names that pages outside the bundle know stay as they are and are revalidated instead: the
//! page itself, `config.json` (edited by each deployment, so never precompressed), the embed
//! loader and the frame host, and the chunk loader `__wasm_split.js`, whose name the main
//! module's imports carry inside the WebAssembly.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Hex digits of the content hash in a fingerprinted name (`main-0123456789abcdef.css`).
pub const HASH_LEN: usize = 16;

/// Files whose names stay: pages and scripts named from outside the bundle.
const STABLE: &[&str] = &["embed.js", "frame-host.js", "__wasm_split.js"];

/// Extensions of files that get a content-hashed name, in the order they are renamed: leaves
/// first (nothing a WebAssembly module or a style sheet names is renamed), then the scripts that
/// name them.
const FINGERPRINTED: &[&[&str]] = &[&["wasm", "css"], &["js"]];

/// Extensions of the files that name others and are rewritten when those are renamed.
const NAMING: &[&str] = &["html", "js"];

/// Extensions of files worth a compressed copy.
const COMPRESSIBLE: &[&str] = &["html", "js", "css", "wasm", "json", "svg", "ico", "txt"];

/// Files that are never precompressed: a deployment edits them in place, and a stale copy would
/// win over the edit.
const EDITED_IN_PLACE: &[&str] = &["config.json"];

/// Renames the widget's modules and style sheets after their content and rewrites every page and
/// script of `dist` (the top folder) that names them.
pub fn fingerprint(dist: &Path) -> Result<()> {
    for extensions in FINGERPRINTED {
        let mut renames = Vec::new();
        for path in top_files(dist)? {
            let name = file_name(&path);
            let ext = extension(&path);
            if !extensions.contains(&ext) || STABLE.contains(&name.as_str()) || is_hashed(&name) {
                continue;
            }
            let bytes = fs::read(&path).map_err(Error::io(&path))?;
            let hashed = hashed_name(&name, &bytes);
            let to = dist.join(&hashed);
            fs::rename(&path, &to).map_err(Error::io(&path))?;
            renames.push((name, hashed));
        }
        for path in top_files(dist)? {
            if NAMING.contains(&extension(&path)) {
                rewrite(&path, &renames)?;
            }
        }
    }
    Ok(())
}

/// Writes `name.br` (brotli, quality 11) and `name.gz` (gzip, level 9) next to every compressible
/// file under `dist`, except where compression saves nothing. Earlier copies are replaced.
pub fn precompress(dist: &Path) -> Result<()> {
    for path in all_files(dist)? {
        let name = file_name(&path);
        if !COMPRESSIBLE.contains(&extension(&path)) || EDITED_IN_PLACE.contains(&name.as_str()) {
            continue;
        }
        let bytes = fs::read(&path).map_err(Error::io(&path))?;
        for (suffix, compressed) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
            let copy = path.with_file_name(format!("{name}.{suffix}"));
            let compressed = compressed.map_err(Error::io(&path))?;
            if compressed.len() < bytes.len() {
                fs::write(&copy, compressed).map_err(Error::io(&copy))?;
            } else if copy.exists() {
                fs::remove_file(&copy).map_err(Error::io(&copy))?;
            }
        }
    }
    Ok(())
}

/// Whether a file name carries a content hash: `-` and 16 hex digits ending the stem or before
/// `_` (`main-0123456789abcdef.css`, Trunk's `app-0123456789abcdef_bg.wasm`).
pub fn is_hashed(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.iter().enumerate().any(|(at, b)| {
        let hash = bytes.get(at + 1..at + 1 + HASH_LEN);
        let next = bytes.get(at + 1 + HASH_LEN);
        *b == b'-'
            && hash.is_some_and(|hash| hash.iter().all(u8::is_ascii_hexdigit))
            && next.is_some_and(|next| matches!(next, b'.' | b'_'))
    })
}

/// `stem-<hash>.ext`, the hash being the first hex digits of the content's SHA-256.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest
        .iter()
        .take(HASH_LEN / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    match name.split_once('.') {
        Some((stem, ext)) => format!("{stem}-{hex}.{ext}"),
        None => format!("{name}-{hex}"),
    }
}

/// Replaces each whole-name occurrence of a renamed file in a text file.
fn rewrite(path: &Path, renames: &[(String, String)]) -> Result<()> {
    let text = fs::read_to_string(path).map_err(Error::io(path))?;
    let mut out = text.clone();
    for (from, to) in renames {
        out = replace_name(&out, from, to);
    }
    if out != text {
        fs::write(path, out).map_err(Error::io(path))?;
    }
    Ok(())
}

/// `text` with every occurrence of the file name `from` that is not part of a longer name
/// replaced by `to`.
fn replace_name(text: &str, from: &str, to: &str) -> String {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let before = if at > 0 {
            rest[..at].chars().next_back()
        } else {
            out.chars().next_back()
        };
        let after = rest[at + from.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(is_name_char) || after.is_some_and(is_name_char) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 24);
        writer.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// The files directly in `dir`, sorted.
fn top_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(Error::io(dir))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// Every file under `dir`, sorted.
fn all_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(Error::io(dir))?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(all_files(&path)?);
        } else if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn extension(path: &Path) -> &str {
    path.extension().and_then(|ext| ext.to_str()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_stem_and_extension() {
        let name = hashed_name("open-month-kiosk_bg.wasm", b"module");
        assert!(name.starts_with("open-month-kiosk_bg-"));
        assert!(name.ends_with(".wasm"));
        assert!(is_hashed(&name));
        assert_ne!(name, hashed_name("open-month-kiosk_bg.wasm", b"other"));
        assert!(is_hashed("omk-console-3b936f5038897907_bg.wasm"));
        assert!(!is_hashed("open-month-kiosk.js"));
        assert!(!is_hashed("config.json"));
    }

    #[test]
    fn only_whole_names_are_replaced() {
        let text = "import '/open-month-kiosk.js'; x['./open-month-kiosk_bg.js']; \
                    new URL('open-month-kiosk.js', b); my-open-month-kiosk.js";
        let out = replace_name(text, "open-month-kiosk.js", "open-month-kiosk-00.js");
        assert_eq!(
            out,
            "import '/open-month-kiosk-00.js'; x['./open-month-kiosk_bg.js']; \
             new URL('open-month-kiosk-00.js', b); my-open-month-kiosk.js"
        );
        assert_eq!(replace_name("main.css", "main.css", "m.css"), "m.css");
    }

    #[test]
    fn a_bundle_is_fingerprinted_and_precompressed() {
        let dir = std::env::temp_dir().join(format!("omk-assets-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        let write = |name: &str, text: &str| fs::write(dir.join(name), text).expect("write");
        write(
            "index.html",
            &"<script type=module>import init from '/app.js'; init('/app_bg.wasm')</script>\
              <link href=/main.css rel=stylesheet>"
                .repeat(4),
        );
        write(
            "app.js",
            "import * as s from './__wasm_split.js'; 'app_bg.wasm'",
        );
        write(
            "__wasm_split.js",
            "import { initSync } from './app.js'; 'chunk.wasm'",
        );
        write("app_bg.wasm", "\0asm");
        write("chunk.wasm", "\0asm chunk");
        write("main.css", "body{}");
        write("config.json", &"{}".repeat(200));
        fingerprint(&dir).expect("fingerprint");
        precompress(&dir).expect("precompress");
        let names: Vec<String> = top_files(&dir)
            .expect("list")
            .iter()
            .map(|p| file_name(p))
            .collect();
        let find = |prefix: &str, ext: &str| {
            names
                .iter()
                .find(|n| n.starts_with(prefix) && n.ends_with(ext) && is_hashed(n))
                .cloned()
                .unwrap_or_else(|| panic!("no hashed {prefix}*{ext} in {names:?}"))
        };
        let (app, wasm, chunk, css) = (
            find("app-", ".js"),
            find("app_bg-", ".wasm"),
            find("chunk-", ".wasm"),
            find("main-", ".css"),
        );
        let index = fs::read_to_string(dir.join("index.html")).expect("index");
        assert!(index.contains(&format!("'/{app}'")) && index.contains(&format!("'/{wasm}'")));
        assert!(index.contains(&format!("/{css} ")));
        let split = fs::read_to_string(dir.join("__wasm_split.js")).expect("split");
        assert!(split.contains(&format!("'./{app}'")) && split.contains(&chunk));
        let app_text = fs::read_to_string(dir.join(&app)).expect("app");
        assert!(app_text.contains("'./__wasm_split.js'") && app_text.contains(&wasm));
        assert!(names.contains(&"index.html.br".to_owned()));
        assert!(names.contains(&"index.html.gz".to_owned()));
        assert!(!names.iter().any(|n| n.starts_with("config.json.")));
        let _ = fs::remove_dir_all(&dir);
    }
}
