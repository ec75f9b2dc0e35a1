//! A minimal ZIP writer (stored entries, no compression) for saving every chart in one download.
//!
//! Browsers cap how many files one page may save in a burst (Chromium drops downloads past about ten
//! without telling the page), so the Export panel bundles the chart PNGs into one archive instead of
//! saving them one by one. PNG data is already deflated: storing it costs nothing in size, and keeps
//! this writer small enough to check by eye (PKWARE APPNOTE 6.3, sections 4.3.7, 4.3.12, 4.3.16).

/// One file of the archive.
pub struct ZipEntry<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Why an archive could not be written.
#[derive(Debug, PartialEq, Eq)]
pub enum ZipError {
    /// The format's 32-bit sizes (ZIP64 is not written) or 16-bit counts would overflow.
    TooLarge,
}

impl std::fmt::Display for ZipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the charts are too large for one archive (over 4 GB or 65535 files)")
    }
}

/// The archive holding `entries` in order, each stored as is.
pub fn write_zip(entries: &[ZipEntry<'_>]) -> Result<Vec<u8>, ZipError> {
    let count = u16::try_from(entries.len()).map_err(|_| ZipError::TooLarge)?;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = u32::try_from(out.len()).map_err(|_| ZipError::TooLarge)?;
        let size = u32::try_from(e.bytes.len()).map_err(|_| ZipError::TooLarge)?;
        let name_len = u16::try_from(e.name.len()).map_err(|_| ZipError::TooLarge)?;
        let crc = crc32(e.bytes);
        // Local file header.
        put32(&mut out, 0x0403_4b50);
        put16(&mut out, 20); // version needed: 2.0
        put16(&mut out, 0x0800); // flags: the name is UTF-8
        put16(&mut out, 0); // method: stored
        put16(&mut out, 0); // time 00:00
        put16(&mut out, DOS_DATE_1980_01_01);
        put32(&mut out, crc);
        put32(&mut out, size);
        put32(&mut out, size);
        put16(&mut out, name_len);
        put16(&mut out, 0); // no extra field
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(e.bytes);
        // Its central directory record.
        put32(&mut central, 0x0201_4b50);
        put16(&mut central, 20); // made by: 2.0, MS-DOS attributes
        put16(&mut central, 20);
        put16(&mut central, 0x0800);
        put16(&mut central, 0);
        put16(&mut central, 0);
        put16(&mut central, DOS_DATE_1980_01_01);
        put32(&mut central, crc);
        put32(&mut central, size);
        put32(&mut central, size);
        put16(&mut central, name_len);
        put16(&mut central, 0); // extra
        put16(&mut central, 0); // comment
        put16(&mut central, 0); // disk
        put16(&mut central, 0); // internal attributes
        put32(&mut central, 0); // external attributes
        put32(&mut central, offset);
        central.extend_from_slice(e.name.as_bytes());
    }
    let central_offset = u32::try_from(out.len()).map_err(|_| ZipError::TooLarge)?;
    let central_size = u32::try_from(central.len()).map_err(|_| ZipError::TooLarge)?;
    out.extend_from_slice(&central);
    // End of central directory.
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, count);
    put16(&mut out, count);
    put32(&mut out, central_size);
    put32(&mut out, central_offset);
    put16(&mut out, 0);
    Ok(out)
}

/// 1980-01-01, the earliest MS-DOS date: the archive does not depend on the clock, so the same
/// charts give the same bytes.
const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bit by bit: a few charts of a few hundred
/// kilobytes each are checked in milliseconds without a table.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        // The check value every CRC-32/ISO-HDLC implementation publishes for "123456789".
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    /// Reads the archive back through its central directory, as an unzip tool does.
    fn read_back(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
        let u32_at = |i: usize| u32::from_le_bytes(zip[i..i + 4].try_into().unwrap()) as usize;
        let end = zip.len() - 22;
        assert_eq!(u32_at(end), 0x0605_4b50);
        let count = u16_at(end + 10);
        let mut at = u32_at(end + 16);
        let mut files = Vec::new();
        for _ in 0..count {
            assert_eq!(u32_at(at), 0x0201_4b50);
            let crc = u32_at(at + 16) as u32;
            let size = u32_at(at + 20);
            let name_len = u16_at(at + 28);
            let local = u32_at(at + 42);
            let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
            assert_eq!(u32_at(local), 0x0403_4b50);
            let data_at = local + 30 + u16_at(local + 26) + u16_at(local + 28);
            let bytes = zip[data_at..data_at + size].to_vec();
            assert_eq!(crc32(&bytes), crc, "{name}'s CRC");
            files.push((name, bytes));
            at += 46 + name_len;
        }
        files
    }

    #[test]
    fn entries_read_back_in_order_with_their_bytes() {
        let a: Vec<u8> = (0..=255).collect();
        let zip = write_zip(&[
            ZipEntry {
                name: "imlab-loss-curve.png",
                bytes: &a,
            },
            ZipEntry {
                name: "empty.png",
                bytes: &[],
            },
        ])
        .unwrap();
        let files = read_back(&zip);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0], ("imlab-loss-curve.png".to_string(), a));
        assert_eq!(files[1], ("empty.png".to_string(), vec![]));
    }

    #[test]
    fn an_empty_archive_is_just_the_end_record() {
        let zip = write_zip(&[]).unwrap();
        assert_eq!(zip.len(), 22);
        assert!(read_back(&zip).is_empty());
    }
}
