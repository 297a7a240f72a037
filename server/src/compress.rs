//! Brotli and gzip for bodies kort keeps, at an effort that fits how often
//! they will be sent.
//!
//! A body sent once is compressed on the way out by the router's
//! `CompressionLayer` at [`DYNAMIC_LEVEL`]: the
//! strongest levels cost more CPU than the bytes they save are worth for
//! one answer. A body kept (`page_cache`) is compressed once for all its
//! readers, more strongly the more often it is sent ([`Effort`]).

use std::io::Write as _;

/// Brotli's quality and gzip's level for answers compressed as they are
/// sent. On a story page (60 KB), brotli 1 gives 12.5 KB and 4 (the usual
/// default) 10.9 KB; but with 4, kort served 1,000 new page states a second
/// instead of 1,450, and its encoders at 3 took 60 MB more memory under 64
/// connections. 11 gives 8.8 KB for 200 times the CPU of 1: only for pages
/// kept and sent many times (BENCHMARKS.md).
pub const DYNAMIC_LEVEL: u32 = 1;

/// How hard to compress a kept body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// A page asked for a second time: it may be sent a few times or many.
    Kept,
    /// A page sent many times: every byte saved is saved for every reader.
    Strongest,
}

impl Effort {
    /// Brotli's quality (0–11) and gzip's level (0–9). Kept pages are not
    /// given brotli 5, though it is 9% smaller than 4 on a story page: in
    /// the `brotli` crate it took so much memory that the first seconds of
    /// repeated page states at 16 connections went from about 100 MB
    /// resident to 280 MB, with only two compressing at once.
    fn levels(self) -> (u32, u32) {
        match self {
            Self::Kept => (4, 6),
            Self::Strongest => (11, 9),
        }
    }
}

/// `bytes` compressed with brotli and with gzip at `effort`.
pub fn both(bytes: &[u8], effort: Effort) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let (quality, level) = effort.levels();
    Ok((brotli(bytes, quality)?, gzip(bytes, level)?))
}

fn brotli(bytes: &[u8], quality: u32) -> std::io::Result<Vec<u8>> {
    // The window need not be larger than the body (2^10 to 2^24 bytes):
    // a smaller one takes less memory to compress and to decompress.
    let window = bytes
        .len()
        .max(1)
        .next_power_of_two()
        .trailing_zeros()
        .clamp(10, 24);
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, window);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out)
}

fn gzip(bytes: &[u8], level: u32) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(level),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// A gzip body decoded, if it is at most `limit` bytes decoded.
pub fn gunzip(body: &[u8], limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut out = Vec::with_capacity(body.len().saturating_mul(4).min(limit));
    let read = flate2::read::GzDecoder::new(body)
        .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut out)?;
    if read > limit {
        return Err(std::io::Error::other(format!(
            "the body decodes to more than {limit} bytes"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    #[test]
    fn bodies_come_back_whole_and_stronger_effort_is_no_larger() {
        let page = (0..2_000).fold(String::new(), |mut page, n| {
            let _ = write!(
                page,
                "<p id=\"p{n}\">Konvojen nær Arsal, dag {}</p>",
                n % 31
            );
            page
        });
        let (kept_br, kept_gz) = both(page.as_bytes(), Effort::Kept).expect("kept");
        let (best_br, best_gz) = both(page.as_bytes(), Effort::Strongest).expect("strongest");
        assert!(best_br.len() <= kept_br.len() && best_gz.len() <= kept_gz.len());
        for body in [&kept_br, &best_br] {
            let mut out = Vec::new();
            ::brotli::BrotliDecompress(&mut &body[..], &mut out).expect("brotli");
            assert_eq!(out, page.as_bytes());
        }
        for body in [&kept_gz, &best_gz] {
            assert_eq!(gunzip(body, page.len()).expect("gzip"), page.as_bytes());
            assert!(gunzip(body, page.len() - 1).is_err(), "over the limit");
        }
        // An empty body, and one bigger than the largest window.
        assert!(both(b"", Effort::Kept).is_ok());
    }
}
