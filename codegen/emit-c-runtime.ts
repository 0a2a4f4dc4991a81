/**
 * The hand-written part of the C target: `jsp_runtime.h` / `jsp_runtime.c` (reader and writer over
 * `const uint8_t*` + length, QUIC varints, protobuf helpers, decode/encode errors). libc only, C99.
 */
import type { GeneratedFile } from './emit.ts';

export const C_RUNTIME_H = `#ifndef JSP_RUNTIME_H
#define JSP_RUNTIME_H
/*
 * The runtime of the generated JSP C codec (jsp codegen --lang c). C99, libc only.
 *
 * For every struct, union and message x of the spec (jsp_frames.h, jsp_packets.h, jsp_messages.h):
 *   int    jsp_decode_x(const uint8_t *data, size_t len, [int64_t p_param, ...] x_t *out, jsp_decode_error *err);
 *   size_t jsp_encode_x(const x_t *v, uint8_t *out, size_t cap, jsp_encode_error *err);
 *   size_t jsp_encoded_size_x(const x_t *v, jsp_encode_error *err);
 * Memory: decoders never allocate. Byte and string fields are jsp_bytes views into the input
 * (zero-copy: keep the input alive while the value is used). Repeated fields are bounded arrays sized
 * by the spec's max counts (x[MAX] plus x_count), so values of some types are large (an ACK frame
 * holds 256 ranges): prefer static or heap storage to the stack. Optional fields have has_x.
 * Decoders return 0, or -1 with *err set to the first defect (the spec's error precedence); on error
 * *out holds a partial value. Encoders check the value as the decoder would (ranges, enums, sizes,
 * counts, constraints, UTF-8) and write the canonical encoding; they return the size, or
 * JSP_ENCODE_FAILED with *err set (an invalid value, or "buffer_too_small").
 */
#include <stddef.h>
#include <stdint.h>

/** A decode error: the spec error code (and its name), the decode error kind, what was being read, where. */
typedef struct jsp_decode_error {
  int code;
  const char *code_name;
  const char *kind;
  const char *path;
  size_t offset;
} jsp_decode_error;

/** An encode error: kind ("buffer_too_small", "out_of_range", "length_mismatch", "constraint", "wrong_type") and what was being written. */
typedef struct jsp_encode_error {
  const char *kind;
  const char *path;
} jsp_encode_error;

/** A byte string: a view into the decoded input (zero-copy), or caller-owned bytes to encode. */
typedef struct jsp_bytes {
  const uint8_t *ptr;
  size_t len;
} jsp_bytes;

/** A cursor over buf[pos:end]; its errors carry the spec error code 'code'. */
typedef struct jsp_reader {
  const uint8_t *buf;
  size_t pos, end;
  int code;
  const char *code_name;
  int fixed; /* inside a binary struct: nested control messages keep this code */
  jsp_decode_error *err;
} jsp_reader;

/** Appends to buf[0:cap]; past cap it only counts (len is the size needed). buf may be NULL (cap 0). */
typedef struct jsp_writer {
  uint8_t *buf;
  size_t cap, len;
  jsp_encode_error *err;
} jsp_writer;

/** What jsp_encode_x and jsp_encoded_size_x return for an invalid value (err says why) or a short buffer. */
#define JSP_ENCODE_FAILED ((size_t)-1)

int jsp_fail(jsp_reader *r, const char *kind, const char *what, size_t offset);
int jsp_rd_u8(jsp_reader *r, const char *what, uint64_t *out);
int jsp_rd_uint(jsp_reader *r, int64_t n, const char *what, uint64_t *out);
int jsp_rd_varint(jsp_reader *r, const char *what, uint64_t *out);
int jsp_rd_bytes(jsp_reader *r, int64_t n, const char *what, jsp_bytes *out);
void jsp_rd_rest(jsp_reader *r, jsp_bytes *out);
int jsp_rd_sub(jsp_reader *r, int64_t n, const char *what, jsp_reader *sub);
int jsp_rd_nested(jsp_reader *r, uint64_t n, const char *what, int code, const char *code_name, jsp_reader *sub);
int jsp_rd_expect_end(jsp_reader *r, const char *what);
int jsp_pb_varint(jsp_reader *r, const char *what, uint64_t *out);
int jsp_pb_tag(jsp_reader *r, const char *what, uint64_t *out);
int jsp_pb_len(jsp_reader *r, const char *what, uint64_t *out);
int jsp_pb_bytes(jsp_reader *r, const char *what, uint64_t min_size, uint64_t max_size, jsp_bytes *out);
int jsp_pb_string(jsp_reader *r, const char *what, uint64_t min_size, uint64_t max_size, jsp_bytes *out);
int jsp_pb_skip(jsp_reader *r, uint64_t wire_type, const char *what);
int jsp_utf8_valid(const uint8_t *p, size_t n);

int jsp_wr_fail(jsp_writer *w, const char *kind, const char *what);
void jsp_wr_raw(jsp_writer *w, const uint8_t *p, size_t n);
void jsp_wr_uint(jsp_writer *w, uint64_t v, int n);
void jsp_wr_varint(jsp_writer *w, uint64_t v);
void jsp_wr_pb_varint(jsp_writer *w, uint64_t v);
size_t jsp_pb_varint_size(uint64_t v);

#endif
`;

