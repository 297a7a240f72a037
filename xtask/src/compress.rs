//! Precompressed copies of the static site: `<file>.br` (Brotli, quality
//! 11) and `<file>.gz` (gzip, level 9) beside every text or wasm file, so
//! the server sends the smallest encoding a browser accepts without
//! compressing on each request. Prints what each file weighs on the wire.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Result;

/// The kinds of files worth compressing (images are compressed already).
const EXTENSIONS: &[&str] = &["js", "wasm", "css", "geojson", "json", "svg", "html"];

/// Below this, compression saves less than a packet.
const MIN_BYTES: u64 = 1024;

pub fn site(site: &Path) -> Result {
    let mut files = Vec::new();
    collect(site, &mut files)?;
    files.sort();
    let (mut raw_total, mut br_total) = (0, 0);
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let br = brotli(&bytes)?;
        let gz = gzip(&bytes)?;
        let with = |extension: &str| {
            let mut name = file.clone().into_os_string();
            name.push(format!(".{extension}"));
            PathBuf::from(name)
        };
        std::fs::write(with("br"), &br).map_err(|e| format!("{}.br: {e}", file.display()))?;
        std::fs::write(with("gz"), &gz).map_err(|e| format!("{}.gz: {e}", file.display()))?;
        raw_total += bytes.len();
        br_total += br.len();
        eprintln!(
            "xtask: {:>9} B raw {:>9} B gzip {:>9} B brotli  {}",
            bytes.len(),
            gz.len(),
            br.len(),
            file.strip_prefix(site).unwrap_or(&file).display()
        );
    }
    eprintln!("xtask: precompressed {raw_total} B to {br_total} B (brotli)");
    Ok(())
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.filter_map(std::result::Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
            && entry.metadata().is_ok_and(|m| m.len() >= MIN_BYTES)
        {
            out.push(path);
        }
    }
    Ok(())
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer
            .write_all(bytes)
            .map_err(|e| format!("brotli: {e}"))?;
    }
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| format!("gzip: {e}"))?;
    encoder.finish().map_err(|e| format!("gzip: {e}"))
}
