//! gzip for the live stream without a compressor per connection. Each frame is deflated
//! once, on its own, into a segment that ends in a sync flush and refers to nothing before
//! it; any run of such segments is valid deflate data. A subscriber that accepts gzip gets
//! the gzip header, then the segments of its frames as they come, and, when the server
//! closes the stream, the last block and the checksum of what it was sent.

use bytes::Bytes;
use flate2::{Compress, Compression, FlushCompress};

/// The gzip member header: deflate, no name, no time, unknown system (RFC 1952 §2.3).
pub const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// The final, empty block that ends the deflate data: a fixed-Huffman block holding
/// only its end code.
const LAST_BLOCK: [u8; 2] = [0x03, 0x00];

/// `plain` deflated on its own, ending in a sync flush: a segment to send after any other.
pub fn segment(plain: &[u8]) -> Bytes {
    let mut deflate = Compress::new(Compression::best(), false);
    // Deflate never grows data by more than a few bytes per 16 KiB block, and the flush adds
    // an empty stored block.
    let mut out = Vec::with_capacity(plain.len() + plain.len() / 1000 + 64);
    loop {
        let consumed = deflate.total_in() as usize;
        let status = deflate.compress_vec(&plain[consumed..], &mut out, FlushCompress::Sync);
        let done = deflate.total_in() as usize == plain.len() && out.len() < out.capacity();
        if status.is_err() || done {
            break;
        }
        out.reserve(out.capacity().max(64));
    }
    Bytes::from(out)
}

/// The checksum and length of what one subscriber has been sent, for its trailer.
#[derive(Debug, Default)]
pub struct Trailer {
    crc: crc32fast::Hasher,
    len: u32,
}

impl Trailer {
    /// Counts `plain`, sent deflated.
    pub fn count(&mut self, plain: &[u8]) {
        self.crc.update(plain);
        // ISIZE is the length modulo 2^32 (RFC 1952 §2.3.1).
        self.len = self.len.wrapping_add(plain.len() as u32);
    }

    /// The last block and the gzip trailer that end the body.
    pub fn finish(&self) -> Bytes {
        let mut end = Vec::with_capacity(10);
        end.extend_from_slice(&LAST_BLOCK);
        end.extend_from_slice(&self.crc.clone().finalize().to_le_bytes());
        end.extend_from_slice(&self.len.to_le_bytes());
        Bytes::from(end)
    }
}

/// Whether an `Accept-Encoding` value accepts gzip (not given a weight of 0).
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|offer| {
        let mut parts = offer.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|param| {
            param
                .strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        name.eq_ignore_ascii_case("gzip") && !refused
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn gunzip(body: &[u8]) -> std::io::Result<String> {
        let mut plain = String::new();
        flate2::read::GzDecoder::new(body).read_to_string(&mut plain)?;
        Ok(plain)
    }

    #[test]
    fn segments_in_a_row_are_one_gzip_body_with_its_checksum() {
        let frames = [
            "retry: 2000\n\n".to_owned(),
            format!(
                "id: 1\nevent: metrics\ndata: {}\n\n",
                "{\"a\":1}".repeat(900)
            ),
            ": keep-alive\n\n".to_owned(),
            "id: 2\nevent: update\ndata: {}\n\n".to_owned(),
        ];
        let mut body = HEADER.to_vec();
        let mut trailer = Trailer::default();
        for frame in &frames {
            body.extend_from_slice(&segment(frame.as_bytes()));
            trailer.count(frame.as_bytes());
        }
        body.extend_from_slice(&trailer.finish());
        assert_eq!(gunzip(&body).expect("valid gzip"), frames.concat());
        assert!(segment(frames[1].as_bytes()).len() < frames[1].len() / 10);
    }

    #[test]
    fn each_segment_can_be_read_as_soon_as_it_arrives() {
        let frame = "id: 7\nevent: update\ndata: {\"ratings_total\":12}\n\n";
        let mut body = HEADER.to_vec();
        body.extend_from_slice(&segment(frame.as_bytes()));
        // No trailer yet: a streaming reader still gets the whole frame.
        let mut inflate = flate2::Decompress::new(false);
        let mut plain = Vec::with_capacity(256);
        inflate
            .decompress_vec(
                &body[HEADER.len()..],
                &mut plain,
                flate2::FlushDecompress::Sync,
            )
            .expect("inflated");
        assert_eq!(plain, frame.as_bytes());
    }

    #[test]
    fn gzip_is_accepted_unless_weighted_zero() {
        assert!(accepts_gzip("gzip, deflate, br, zstd"));
        assert!(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(!accepts_gzip("gzip;q=0, br"));
        assert!(!accepts_gzip("br, identity"));
        assert!(!accepts_gzip(""));
    }
}
