/**
 * `DIR/adapter`: an executable Python script that puts the generated package behind the conformance
 * adapter protocol of `spec/conformance.yaml` (hello with capabilities ["codec"], `decode` requests
 * answered with the value in the vector format and the codec's own re-encoding, typed errors,
 * `unsupported` for unknown targets; one JSON line per request, flushed; exit on `quit` or EOF).
 * The table of targets is written out from the IR, so the script names every codec it can run.
 */
import type { GeneratedFile } from './emit.ts';
import type { Spec } from './ir.ts';
import { codecFiles } from './ir.ts';
import { PKG, pyHeader, pyStr, snakeOfType } from './emit-python-common.ts';
import { WireModel } from './emit-ts-wire-model.ts';
import { pascal } from './naming.ts';

/** Every (file, kind, target) the adapter decodes, with the module and function suffix. */
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

export function emitPyAdapter(spec: Spec): GeneratedFile {
  const modules = [...spec.wire.map((f) => f.id), ...spec.messages.map((f) => f.id)];
  const rows = targets(spec).map((t) =>
    `    (${pyStr(t.file)}, ${pyStr(t.kind)}, ${pyStr(t.id)}): (${t.file}.decode_${t.fn}, ${t.file}.encode_${t.fn}, (${t.params.map(pyStr).join(', ')}${t.params.length === 1 ? ',' : ''})),`);
  const sources = codecFiles(spec);
  const content = `#!/usr/bin/env python3
${pyHeader(sources)}"""The JSP conformance adapter (spec/conformance.yaml) for the generated Python codec.

The runner writes request lines on stdin; each is answered with one line of JSON on stdout:

    hello jsp-adapter/1
    <id> decode <file> <kind> <target> <hex or -> [<param>=<int> ...]
    quit

A decode answer carries the value in the vector format (codegen/README.md, "Golden vectors") and
"encoded", this codec's own encoding of that value; a decode error its spec error code name and
kind. Logs, if any, go to stderr.
"""

import json
import os
import sys

if sys.version_info < (3, 10):
    sys.stderr.write('jsp adapter: Python 3.10 or later is needed, this is %s\\n' % sys.version.split()[0])
    sys.exit(127)  # the runner reports every case unsupported: this program cannot run here

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ${PKG} import ${modules.join(', ')}  # noqa: E402
from ${PKG}._runtime import DecodeError, to_json  # noqa: E402

#: (spec file id, kind, target id) -> (decode, encode, names of the decode parameters).
TARGETS = {
${rows.join('\n')}
}


def decode(args):
    """The answer to a decode request (without its id)."""
    if len(args) < 4:
        return {'result': 'error', 'error': 'INTERNAL_ERROR', 'errorKind': 'bad_request',
                'message': 'usage: decode <file> <kind> <target> <hex> [param=value ...]'}
    file, kind, target, data = args[:4]
    codec = TARGETS.get((file, kind, target))
    if codec is None:
        return {'result': 'unsupported', 'message': f'no {kind} {target!r} in spec file {file!r}'}
    dec, enc, names = codec
    try:
        params = {k: int(v) for k, v in (p.split('=', 1) for p in args[4:])}
        raw = b'' if data == '-' else bytes.fromhex(data)
        if sorted(params) != sorted(names):
            raise ValueError(f'{target} takes the parameters {list(names)}, got {sorted(params)}')
    except ValueError as e:
        return {'result': 'error', 'error': 'INTERNAL_ERROR', 'errorKind': 'bad_request', 'message': str(e)}
    try:
        value = dec(raw, **params)
    except DecodeError as e:
        return {'result': 'error', 'error': e.code_name, 'errorKind': e.kind, 'message': str(e)}
    return {'result': 'ok', 'value': to_json(value), 'encoded': enc(value).hex()}


def answer(line):
    """The answer to one request line."""
    tokens = line.split()
    if tokens[0] == 'hello':
        return {'id': 'hello', 'result': 'ok', 'name': 'jsp-python (generated codec)', 'protocol': 1, 'capabilities': ['codec']}
    try:
        rid = int(tokens[0])
    except ValueError:
        rid = tokens[0]
    op = tokens[1] if len(tokens) > 1 else ''
    try:
        if op == 'decode':
            return {'id': rid, **decode(tokens[2:])}
        return {'id': rid, 'result': 'unsupported', 'message': f'unknown request {op!r}'}
    except Exception as e:  # anything but a DecodeError is a bug of the codec: report it as such
        return {'id': rid, 'result': 'error', 'error': 'INTERNAL_ERROR', 'errorKind': 'exception', 'message': repr(e)}


def main():
    while True:
        line = sys.stdin.readline()
        if not line or line.strip() == 'quit':
            return 0
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(answer(line), separators=(',', ':')) + '\\n')
        sys.stdout.flush()


if __name__ == '__main__':
    sys.exit(main())
`;
  return { path: 'adapter', content };
}
