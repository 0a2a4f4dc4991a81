/**
 * `runtime.go` of the generated Go module: the hand-written support every generated file uses —
 * Reader/Writer, QUIC varints (minimal forms only), protobuf primitives, the error types and a tiny
 * JSON writer. It names nothing of the spec; it is the Go twin of `emit-rust-runtime.ts`.
 */
import type { GeneratedFile } from './emit.ts';

const RUNTIME = String.raw`// Runtime of the generated JSP codec: Reader and Writer, QUIC varints, protobuf primitives, errors.

package jspcodec

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxSafe is the largest integer a JSON number holds exactly; larger ones are decimal strings in JSON.
const MaxSafe uint64 = (1 << 53) - 1

// VarintMax is the largest value of a QUIC varint (62 bits, RFC 9000 §16).
const VarintMax uint64 = (1 << 62) - 1

// ErrorCode is a spec error code with its name (errors.yaml).
type ErrorCode struct {
	Code uint64
	Name string
}

// DecodeError is malformed input: Code is the spec error code and CodeName its name; Kind is one of
// the spec's decode error kinds (truncated, out_of_range …); Path names the field and Offset the byte.
type DecodeError struct {
	Code     uint64
	CodeName string
	Kind     string
	Path     string
	Offset   int
	Detail   string
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("%s: %s (%s; %s at offset %d)", e.Path, e.Kind, e.Detail, e.CodeName, e.Offset)
}

// EncodeError is an invalid value given to an encoder.
type EncodeError struct {
	Kind   string
	Path   string
	Detail string
}

func (e *EncodeError) Error() string { return fmt.Sprintf("%s: %s (%s)", e.Path, e.Kind, e.Detail) }

func encErr(kind, path, detail string) *EncodeError { return &EncodeError{kind, path, detail} }

// Reader is a cursor over Buf[Pos:End] whose errors carry the spec error code Err.
type Reader struct {
	Buf   []byte
	Pos   int
	End   int
	Err   ErrorCode
	Fixed bool
}

// NewReader reads buf; its errors carry code.
func NewReader(buf []byte, code ErrorCode) *Reader { return &Reader{Buf: buf, End: len(buf), Err: code} }

// Remaining is the number of bytes left.
func (r *Reader) Remaining() int { return r.End - r.Pos }

// FailAt is a DecodeError with this reader's code at offset at.
func (r *Reader) FailAt(kind, what, detail string, at int) *DecodeError {
	return &DecodeError{r.Err.Code, r.Err.Name, kind, what, at, detail}
}

// Fail is a DecodeError with this reader's code at the current position.
func (r *Reader) Fail(kind, what, detail string) *DecodeError { return r.FailAt(kind, what, detail, r.Pos) }

func (r *Reader) short(n int64, what string) *DecodeError {
	return r.Fail("truncated", what, fmt.Sprintf("need %d bytes at offset %d, %d left", n, r.Pos, r.Remaining()))
}

// U8 reads one byte.
func (r *Reader) U8(what string) (uint64, error) {
	if r.Pos >= r.End {
		return 0, r.short(1, what)
	}
	r.Pos++
	return uint64(r.Buf[r.Pos-1]), nil
}

// Uint reads a big-endian unsigned integer of n bytes (0..8).
func (r *Reader) Uint(n int64, what string) (uint64, error) {
	if n < 0 || n > 8 {
		return 0, r.Fail("out_of_range", what, fmt.Sprintf("width %d is not in 0..8", n))
	}
	if int64(r.Remaining()) < n {
		return 0, r.short(n, what)
	}
	var v uint64
	for i := 0; i < int(n); i++ {
		v = v<<8 | uint64(r.Buf[r.Pos+i])
	}
	r.Pos += int(n)
	return v, nil
}

// Varint reads a minimal QUIC variable-length integer; a longer form is non_minimal.
func (r *Reader) Varint(what string) (uint64, error) {
	p := r.Pos
	if p >= r.End {
		return 0, r.short(1, what)
	}
	first := r.Buf[p]
	n := 1 << (first >> 6)
	if n == 1 {
		r.Pos = p + 1
		return uint64(first), nil
	}
	if r.End-p < n {
		return 0, r.short(int64(n), what)
	}
	v := uint64(first & 0x3f)
	for i := 1; i < n; i++ {
		v = v<<8 | uint64(r.Buf[p+i])
	}
	if v < uint64(1)<<(4*n-2) {
		return 0, r.FailAt("non_minimal", what, fmt.Sprintf("%d-byte varint encoding of %d at offset %d", n, v, p), p)
	}
	r.Pos = p + n
	return v, nil
}

// Bytes reads the next n bytes (a copy); past the end is truncated, negative out_of_range.
func (r *Reader) Bytes(n int64, what string) ([]byte, error) {
	p, err := r.advance(n, what)
	if err != nil {
		return nil, err
	}
	return append([]byte{}, r.Buf[p:r.Pos]...), nil
}

// Rest reads everything left.
func (r *Reader) Rest() []byte {
	out := append([]byte{}, r.Buf[r.Pos:r.End]...)
	r.Pos = r.End
	return out
}

func (r *Reader) advance(n int64, what string) (int, error) {
	if n < 0 {
		return 0, r.Fail("out_of_range", what, fmt.Sprintf("negative length %d", n))
	}
	if n > int64(r.Remaining()) {
		return 0, r.short(n, what)
	}
	p := r.Pos
	r.Pos += int(n)
	return p, nil
}

// Sub is a reader over the next n bytes (same error code); r skips past them.
func (r *Reader) Sub(n int64, what string, fixed bool) (*Reader, error) {
	p, err := r.advance(n, what)
	if err != nil {
		return nil, err
	}
	return &Reader{Buf: r.Buf, Pos: p, End: r.Pos, Err: r.Err, Fixed: r.Fixed || fixed}, nil
}

// Nested is a reader over a nested control message of n bytes, failing with the message's own
// error unless an enclosing binary struct fixed the code (protocol.decode.nested-error-code).
func (r *Reader) Nested(n uint64, what string, code ErrorCode) (*Reader, error) {
	nn := int64(n)
	if n > uint64(r.Remaining()) {
		nn = int64(r.Remaining()) + 1
	}
	p, err := r.advance(nn, what)
	if err != nil {
		return nil, err
	}
	c := code
	if r.Fixed {
		c = r.Err
	}
	return &Reader{Buf: r.Buf, Pos: p, End: r.Pos, Err: c, Fixed: r.Fixed}, nil
}

// ExpectEnd fails with trailing_bytes unless the reader is empty.
func (r *Reader) ExpectEnd(what string) error {
	if r.Pos != r.End {
		return r.Fail("trailing_bytes", what, fmt.Sprintf("%d bytes left at offset %d", r.Remaining(), r.Pos))
	}
	return nil
}

// PbVarint reads a protobuf LEB128 varint, 0..2^64-1 (longer than 10 bytes or larger is out_of_range).
func (r *Reader) PbVarint(what string) (uint64, error) {
	start := r.Pos
	p := start
	var v uint64
	for i := 0; i < 10; i++ {
		if p >= r.End {
			return 0, r.Fail("truncated", what, fmt.Sprintf("protobuf varint at offset %d runs past the end", start))
		}
		b := r.Buf[p]
		p++
		v |= uint64(b&0x7f) << (7 * uint(i))
		if b < 0x80 {
			if i == 9 && b > 1 {
				return 0, r.FailAt("out_of_range", what, fmt.Sprintf("protobuf varint at offset %d exceeds 2^64-1", start), start)
			}
			r.Pos = p
			return v, nil
		}
	}
	return 0, r.FailAt("out_of_range", what, fmt.Sprintf("protobuf varint at offset %d is longer than 10 bytes", start), start)
}

// PbTag reads a tag; above 2^32-1, field number 0 and wire types 3, 4, 6, 7 are wire_type.
func (r *Reader) PbTag(what string) (uint64, error) {
	at := r.Pos
	tag, err := r.PbVarint(what)
	if err != nil {
		return 0, err
	}
	wt := tag & 7
	if tag > 0xffffffff || tag < 8 || wt == 3 || wt == 4 || wt == 6 || wt == 7 {
		return 0, r.FailAt("wire_type", what, fmt.Sprintf("tag %d (field %d, wire type %d) at offset %d", tag, tag>>3, wt, at), at)
	}
	return tag, nil
}

// PbLen reads a LEN prefix, checked against the bytes left.
func (r *Reader) PbLen(what string) (uint64, error) {
	at := r.Pos
	n, err := r.PbVarint(what)
	if err != nil {
		return 0, err
	}
	if n > uint64(r.Remaining()) {
		return 0, r.FailAt("truncated", what, fmt.Sprintf("length %d at offset %d exceeds %d bytes left", n, at, r.Remaining()), at)
	}
	return n, nil
}

// PbRun is a reader over a packed run.
func (r *Reader) PbRun(what string) (*Reader, error) {
	n, err := r.PbLen(what)
	if err != nil {
		return nil, err
	}
	return r.Sub(int64(n), what, false)
}

// PbBytes reads a LEN field's bytes; the length is checked against min..max before the input.
func (r *Reader) PbBytes(what string, min, max uint64) ([]byte, error) {
	at := r.Pos
	n, err := r.PbVarint(what)
	if err != nil {
		return nil, err
	}
	if n < min || n > max {
		return nil, r.FailAt("out_of_range", what, fmt.Sprintf("%d bytes, needs %d..%d", n, min, max), at)
	}
	return r.Bytes(int64(n), what)
}

// PbString reads a LEN field as strict UTF-8.
func (r *Reader) PbString(what string, min, max uint64) (string, error) {
	data, err := r.PbBytes(what, min, max)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(data) {
		return "", r.Fail("invalid_utf8", what, fmt.Sprintf("%d-byte string at offset %d is not valid UTF-8", len(data), r.Pos-len(data)))
	}
	return string(data), nil
}

// PbSkip skips the value of an unknown field.
func (r *Reader) PbSkip(wireType uint64, what string) error {
	switch wireType {
	case 0:
		_, err := r.PbVarint(what)
		return err
	case 1:
		_, err := r.advance(8, what)
		return err
	case 2:
		n, err := r.PbLen(what)
		if err != nil {
			return err
		}
		_, err = r.advance(int64(n), what)
		return err
	case 5:
		_, err := r.advance(4, what)
		return err
	}
	return r.Fail("wire_type", what, fmt.Sprintf("cannot skip wire type %d", wireType))
}

// Writer accumulates an encoding; values are checked before they get here.
type Writer struct{ Buf []byte }

// U8 writes one byte.
func (w *Writer) U8(v uint64) { w.Buf = append(w.Buf, byte(v)) }

// Uint writes v big-endian in n bytes.
func (w *Writer) Uint(v uint64, n int) {
	for i := n - 1; i >= 0; i-- {
		w.Buf = append(w.Buf, byte(v>>(8*uint(i))))
	}
}

// VarintSize is the minimal QUIC varint width of v.
func VarintSize(v uint64) int {
	switch {
	case v < 0x40:
		return 1
	case v < 0x4000:
		return 2
	case v < 0x40000000:
		return 4
	}
	return 8
}

// Varint writes the shortest QUIC varint of v.
func (w *Writer) Varint(v uint64) {
	switch VarintSize(v) {
	case 1:
		w.U8(v)
	case 2:
		w.Uint(v|0x4000, 2)
	case 4:
		w.Uint(v|0x80000000, 4)
	default:
		w.Uint(v|0xc000000000000000, 8)
	}
}

// Bytes writes b.
func (w *Writer) Bytes(b []byte) { w.Buf = append(w.Buf, b...) }

// PbVarint writes a LEB128 varint.
func (w *Writer) PbVarint(v uint64) {
	for v > 0x7f {
		w.Buf = append(w.Buf, byte(v&0x7f)|0x80)
		v >>= 7
	}
	w.Buf = append(w.Buf, byte(v))
}

// PbUint writes a VARINT record.
func (w *Writer) PbUint(tag, v uint64) {
	w.PbVarint(tag)
	w.PbVarint(v)
}

// PbLen writes a LEN record.
func (w *Writer) PbLen(tag uint64, data []byte) {
	w.PbVarint(tag)
	w.PbVarint(uint64(len(data)))
	w.Bytes(data)
}

// CheckInt checks lo <= x <= hi.
func CheckInt(x, lo, hi uint64, what string) error {
	if x < lo || x > hi {
		return encErr("out_of_range", what, fmt.Sprintf("value %d not in %d..%d", x, lo, hi))
	}
	return nil
}

// CheckLen checks a length in lo..hi.
func CheckLen(n int, lo, hi uint64, what, kind string) error {
	if uint64(n) < lo || uint64(n) > hi {
		return encErr(kind, what, fmt.Sprintf("length %d not in %d..%d", n, lo, hi))
	}
	return nil
}

// B2U is 1 for true.
func B2U(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// I is x as an int64 for expressions, saturated at 2^63-1.
func I(x uint64) int64 {
	if x > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(x)
}

// OptU is *p, or 0 when p is nil.
func OptU(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}

// OptLen is len(*p), or 0 when p is nil.
func OptLen[T any](p *[]T) int64 {
	if p == nil {
		return 0
	}
	return int64(len(*p))
}

// ToHex is lowercase hex.
func ToHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i] = digits[c>>4]
		out[2*i+1] = digits[c&15]
	}
	return string(out)
}

// FromHex parses lowercase or uppercase hex; ok is false on odd length or a non-hex digit.
func FromHex(s string) ([]byte, bool) {
	if len(s)%2 != 0 {
		return nil, false
	}
	out := make([]byte, len(s)/2)
	for i := range out {
		v, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, false
		}
		out[i] = byte(v)
	}
	return out, true
}

// JSON is a hand-written JSON writer for values in the vector format.
type JSON struct{ strings.Builder }

// Str writes a JSON string.
func (j *JSON) Str(s string) {
	j.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"':
			j.WriteString("\\\"")
		case c == '\\':
			j.WriteString("\\\\")
		case c == '\n':
			j.WriteString("\\n")
		case c == '\r':
			j.WriteString("\\r")
		case c == '\t':
			j.WriteString("\\t")
		case c < 0x20 || c == 0x2028 || c == 0x2029:
			fmt.Fprintf(j, "\\u%04x", c)
		default:
			j.WriteRune(c)
		}
	}
	j.WriteByte('"')
}

// Int writes an integer: a number up to MaxSafe, a decimal string above.
func (j *JSON) Int(v uint64) {
	if v > MaxSafe {
		j.WriteString("\"" + strconv.FormatUint(v, 10) + "\"")
	} else {
		j.WriteString(strconv.FormatUint(v, 10))
	}
}

// Hex writes bytes as a hex string.
func (j *JSON) Hex(b []byte) { j.WriteString("\"" + ToHex(b) + "\"") }

// Bool writes a boolean.
func (j *JSON) Bool(b bool) {
	if b {
		j.WriteString("true")
	} else {
		j.WriteString("false")
	}
}

// Key writes a member name, with a comma before all but the first.
func (j *JSON) Key(first *bool, k string) {
	if !*first {
		j.WriteByte(',')
	}
	*first = false
	j.Str(k)
	j.WriteByte(':')
}
`;

export function emitGoRuntime(): GeneratedFile {
  return { path: 'runtime.go', content: RUNTIME };
}
