//! A short content hash of an uploaded file, so that a shared link can name the file it needs.

/// Prefix naming the algorithm, so that a later, stronger hash can be told apart.
pub const HASH_PREFIX: &str = "fnv1a64-";

/// `fnv1a64-` followed by the 16 lowercase hex digits of the 64-bit FNV-1a hash of `bytes`
/// (Fowler–Noll–Vo, offset basis 0xcbf29ce484222325, prime 0x100000001b3). Not cryptographic: it
/// identifies a file the user re-supplies, it does not authenticate one.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{HASH_PREFIX}{:016x}", fnv1a64(bytes))
}

/// The raw 64-bit FNV-1a hash.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// Whether `s` has the form [`content_hash`] produces.
pub fn is_content_hash(s: &str) -> bool {
    s.strip_prefix(HASH_PREFIX).is_some_and(|hex| {
        hex.len() == 16
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_fnv1a64_vectors() {
        // Test vectors from the FNV reference (Noll, "FNV hash" test suite).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(content_hash(b"a"), "fnv1a64-af63dc4c8601ec8c");
        assert!(is_content_hash(&content_hash(b"xyz")));
        assert!(!is_content_hash("fnv1a64-AF63DC4C8601EC8C"));
        assert!(!is_content_hash("af63dc4c8601ec8c"));
    }
}