export const C_RUNTIME_C = `/* The runtime of the generated JSP C codec (jsp codegen --lang c). C99, libc only. */
#include <string.h>
#include "jsp_runtime.h"

int jsp_fail(jsp_reader *r, const char *kind, const char *what, size_t offset) {
  if (r->err) {
    r->err->code = r->code;
    r->err->code_name = r->code_name;
    r->err->kind = kind;
    r->err->path = what;
    r->err->offset = offset;
  }
  return -1;
}

int jsp_rd_u8(jsp_reader *r, const char *what, uint64_t *out) {
  if (r->pos >= r->end) return jsp_fail(r, "truncated", what, r->pos);
  *out = r->buf[r->pos++];
  return 0;
}

int jsp_rd_uint(jsp_reader *r, int64_t n, const char *what, uint64_t *out) {
  uint64_t v = 0;
  int64_t i;
  if (n < 0) return jsp_fail(r, "out_of_range", what, r->pos);
  if ((uint64_t)n > r->end - r->pos) return jsp_fail(r, "truncated", what, r->pos);
  for (i = 0; i < n; i++) v = (v << 8) | r->buf[r->pos + (size_t)i];
  r->pos += (size_t)n;
  *out = v;
  return 0;
}

int jsp_rd_varint(jsp_reader *r, const char *what, uint64_t *out) {
  size_t p = r->pos, n, i;
  uint64_t v;
  if (p >= r->end) return jsp_fail(r, "truncated", what, p);
  n = (size_t)1 << (r->buf[p] >> 6);
  if (n == 1) { r->pos = p + 1; *out = r->buf[p]; return 0; }
  if (r->end - p < n) return jsp_fail(r, "truncated", what, p);
  v = r->buf[p] & 0x3f;
  for (i = 1; i < n; i++) v = (v << 8) | r->buf[p + i];
  if (v < ((uint64_t)1 << (4 * n - 2))) return jsp_fail(r, "non_minimal", what, p);
  r->pos = p + n;
  *out = v;
  return 0;
}

int jsp_rd_bytes(jsp_reader *r, int64_t n, const char *what, jsp_bytes *out) {
  if (n < 0) return jsp_fail(r, "out_of_range", what, r->pos);
  if ((uint64_t)n > r->end - r->pos) return jsp_fail(r, "truncated", what, r->pos);
  out->ptr = r->buf + r->pos;
  out->len = (size_t)n;
  r->pos += (size_t)n;
  return 0;
}

void jsp_rd_rest(jsp_reader *r, jsp_bytes *out) {
  out->ptr = r->buf + r->pos;
  out->len = r->end - r->pos;
  r->pos = r->end;
}

int jsp_rd_sub(jsp_reader *r, int64_t n, const char *what, jsp_reader *sub) {
  jsp_bytes b;
  size_t p = r->pos;
  if (jsp_rd_bytes(r, n, what, &b) < 0) return -1;
  *sub = *r;
  sub->pos = p;
  sub->end = p + (size_t)n;
  return 0;
}

int jsp_rd_nested(jsp_reader *r, uint64_t n, const char *what, int code, const char *code_name, jsp_reader *sub) {
  size_t p = r->pos;
  if (n > r->end - r->pos) return jsp_fail(r, "truncated", what, r->pos);
  r->pos += (size_t)n;
  *sub = *r;
  sub->pos = p;
  sub->end = p + (size_t)n;
  if (!r->fixed) { sub->code = code; sub->code_name = code_name; }
  return 0;
}

int jsp_rd_expect_end(jsp_reader *r, const char *what) {
  if (r->pos != r->end) return jsp_fail(r, "trailing_bytes", what, r->pos);
  return 0;
}

int jsp_pb_varint(jsp_reader *r, const char *what, uint64_t *out) {
  size_t p = r->pos, start = r->pos;
  uint64_t v = 0;
  int i;
  for (i = 0; i < 10; i++) {
    uint8_t b;
    if (p >= r->end) return jsp_fail(r, "truncated", what, start);
    b = r->buf[p++];
    if (i == 9 && (b & 0x7f) > 1) {
      if (b < 0x80) return jsp_fail(r, "out_of_range", what, start);
    }
    if (i < 9 || (b & 0x7f) <= 1) v |= (uint64_t)(b & 0x7f) << (7 * i);
    if (b < 0x80) { r->pos = p; *out = v; return 0; }
  }
  return jsp_fail(r, "out_of_range", what, start);
}

int jsp_pb_tag(jsp_reader *r, const char *what, uint64_t *out) {
  size_t at = r->pos;
  uint64_t tag, wt;
  if (jsp_pb_varint(r, what, &tag) < 0) return -1;
  wt = tag & 7;
  if (tag > 0xffffffffu || tag < 8 || wt == 3 || wt == 4 || wt == 6 || wt == 7) return jsp_fail(r, "wire_type", what, at);
  *out = tag;
  return 0;
}

int jsp_pb_len(jsp_reader *r, const char *what, uint64_t *out) {
  size_t at = r->pos;
  uint64_t n;
  if (jsp_pb_varint(r, what, &n) < 0) return -1;
  if (n > r->end - r->pos) return jsp_fail(r, "truncated", what, at);
  *out = n;
  return 0;
}

int jsp_pb_bytes(jsp_reader *r, const char *what, uint64_t min_size, uint64_t max_size, jsp_bytes *out) {
  size_t at = r->pos;
  uint64_t n;
  if (jsp_pb_varint(r, what, &n) < 0) return -1;
  if (n < min_size || n > max_size) return jsp_fail(r, "out_of_range", what, at);
  if (n > r->end - r->pos) return jsp_fail(r, "truncated", what, r->pos);
  return jsp_rd_bytes(r, (int64_t)n, what, out);
}

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
int jsp_utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    size_t k;
    uint32_t cp;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) { k = 1; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { k = 2; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { k = 3; cp = c & 0x07; }
    else return 0;
    if (n - i <= k) return 0;
    {
      size_t j;
      for (j = 1; j <= k; j++) {
        if ((s[i + j] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (s[i + j] & 0x3f);
      }
    }
    if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    i += k + 1;
  }
  return 1;
}

int jsp_pb_string(jsp_reader *r, const char *what, uint64_t min_size, uint64_t max_size, jsp_bytes *out) {
  if (jsp_pb_bytes(r, what, min_size, max_size, out) < 0) return -1;
  if (!jsp_utf8_valid(out->ptr, out->len)) return jsp_fail(r, "invalid_utf8", what, r->pos - out->len);
  return 0;
}

int jsp_pb_skip(jsp_reader *r, uint64_t wire_type, const char *what) {
  uint64_t x;
  jsp_bytes b;
  switch (wire_type) {
    case 0: return jsp_pb_varint(r, what, &x);
    case 1: return jsp_rd_bytes(r, 8, what, &b);
    case 2: if (jsp_pb_len(r, what, &x) < 0) return -1; return jsp_rd_bytes(r, (int64_t)x, what, &b);
    case 5: return jsp_rd_bytes(r, 4, what, &b);
    default: return jsp_fail(r, "wire_type", what, r->pos);
  }
}

int jsp_wr_fail(jsp_writer *w, const char *kind, const char *what) {
  if (w->err) { w->err->kind = kind; w->err->path = what; }
  return -1;
}

void jsp_wr_raw(jsp_writer *w, const uint8_t *p, size_t n) {
  if (n && w->len + n <= w->cap) memcpy(w->buf + w->len, p, n);
  w->len += n;
}

void jsp_wr_uint(jsp_writer *w, uint64_t v, int n) {
  uint8_t b[8];
  int i;
  for (i = n - 1; i >= 0; i--) { b[i] = (uint8_t)(v & 0xff); v >>= 8; }
  jsp_wr_raw(w, b, (size_t)n);
}

void jsp_wr_varint(jsp_writer *w, uint64_t v) {
  if (v < 64) jsp_wr_uint(w, v, 1);
  else if (v < 16384) jsp_wr_uint(w, v | 0x4000u, 2);
  else if (v < 1073741824u) jsp_wr_uint(w, v | 0x80000000u, 4);
  else jsp_wr_uint(w, v | 0xc000000000000000ull, 8);
}

void jsp_wr_pb_varint(jsp_writer *w, uint64_t v) {
  uint8_t b[10];
  size_t n = 0;
  while (v >= 0x80) { b[n++] = (uint8_t)(v | 0x80); v >>= 7; }
  b[n++] = (uint8_t)v;
  jsp_wr_raw(w, b, n);
}

size_t jsp_pb_varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) { n++; v >>= 7; }
  return n;
}
`;

export function emitCRuntime(): GeneratedFile[] {
  return [{ path: 'jsp_runtime.h', content: C_RUNTIME_H }, { path: 'jsp_runtime.c', content: C_RUNTIME_C }];
}
