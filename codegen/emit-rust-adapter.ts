/**
 * The conformance adapter of the Rust crate (spec/conformance.yaml): `src/bin/adapter.rs`, a program
 * that answers the runner's request lines (hello with capabilities ["codec"], `decode` requests
 * answered with the value in the vector JSON format — written by hand, nothing parses JSON — and the
 * codec's own re-encoding), and `adapter`, an executable shell script that builds the crate on first
 * use (cargo, else plain rustc; the binary is cached and rebuilt when a source is newer), then execs it.
 */
import type { GeneratedFile } from './emit.ts';
import type { Spec } from './ir.ts';
import { codecFiles } from './ir.ts';
import { WireModel } from './emit-ts-wire-model.ts';
import { pascal } from './naming.ts';
import { rsHeader, rsStr, snakeOfType } from './emit-rust-common.ts';

interface Target { file: string; kind: string; id: string; fn: string; params: string[] }

function targets(spec: Spec): Target[] {
  const out: Target[] = [];
  for (const f of spec.wire) {
    const m = new WireModel(spec, f);
    if (f.union) out.push({ file: f.id, kind: 'union', id: f.union.id, fn: snakeOfType(pascal(f.union.id)), params: [] });
    for (const s of f.structs) out.push({ file: f.id, kind: 'struct', id: s.id, fn: snakeOfType(m.typeName(s.id)), params: s.params.map((p) => p.id) });
  }
  for (const f of spec.messages) for (const msg of f.messages) out.push({ file: f.id, kind: 'message', id: msg.id, fn: msg.id, params: [] });
  return out;
}

export const CRATE = 'jsp_codec';
export const BIN = 'jsp-adapter';

export function emitRsAdapterBin(spec: Spec): GeneratedFile {
  const arms = targets(spec).map((t) => {
    const names = `&[${t.params.map(rsStr).join(', ')}]`;
    const args = t.params.map((_, i) => `, p[${i}]`).join('');
    return `        (${rsStr(t.file)}, ${rsStr(t.kind)}, ${rsStr(t.id)}) => {
            let p = params(args, ${names})?;
            let _ = &p;
            Ok(answer(decode_${t.fn}(&raw${args}), |v, out| ${t.fn}_to_json(v, out), encode_${t.fn}))
        }`;
  });
  const sources = codecFiles(spec);
  const content = `${rsHeader(sources)}//! The JSP conformance adapter (spec/conformance.yaml) for the generated Rust codec.
//!
//! The runner writes request lines on stdin; each is answered with one line of JSON on stdout:
//!
//!     hello jsp-adapter/1
//!     <id> decode <file> <kind> <target> <hex or -> [<param>=<int> ...]
//!     quit
//!
//! A decode answer carries the value in the vector format (codegen/README.md, "Golden vectors") and
//! "encoded", this codec's own encoding of that value; a decode error its spec error code name and
//! kind. Logs, if any, go to stderr.

use std::io::{self, BufRead, Write};

use ${CRATE}::runtime::{from_hex, json_key, json_str, to_hex, DecodeError, EncodeError};
use ${CRATE}::*;

/// The body of an answer (everything after the id), as JSON object members.
type Body = String;

fn error_body(error: &str, kind: &str, message: &str) -> Body {
    let mut out = String::new();
    let mut first = true;
    json_key(&mut out, &mut first, "result");
    json_str(&mut out, "error");
    json_key(&mut out, &mut first, "error");
    json_str(&mut out, error);
    json_key(&mut out, &mut first, "errorKind");
    json_str(&mut out, kind);
    json_key(&mut out, &mut first, "message");
    json_str(&mut out, message);
    out
}

fn unsupported_body(message: &str) -> Body {
    let mut out = String::new();
    let mut first = true;
    json_key(&mut out, &mut first, "result");
    json_str(&mut out, "unsupported");
    json_key(&mut out, &mut first, "message");
    json_str(&mut out, message);
    out
}

fn bad_request(message: &str) -> Body {
    error_body("INTERNAL_ERROR", "bad_request", message)
}

/// The answer to a decode: the value and its re-encoding, or the decode error.
fn answer<T>(decoded: Result<T, DecodeError>, json: impl Fn(&T, &mut String), encode: impl Fn(&T) -> Result<Vec<u8>, EncodeError>) -> Body {
    match decoded {
        Err(e) => error_body(e.code_name, e.kind, &e.to_string()),
        Ok(v) => match encode(&v) {
            // An encoder refusing a value its decoder accepted is a bug of the codec: report it as such.
            Err(e) => error_body("INTERNAL_ERROR", "exception", &format!("encode failed: {}", e)),
            Ok(bytes) => {
                let mut out = String::from("\\"result\\":\\"ok\\",\\"value\\":");
                json(&v, &mut out);
                out.push_str(",\\"encoded\\":\\"");
                out.push_str(&to_hex(&bytes));
                out.push('"');
                out
            }
        },
    }
}

/// The decode parameters in the order of names; each must be given exactly once.
fn params(args: &[&str], names: &[&str]) -> Result<Vec<u64>, Body> {
    let mut values: Vec<Option<u64>> = vec![None; names.len()];
    for a in args {
        let (k, v) = a.split_once('=').ok_or_else(|| bad_request(&format!("parameter '{}' is not name=value", a)))?;
        let i = names.iter().position(|n| *n == k).ok_or_else(|| bad_request(&format!("unknown parameter '{}' (takes {:?})", k, names)))?;
        let v: u64 = v.parse().map_err(|_| bad_request(&format!("parameter {}: '{}' is not a non-negative integer", k, v)))?;
        if values[i].replace(v).is_some() {
            return Err(bad_request(&format!("parameter {} given twice", k)));
        }
    }
    values.into_iter().zip(names).map(|(v, n)| v.ok_or_else(|| bad_request(&format!("missing parameter {}", n)))).collect()
}

fn decode(tokens: &[&str]) -> Result<Body, Body> {
    if tokens.len() < 4 {
        return Err(bad_request("usage: decode <file> <kind> <target> <hex> [param=value ...]"));
    }
    let (file, kind, target, data) = (tokens[0], tokens[1], tokens[2], tokens[3]);
    let args = &tokens[4..];
    let raw: Vec<u8> = if data == "-" { Vec::new() } else { from_hex(data).ok_or_else(|| bad_request("input is not hex"))? };
    match (file, kind, target) {
${arms.join('\n')}
        _ => Ok(unsupported_body(&format!("no {} '{}' in spec file '{}'", kind, target, file))),
    }
}

/// The answer line to one request line.
fn respond(line: &str) -> String {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens[0] == "hello" {
        return "{\\"id\\":\\"hello\\",\\"result\\":\\"ok\\",\\"name\\":\\"jsp-rust (generated codec)\\",\\"protocol\\":1,\\"capabilities\\":[\\"codec\\"]}".to_string();
    }
    let mut out = String::from("{\\"id\\":");
    match tokens[0].parse::<i64>() {
        Ok(n) => out.push_str(&n.to_string()),
        Err(_) => json_str(&mut out, tokens[0]),
    }
    out.push(',');
    let op = tokens.get(1).copied().unwrap_or("");
    let body = if op == "decode" {
        let rest = tokens[2..].to_vec();
        match std::panic::catch_unwind(move || decode(&rest)) {
            Ok(Ok(b)) | Ok(Err(b)) => b,
            Err(_) => error_body("INTERNAL_ERROR", "exception", "the codec panicked (see stderr)"),
        }
    } else {
        unsupported_body(&format!("unknown request '{}'", op))
    };
    out.push_str(&body);
    out.push('}');
    out
}

fn main() {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = match line {
            Ok(l) => l,
            Err(_) => break,
        };
        let t = line.trim();
        if t == "quit" {
            break;
        }
        if t.is_empty() {
            continue;
        }
        let answer = respond(t);
        if writeln!(out, "{}", answer).and_then(|_| out.flush()).is_err() {
            break;
        }
    }
}
`;
  return { path: 'src/bin/adapter.rs', content };
}

