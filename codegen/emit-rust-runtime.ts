/**
 * `src/runtime.rs` of the generated Rust crate: the hand-written support every generated module uses —
 * the Reader/Writer pair (after quinn-proto `coding.rs` and rustls `msgs/codec.rs`), QUIC varints
 * (minimal forms only), the protobuf wire-format primitives, the two error types, the encoder's value
 * checks and a tiny JSON writer (values in the vector format of `codegen/README.md`). It names nothing
 * of the spec; it is the Rust twin of `emit-python-runtime.ts`.
 */
import type { GeneratedFile } from './emit.ts';

const RUNTIME = String.raw`//! Runtime of the generated JSP codec: Reader and Writer, QUIC varints, protobuf primitives, errors.
//!
//! After quinn-proto coding.rs and rustls msgs/codec.rs: a small Reader/Writer pair. Every read
//! checks bounds first and fails with a DecodeError carrying the reader's spec error code; every
//! method takes what, the field path, which only ever goes into an error.

use std::fmt;

/// Largest integer a JSON number (an IEEE-754 double) holds exactly; larger ones are decimal strings in JSON.
pub const MAX_SAFE: u64 = (1 << 53) - 1;
/// Largest value of a QUIC varint (62 bits, RFC 9000 §16).
pub const VARINT_MAX: u64 = (1 << 62) - 1;

/// A spec error code with its name (errors.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    pub code: u64,
    pub name: &'static str,
}

/// Malformed input: code is the spec error code (e.g. 0x07) and code_name its name
/// (FRAME_ENCODING_ERROR); kind is one of the spec's decode error kinds (truncated, out_of_range …);
/// path names the field (stream.offset) and offset the byte where the defect was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub code: u64,
    pub code_name: &'static str,
    pub kind: &'static str,
    pub path: String,
    pub offset: usize,
    pub detail: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({}; {} at offset {})", self.path, self.kind, self.detail, self.code_name, self.offset)
    }
}

impl std::error::Error for DecodeError {}

/// An invalid value given to an encoder: kind is out_of_range, wrong_type or length_mismatch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    pub kind: &'static str,
    pub path: String,
    pub detail: String,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.path, self.kind, self.detail)
    }
}

impl std::error::Error for EncodeError {}

/// An EncodeError.
pub fn enc_err(kind: &'static str, path: &str, detail: String) -> EncodeError {
    EncodeError { kind, path: path.to_string(), detail }
}

/// A cursor over buf[pos..end] whose errors carry the spec error code error. fixed is set inside a
/// binary struct: a control message embedded in a frame fails with the frame's code, whatever
/// message it nests (protocol.decode.nested-error-code).
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
    pub end: usize,
    pub error: ErrorCode,
    pub fixed: bool,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], error: ErrorCode) -> Self {
        Reader { buf, pos: 0, end: buf.len(), error, fixed: false }
    }

    /// Bytes left to read.
    pub fn remaining(&self) -> usize {
        self.end - self.pos
    }

    /// A DecodeError with this reader's error code, at offset at.
    pub fn fail_at(&self, kind: &'static str, what: &str, detail: String, at: usize) -> DecodeError {
        DecodeError { code: self.error.code, code_name: self.error.name, kind, path: what.to_string(), offset: at, detail }
    }

    /// A DecodeError with this reader's error code, at the current position.
    pub fn fail(&self, kind: &'static str, what: &str, detail: String) -> DecodeError {
        self.fail_at(kind, what, detail, self.pos)
    }

    fn short(&self, n: u128, what: &str) -> DecodeError {
        self.fail("truncated", what, format!("need {} bytes at offset {}, {} left", n, self.pos, self.remaining()))
    }

    // ───────────────────────────── big-endian integers ─────────────────────────────

    /// One byte.
    pub fn u8(&mut self, what: &str) -> Result<u64, DecodeError> {
        if self.pos >= self.end {
            return Err(self.short(1, what));
        }
        self.pos += 1;
        Ok(self.buf[self.pos - 1] as u64)
    }

    /// A big-endian unsigned integer of n bytes (0..8; RFC 9000 §1.3 network byte order).
    pub fn uint(&mut self, n: i128, what: &str) -> Result<u64, DecodeError> {
        if n < 0 || n > 8 {
            return Err(self.fail("out_of_range", what, format!("width {} is not in 0..8", n)));
        }
        let n = n as usize;
        if self.remaining() < n {
            return Err(self.short(n as u128, what));
        }
        let mut v: u64 = 0;
        for i in 0..n {
            v = (v << 8) | self.buf[self.pos + i] as u64;
        }
        self.pos += n;
        Ok(v)
    }

    pub fn u16(&mut self, what: &str) -> Result<u64, DecodeError> {
        self.uint(2, what)
    }

    pub fn u32(&mut self, what: &str) -> Result<u64, DecodeError> {
        self.uint(4, what)
    }

    pub fn u64(&mut self, what: &str) -> Result<u64, DecodeError> {
        self.uint(8, what)
    }

    /// A QUIC variable-length integer (RFC 9000 §16), 0..2^62-1. The two high bits of the first byte
    /// give the length (1, 2, 4 or 8 bytes). JSP requires the shortest encoding: a longer one is
    /// non_minimal (protocol.varint.minimal).
    pub fn varint(&mut self, what: &str) -> Result<u64, DecodeError> {
        let p = self.pos;
        if p >= self.end {
            return Err(self.short(1, what));
        }
        let first = self.buf[p];
        let n = 1usize << (first >> 6);
        if n == 1 {
            self.pos = p + 1;
            return Ok(first as u64);
        }
        if self.end - p < n {
            return Err(self.short(n as u128, what));
        }
        let mut v: u64 = (first & 0x3f) as u64;
        for i in 1..n {
            v = (v << 8) | self.buf[p + i] as u64;
        }
        if v < 1u64 << (4 * n - 2) {
            // 2 bytes from 64, 4 from 2^14, 8 from 2^30
            return Err(self.fail_at("non_minimal", what, format!("{}-byte varint encoding of {} at offset {}", n, v, p), p));
        }
        self.pos = p + n;
        Ok(v)
    }

    // ───────────────────────────── byte strings and sub-readers ─────────────────────────────

    /// The next n bytes; a length pointing past the end is truncated, a negative one out_of_range.
    pub fn bytes(&mut self, n: i128, what: &str) -> Result<Vec<u8>, DecodeError> {
        if n < 0 {
            return Err(self.fail("out_of_range", what, format!("negative length {}", n)));
        }
        if n > self.remaining() as i128 {
            return Err(self.short(n as u128, what));
        }
        let p = self.pos;
        self.pos += n as usize;
        Ok(self.buf[p..self.pos].to_vec())
    }

    /// Everything left; the reader ends up empty.
    pub fn rest(&mut self) -> Vec<u8> {
        let p = self.pos;
        self.pos = self.end;
        self.buf[p..self.end].to_vec()
    }

    fn advance(&mut self, n: i128, what: &str) -> Result<usize, DecodeError> {
        if n < 0 {
            return Err(self.fail("out_of_range", what, format!("negative length {}", n)));
        }
        if n > self.remaining() as i128 {
            return Err(self.short(n as u128, what));
        }
        let p = self.pos;
        self.pos += n as usize;
        Ok(p)
    }

    /// A reader over the next n bytes (same error code); this one skips past them.
    pub fn sub(&mut self, n: i128, what: &str, fixed: bool) -> Result<Reader<'a>, DecodeError> {
        let p = self.advance(n, what)?;
        Ok(Reader { buf: self.buf, pos: p, end: self.pos, error: self.error, fixed: self.fixed || fixed })
    }

    /// A reader over a nested control message of n bytes, failing with the message's own error —
    /// unless an enclosing binary struct fixed the code (protocol.decode.nested-error-code).
    pub fn nested(&mut self, n: u64, what: &str, error: ErrorCode) -> Result<Reader<'a>, DecodeError> {
        let p = self.advance(n as i128, what)?;
        Ok(Reader { buf: self.buf, pos: p, end: self.pos, error: if self.fixed { self.error } else { error }, fixed: self.fixed })
    }

    /// Nothing may remain after a complete value (rustls expect_empty): else trailing_bytes.
    pub fn expect_end(&self, what: &str) -> Result<(), DecodeError> {
        if self.pos != self.end {
            return Err(self.fail("trailing_bytes", what, format!("{} bytes left at offset {}", self.remaining(), self.pos)));
        }
        Ok(())
    }

    // ───────────────────────────── protobuf wire format ─────────────────────────────
    // https://protobuf.dev/programming-guides/encoding/ — LEB128 varints (non-minimal forms allowed),
    // tags field_number << 3 | wire_type, wire types VARINT 0, I64 1, LEN 2, I32 5.

    /// A protobuf LEB128 varint, 0..2^64-1: longer than 10 bytes or above 2^64-1 is out_of_range.
    pub fn pb_varint(&mut self, what: &str) -> Result<u64, DecodeError> {
        let start = self.pos;
        let mut p = start;
        let mut v: u128 = 0;
        for i in 0..10 {
            if p >= self.end {
                return Err(self.fail("truncated", what, format!("protobuf varint at offset {} runs past the end", start)));
            }
            let b = self.buf[p];
            p += 1;
            v |= ((b & 0x7f) as u128) << (7 * i);
            if b < 0x80 {
                if v > u64::MAX as u128 {
                    return Err(self.fail_at("out_of_range", what, format!("protobuf varint at offset {} exceeds 2^64-1", start), start));
                }
                self.pos = p;
                return Ok(v as u64);
            }
        }
        Err(self.fail_at("out_of_range", what, format!("protobuf varint at offset {} is longer than 10 bytes", start), start))
    }

    /// A tag, returned whole. A tag above 2^32-1, field number 0 and the wire types 3, 4 (groups),
    /// 6 and 7 are wire_type (messages.wire-types), for known and unknown fields alike.
    pub fn pb_tag(&mut self, what: &str) -> Result<u64, DecodeError> {
        let at = self.pos;
        let tag = self.pb_varint(what)?;
        let wt = tag & 7;
        if tag > 0xffff_ffff || tag < 8 || wt == 3 || wt == 4 || wt == 6 || wt == 7 {
            return Err(self.fail_at("wire_type", what, format!("tag {} (field {}, wire type {}) at offset {}", tag, tag >> 3, wt, at), at));
        }
        Ok(tag)
    }

    /// A LEN prefix, checked against the bytes left (truncated when it overruns).
    pub fn pb_len(&mut self, what: &str) -> Result<u64, DecodeError> {
        let at = self.pos;
        let n = self.pb_varint(what)?;
        if n as u128 > self.remaining() as u128 {
            return Err(self.fail_at("truncated", what, format!("length {} at offset {} exceeds {} bytes left", n, at, self.remaining()), at));
        }
        Ok(n)
    }

    /// A reader over a packed run (a LEN record of varints).
    pub fn pb_run(&mut self, what: &str) -> Result<Reader<'a>, DecodeError> {
        let n = self.pb_len(what)?;
        self.sub(n as i128, what, false)
    }

    /// A LEN field's bytes; the length is checked against min..max (out_of_range) before the input.
    pub fn pb_bytes(&mut self, what: &str, min: u64, max: u64) -> Result<Vec<u8>, DecodeError> {
        let at = self.pos;
        let n = self.pb_varint(what)?;
        if n < min || n > max {
            return Err(self.fail_at("out_of_range", what, format!("{} bytes, needs {}..{}", n, min, max), at));
        }
        self.bytes(n as i128, what)
    }

    /// A LEN field as strict UTF-8 (invalid_utf8), sized in bytes like pb_bytes. A BOM is data.
    pub fn pb_string(&mut self, what: &str, min: u64, max: u64) -> Result<String, DecodeError> {
        let data = self.pb_bytes(what, min, max)?;
        let n = data.len();
        match String::from_utf8(data) {
            Ok(s) => Ok(s),
            Err(_) => Err(self.fail("invalid_utf8", what, format!("{}-byte string at offset {} is not valid UTF-8", n, self.pos - n))),
        }
    }

    /// Skips the value of an unknown field (messages.unknown-fields).
    pub fn pb_skip(&mut self, wire_type: u64, what: &str) -> Result<(), DecodeError> {
        match wire_type {
            0 => self.pb_varint(what).map(|_| ()),
            1 => self.advance(8, what).map(|_| ()),
            2 => {
                let n = self.pb_len(what)?;
                self.advance(n as i128, what).map(|_| ())
            }
            5 => self.advance(4, what).map(|_| ()),
            _ => Err(self.fail("wire_type", what, format!("cannot skip wire type {}", wire_type))),
        }
    }
}

/// Appends to a byte vector. Values are checked by the generated code before they get here.
#[derive(Debug, Clone, Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Writer { buf: Vec::new() }
    }

    pub fn u8(&mut self, v: u64) {
        self.buf.push(v as u8);
    }

    /// v as n big-endian bytes.
    pub fn uint(&mut self, v: u64, n: usize) {
        for i in (0..n).rev() {
            self.buf.push((v >> (8 * i)) as u8);
        }
    }

    pub fn u16(&mut self, v: u64) {
        self.uint(v, 2)
    }

    pub fn u32(&mut self, v: u64) {
        self.uint(v, 4)
    }

    pub fn u64(&mut self, v: u64) {
        self.uint(v, 8)
    }

    /// The shortest QUIC varint of v (RFC 9000 §16): 1, 2, 4 or 8 bytes.
    pub fn varint(&mut self, v: u64) {
        if v < 0x40 {
            self.buf.push(v as u8);
        } else if v < 0x4000 {
            self.uint(v | 0x4000, 2);
        } else if v < 0x4000_0000 {
            self.uint(v | 0x8000_0000, 4);
        } else {
            self.uint(v | 0xc000_0000_0000_0000, 8);
        }
    }

    pub fn bytes(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// The LEB128 varint of v, shortest form.
    pub fn pb_varint(&mut self, mut v: u64) {
        while v > 0x7f {
            self.buf.push((v & 0x7f) as u8 | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    /// A VARINT record: the tag, then the value.
    pub fn pb_uint(&mut self, tag: u64, v: u64) {
        self.pb_varint(tag);
        self.pb_varint(v);
    }

    /// A LEN record: the tag, the length, the bytes.
    pub fn pb_len(&mut self, tag: u64, data: &[u8]) {
        self.pb_varint(tag);
        self.pb_varint(data.len() as u64);
        self.buf.extend_from_slice(data);
    }
}

/// Bytes of the shortest QUIC varint of v.
pub fn varint_size(v: u64) -> usize {
    if v < 0x40 { 1 } else if v < 0x4000 { 2 } else if v < 0x4000_0000 { 4 } else { 8 }
}

// ───────────────────────────── encoder checks ─────────────────────────────

/// An int in lo..hi.
pub fn check_int(x: u64, lo: u64, hi: u64, what: &str) -> Result<(), EncodeError> {
    if x < lo || x > hi {
        return Err(enc_err("out_of_range", what, format!("value {} not in {}..{}", x, lo, hi)));
    }
    Ok(())
}

/// A byte string of lo..hi bytes (kind names a wrong length: out_of_range, or length_mismatch for a fixed size).
pub fn check_len(n: usize, lo: u64, hi: u64, what: &str, kind: &'static str) -> Result<(), EncodeError> {
    if (n as u64) < lo || (n as u64) > hi {
        return Err(enc_err(kind, what, format!("length {} not in {}..{}", n, lo, hi)));
    }
    Ok(())
}

// ───────────────────────────── values as JSON ─────────────────────────────

/// Appends a JSON key (with the comma before it unless it is the first).
pub fn json_key(out: &mut String, first: &mut bool, key: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    json_str(out, key);
    out.push(':');
}

/// An integer: a JSON number up to 2^53-1, a decimal string above.
pub fn json_u64(out: &mut String, v: u64) {
    if v <= MAX_SAFE {
        out.push_str(&v.to_string());
    } else {
        out.push('"');
        out.push_str(&v.to_string());
        out.push('"');
    }
}

pub fn json_bool(out: &mut String, v: bool) {
    out.push_str(if v { "true" } else { "false" });
}

/// Bytes as a lowercase hex string.
pub fn json_hex(out: &mut String, v: &[u8]) {
    out.push('"');
    out.push_str(&to_hex(v));
    out.push('"');
}

/// A JSON string (quotes, backslashes and control characters escaped).
pub fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Lowercase hex.
pub fn to_hex(v: &[u8]) -> String {
    const D: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(v.len() * 2);
    for b in v {
        s.push(D[(b >> 4) as usize] as char);
        s.push(D[(b & 15) as usize] as char);
    }
    s
}

/// Hex (either case) to bytes; None when it is not hex.
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    let d = |c: u8| -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    };
    b.chunks(2).map(|p| Some(d(p[0])? << 4 | d(p[1])?)).collect()
}
`;

export function emitRustRuntime(): GeneratedFile {
  return { path: 'src/runtime.rs', content: `// GENERATED by codegen/emit-rust-runtime.ts (no spec input) — do not edit.\n${RUNTIME}` };
}
