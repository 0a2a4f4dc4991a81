/**
 * `jsp_codec/_runtime.py`, the hand-written support every generated Python module imports: the
 * Reader/Writer pair (after quinn-proto `coding.rs` and rustls `msgs/codec.rs`, as `src/codec/` is for
 * TypeScript), QUIC varints, the protobuf wire-format primitives, the two error types, the encoder's
 * value checks and `to_json` (values in the vector format of `codegen/README.md`).
 *
 * Kept as Python text in one template (String.raw: no escapes to think about) so that the emitter
 * ships it with the generated modules; it names nothing of the spec.
 */
import type { GeneratedFile } from './emit.ts';
import type { Spec } from './ir.ts';
import { PKG } from './emit-python-common.ts';

const RUNTIME = String.raw`"""Runtime of the generated JSP codec: Reader and Writer, QUIC varints, protobuf primitives, errors.

After quinn-proto coding.rs and rustls msgs/codec.rs: a small Reader/Writer pair. Every read
checks bounds first and raises DecodeError with the reader's spec error code; every method takes
what, the field path, which only ever goes into an error message. Python integers are unbounded,
so every range the spec gives is checked explicitly by the generated code.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NoReturn

#: Largest integer a JSON number (an IEEE-754 double) holds exactly; larger ones are decimal strings in JSON.
MAX_SAFE = (1 << 53) - 1
#: Largest value of a QUIC varint (62 bits, RFC 9000 §16).
VARINT_MAX = (1 << 62) - 1
U32_MAX = 0xFFFF_FFFF
U64_MAX = 0xFFFF_FFFF_FFFF_FFFF


class DecodeError(Exception):
    """Malformed input.

    code is the spec error code (e.g. 0x07) and code_name its name (FRAME_ENCODING_ERROR);
    kind is one of the spec's decode error kinds (truncated, out_of_range …); path
    names the field (stream.offset) and offset the byte where the defect was found.
    """

    def __init__(self, code: int, code_name: str, kind: str, path: str, offset: int, detail: str = '') -> None:
        super().__init__(f'{path}: {kind} ({detail or f"at offset {offset}"})')
        self.code = code
        self.code_name = code_name
        self.kind = kind
        self.path = path
        self.offset = offset


class EncodeError(ValueError):
    """An invalid value given to an encoder: kind is out_of_range, wrong_type or length_mismatch."""

    def __init__(self, kind: str, path: str, detail: str) -> None:
        super().__init__(f'{path}: {kind} ({detail})')
        self.kind = kind
        self.path = path


class Reader:
    """A cursor over buf[pos:end] whose errors carry the spec error code error.

    error is a member of errors.ErrorCode (an IntEnum: a number with a name). fixed is
    set inside a binary struct: a control message embedded in a frame fails with the frame's code,
    whatever message it nests (protocol.decode.nested-error-code).
    """

    __slots__ = ('buf', 'pos', 'end', 'error', 'fixed')

    def __init__(self, buf: bytes, error: Any, start: int = 0, end: int | None = None, fixed: bool = False) -> None:
        self.buf = buf if isinstance(buf, bytes) else bytes(buf)
        self.pos = start
        self.end = len(self.buf) if end is None else end
        self.error = error
        self.fixed = fixed

    @property
    def remaining(self) -> int:
        """Bytes left to read."""
        return self.end - self.pos

    def fail(self, kind: str, what: str, detail: str = '', offset: int | None = None) -> NoReturn:
        """Raise a DecodeError with this reader's error code, at offset (default: the position)."""
        at = self.pos if offset is None else offset
        raise DecodeError(int(self.error), self.error.name, kind, what, at, detail)

    def _short(self, n: int, what: str) -> NoReturn:
        self.fail('truncated', what, f'need {n} bytes at offset {self.pos}, {self.end - self.pos} left')

    # ───────────────────────────── big-endian integers ─────────────────────────────

    def u8(self, what: str) -> int:
        """One byte."""
        p = self.pos
        if p >= self.end:
            self._short(1, what)
        self.pos = p + 1
        return self.buf[p]

    def uint(self, n: int, what: str) -> int:
        """A big-endian unsigned integer of n bytes (RFC 9000 §1.3 network byte order)."""
        p = self.pos
        if n < 0:
            self.fail('out_of_range', what, f'width {n} is negative')
        if self.end - p < n:
            self._short(n, what)
        self.pos = p + n
        return int.from_bytes(self.buf[p:p + n], 'big')

    def u16(self, what: str) -> int:
        return self.uint(2, what)

    def u32(self, what: str) -> int:
        return self.uint(4, what)

    def u64(self, what: str) -> int:
        return self.uint(8, what)

    def varint(self, what: str) -> int:
        """A QUIC variable-length integer (RFC 9000 §16), 0..2^62-1.

        The two high bits of the first byte give the length (1, 2, 4 or 8 bytes). JSP requires the
        shortest encoding: a longer one is 'non_minimal' (protocol.varint.minimal).
        """
        p = self.pos
        if p >= self.end:
            self._short(1, what)
        first = self.buf[p]
        n = 1 << (first >> 6)
        if n == 1:
            self.pos = p + 1
            return first
        if self.end - p < n:
            self._short(n, what)
        v = int.from_bytes(self.buf[p:p + n], 'big') & ((1 << (8 * n - 2)) - 1)
        if v < 1 << (4 * n - 2):  # 2 bytes from 64, 4 from 2^14, 8 from 2^30
            self.fail('non_minimal', what, f'{n}-byte varint encoding of {v} at offset {p}', p)
        self.pos = p + n
        return v

    # ───────────────────────────── byte strings and sub-readers ─────────────────────────────

    def bytes(self, n: int, what: str) -> bytes:
        """The next n bytes; a length pointing past the end is 'truncated'."""
        p = self.pos
        if n < 0:
            self.fail('out_of_range', what, f'negative length {n}')
        if n > self.end - p:
            self._short(n, what)
        self.pos = p + n
        return self.buf[p:p + n]

    def rest(self) -> bytes:
        """Everything left; the reader ends up empty."""
        p = self.pos
        self.pos = self.end
        return self.buf[p:self.end]

    def sub(self, n: int, what: str, fixed: bool = False) -> Reader:
        """A reader over the next n bytes (same error code); this one skips past them."""
        p = self.pos
        self.bytes(n, what)
        return Reader(self.buf, self.error, p, p + n, self.fixed or fixed)

    def nested(self, n: int, what: str, error: Any) -> Reader:
        """A reader over a nested control message of n bytes, failing with the message's own
        error — unless an enclosing binary struct fixed the code (protocol.decode.nested-error-code)."""
        p = self.pos
        self.bytes(n, what)
        return Reader(self.buf, self.error if self.fixed else error, p, p + n, self.fixed)

    def expect_end(self, what: str) -> None:
        """Nothing may remain after a complete value (rustls expect_empty): else 'trailing_bytes'."""
        if self.pos != self.end:
            self.fail('trailing_bytes', what, f'{self.end - self.pos} bytes left at offset {self.pos}')

    # ───────────────────────────── protobuf wire format ─────────────────────────────
    # https://protobuf.dev/programming-guides/encoding/ — LEB128 varints (non-minimal forms allowed),
    # tags field_number << 3 | wire_type, wire types VARINT 0, I64 1, LEN 2, I32 5.

    def pb_varint(self, what: str) -> int:
        """A protobuf LEB128 varint, 0..2^64-1: longer than 10 bytes or above 2^64-1 is 'out_of_range'."""
        buf = self.buf
        p = start = self.pos
        end = self.end
        if p < end and buf[p] < 0x80:
            self.pos = p + 1
            return buf[p]
        v = 0
        for i in range(10):
            if p >= end:
                self.fail('truncated', what, f'protobuf varint at offset {start} runs past the end')
            b = buf[p]
            p += 1
            v |= (b & 0x7F) << (7 * i)
            if b < 0x80:
                if v > U64_MAX:
                    self.fail('out_of_range', what, f'protobuf varint at offset {start} exceeds 2^64-1', start)
                self.pos = p
                return v
        self.fail('out_of_range', what, f'protobuf varint at offset {start} is longer than 10 bytes', start)

    def pb_tag(self, what: str) -> int:
        """A tag, returned whole (field number tag >> 3, wire type tag & 7).

        A tag above 2^32-1, field number 0 and the wire types 3, 4 (groups), 6 and 7 are 'wire_type'
        (messages.wire-types), for known and unknown fields alike.
        """
        at = self.pos
        tag = self.pb_varint(what)
        wire_type = tag & 7
        if tag > U32_MAX or tag < 8 or wire_type in (3, 4, 6, 7):
            self.fail('wire_type', what, f'tag {tag} (field {tag >> 3}, wire type {wire_type}) at offset {at}', at)
        return tag

    def pb_len(self, what: str) -> int:
        """A LEN prefix, checked against the bytes left ('truncated' when it overruns)."""
        at = self.pos
        n = self.pb_varint(what)
        if n > self.end - self.pos:
            self.fail('truncated', what, f'length {n} at offset {at} exceeds {self.end - self.pos} bytes left', at)
        return n

    def pb_run(self, what: str) -> Reader:
        """A reader over a packed run (a LEN record of varints)."""
        return self.sub(self.pb_len(what), what)

    def pb_bytes(self, what: str, min_size: int, max_size: int) -> bytes:
        """A LEN field's bytes; the length is checked against min..max ('out_of_range') before the input."""
        at = self.pos
        n = self.pb_varint(what)
        if n < min_size or n > max_size:
            self.fail('out_of_range', what, f'{n} bytes, needs {min_size}..{max_size}', at)
        return self.bytes(n, what)

    def pb_string(self, what: str, min_size: int, max_size: int) -> str:
        """A LEN field as strict UTF-8 ('invalid_utf8'), sized in bytes like pb_bytes. A BOM is data."""
        data = self.pb_bytes(what, min_size, max_size)
        try:
            return data.decode('utf-8')
        except UnicodeDecodeError:
            self.fail('invalid_utf8', what, f'{len(data)}-byte string at offset {self.pos - len(data)} is not valid UTF-8')

    def pb_skip(self, wire_type: int, what: str) -> None:
        """Skip the value of an unknown field (messages.unknown-fields)."""
        if wire_type == 0:
            self.pb_varint(what)
        elif wire_type == 1:
            self.bytes(8, what)
        elif wire_type == 2:
            self.bytes(self.pb_len(what), what)
        elif wire_type == 5:
            self.bytes(4, what)
        else:
            self.fail('wire_type', what, f'cannot skip wire type {wire_type}')


class Writer:
    """Appends to a bytearray (buf). Values are checked by the generated code before they get here."""

    __slots__ = ('buf',)

    def __init__(self) -> None:
        self.buf = bytearray()

    def getvalue(self) -> bytes:
        return bytes(self.buf)

    def u8(self, v: int) -> None:
        self.buf.append(v)

    def uint(self, v: int, n: int) -> None:
        """v as n big-endian bytes."""
        self.buf += v.to_bytes(n, 'big')

    def u16(self, v: int) -> None:
        self.buf += v.to_bytes(2, 'big')

    def u32(self, v: int) -> None:
        self.buf += v.to_bytes(4, 'big')

    def u64(self, v: int) -> None:
        self.buf += v.to_bytes(8, 'big')

    def varint(self, v: int) -> None:
        """The shortest QUIC varint of v (RFC 9000 §16): 1, 2, 4 or 8 bytes."""
        if v < 0x40:
            self.buf.append(v)
        elif v < 0x4000:
            self.buf += (v | 0x4000).to_bytes(2, 'big')
        elif v < 0x4000_0000:
            self.buf += (v | 0x8000_0000).to_bytes(4, 'big')
        else:
            self.buf += (v | 0xC000_0000_0000_0000).to_bytes(8, 'big')

    def bytes(self, data: bytes) -> None:
        self.buf += data

    def pb_varint(self, v: int) -> None:
        """The LEB128 varint of v (0..2^64-1), shortest form."""
        while v > 0x7F:
            self.buf.append((v & 0x7F) | 0x80)
            v >>= 7
        self.buf.append(v)

    def pb_uint(self, tag: int, v: int) -> None:
        """A VARINT record: the tag, then the value."""
        self.pb_varint(tag)
        self.pb_varint(v)

    def pb_len(self, tag: int, data: bytes) -> None:
        """A LEN record: the tag, the length, the bytes."""
        self.pb_varint(tag)
        self.pb_varint(len(data))
        self.buf += data


def varint_size(v: int) -> int:
    """Bytes of the shortest QUIC varint of v."""
    return 1 if v < 0x40 else 2 if v < 0x4000 else 4 if v < 0x4000_0000 else 8


# ───────────────────────────── encoder checks ─────────────────────────────


def describe(x: object) -> str:
    """A value, briefly, for an error message."""
    s = repr(x)
    return s if len(s) <= 60 else s[:57] + '...'


def check_int(x: object, lo: int, hi: int, what: str) -> None:
    """An int (not a bool) in lo..hi."""
    if not isinstance(x, int) or isinstance(x, bool):
        raise EncodeError('wrong_type', what, f'expected an int, got {describe(x)}')
    if x < lo or x > hi:
        raise EncodeError('out_of_range', what, f'value {x} not in {lo}..{hi}')


def check_bool(x: object, what: str) -> None:
    if not isinstance(x, bool):
        raise EncodeError('wrong_type', what, f'expected a bool, got {describe(x)}')


def check_bytes(x: object, lo: int, hi: float, what: str, kind: str = 'out_of_range') -> None:
    """Bytes of lo..hi bytes (kind names a wrong length: out_of_range, or length_mismatch for a fixed size)."""
    if not isinstance(x, (bytes, bytearray)):
        raise EncodeError('wrong_type', what, f'expected bytes, got {describe(x)}')
    if len(x) < lo or len(x) > hi:
        raise EncodeError(kind, what, f'length {len(x)} not in {lo}..{hi}')


def check_str(x: object, lo: int, hi: int, what: str) -> bytes:
    """A str of lo..hi UTF-8 bytes (no lone surrogates: they have no UTF-8 form); returns the UTF-8."""
    if not isinstance(x, str):
        raise EncodeError('wrong_type', what, f'expected a str, got {describe(x)}')
    try:
        data = x.encode('utf-8')
    except UnicodeEncodeError as e:
        raise EncodeError('wrong_type', what, f'not encodable as UTF-8: {e.reason}') from None
    if len(data) < lo or len(data) > hi:
        raise EncodeError('length_mismatch', what, f'{len(data)} UTF-8 bytes, needs {lo}..{hi}')
    return data


def check_list(x: object, lo: int, hi: float, what: str) -> None:
    """A list of lo..hi elements."""
    if not isinstance(x, (list, tuple)):
        raise EncodeError('wrong_type', what, f'expected a list, got {describe(x)}')
    if len(x) < lo or len(x) > hi:
        raise EncodeError('out_of_range', what, f'{len(x)} elements, needs {lo}..{hi}')


def check_type(x: object, cls: type, what: str) -> None:
    if not isinstance(x, cls):
        raise EncodeError('wrong_type', what, f'expected a {cls.__name__}, got {describe(x)}')


# ───────────────────────────── values as JSON ─────────────────────────────


def to_json(v: Any) -> Any:
    """A decoded value in the vector format (codegen/README.md, "Golden vectors").

    Keys are the spec's snake_case ids, a union member carries "type", integers above 2^53-1 are
    decimal strings, bytes lowercase hex, absent optional fields (None) are left out.
    """
    if isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return int(v) if v <= MAX_SAFE else str(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    if dataclasses.is_dataclass(v):
        out: dict[str, Any] = {}
        member = getattr(type(v), 'type', None)
        if isinstance(member, str):
            out['type'] = member
        for f in dataclasses.fields(v):
            x = getattr(v, f.name)
            if x is not None:
                out[f.metadata.get('id', f.name)] = to_json(x)
        return out
    raise TypeError(f'to_json: cannot convert {describe(v)}')
`;

export function emitPyRuntime(spec: Spec): GeneratedFile {
  void spec;
  return { path: `${PKG}/_runtime.py`, content: `# GENERATED by codegen/emit-python-runtime.ts (no spec input) — do not edit.\n${RUNTIME}` };
}