/** `DIR/adapter`: builds the crate on first use (or when a source is newer), then runs the binary. */
export function emitRsAdapterScript(spec: Spec): GeneratedFile {
  const sources = codecFiles(spec);
  const content = `#!/bin/sh
${rsHeader(sources).replace(/^\/\//gm, '#')}# The JSP conformance adapter of the generated Rust codec (spec/conformance.yaml): builds the crate
# next to this script on first use — \`cargo build --release --offline\`, or plain rustc when cargo is
# missing — caches the binary, and execs it. Build errors go to stderr; exit 127 when neither cargo
# nor rustc is installed (the runner then reports every case unsupported).
set -u
DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
BIN="$DIR/target/release/${BIN}"

stale() {
  [ ! -x "$BIN" ] && return 0
  [ -n "$(find "$DIR/src" "$DIR/Cargo.toml" -newer "$BIN" 2>/dev/null | head -n 1)" ]
}

if stale; then
  if command -v cargo >/dev/null 2>&1; then
    cargo build --release --offline -q --manifest-path "$DIR/Cargo.toml" --bin ${BIN} 1>&2 || {
      echo "jsp adapter: cargo build failed in $DIR" >&2
      exit 1
    }
  elif command -v rustc >/dev/null 2>&1; then
    mkdir -p "$DIR/target/release" &&
      rustc --edition 2021 -O --crate-type lib --crate-name ${CRATE} "$DIR/src/lib.rs" --out-dir "$DIR/target/release" 1>&2 &&
      rustc --edition 2021 -O --crate-name ${BIN.replace(/-/g, '_')} "$DIR/src/bin/adapter.rs" \\
        --extern ${CRATE}="$DIR/target/release/lib${CRATE}.rlib" -o "$BIN" 1>&2 || {
      echo "jsp adapter: rustc failed in $DIR" >&2
      exit 1
    }
  else
    echo "jsp adapter: neither cargo nor rustc is installed: the generated Rust codec cannot be built" >&2
    exit 127
  fi
fi
exec "$BIN" "$@"
`;
  return { path: 'adapter', content };
}
