/**
 * The conformance adapter of the Go module (spec/conformance.yaml): `cmd/adapter/main.go`, which
 * answers the runner's request lines (hello with capabilities ["codec"]; decode answered with the
 * value in the vector JSON format — written by hand — and the codec's own re-encoding, one flushed
 * line each), and `adapter`, an executable shell script that builds it on first use, then execs it.
 */
import type { GeneratedFile } from './emit.ts';
import type { Spec } from './ir.ts';
import { codecFiles } from './ir.ts';
import { WireModel } from './emit-ts-wire-model.ts';
import { goHeader, goName, goStr } from './emit-go-common.ts';

interface Target { file: string; kind: string; id: string; name: string; params: string[] }

export function goTargets(spec: Spec): Target[] {
  const out: Target[] = [];
  for (const f of spec.wire) {
    const m = new WireModel(spec, f);
    if (f.union) out.push({ file: f.id, kind: 'union', id: f.union.id, name: goName(f.union.id), params: [] });
    for (const s of f.structs) out.push({ file: f.id, kind: 'struct', id: s.id, name: m.typeName(s.id), params: s.params.map((p) => p.id) });
  }
  for (const f of spec.messages) for (const msg of f.messages) out.push({ file: f.id, kind: 'message', id: msg.id, name: goName(msg.id), params: [] });
  return out;
}

export const MODULE = 'jspcodec';

export function emitGoAdapterMain(spec: Spec): GeneratedFile {
  const arms = goTargets(spec).map((t) => {
    const args = t.params.map((_, i) => `, p[${i}]`).join('');
    return `\tcase ${goStr(`${t.file} ${t.kind} ${t.id}`)}:
\t\tp, bad := params(args, []string{${t.params.map(goStr).join(', ')}})
\t\tif bad != "" {
\t\t\treturn bad
\t\t}
\t\t_ = p
\t\tv, err := jsp.Decode${t.name}(raw${args})
\t\tif err != nil {
\t\t\treturn decodeError(err)
\t\t}
\t\tenc, eerr := jsp.Encode${t.name}(v)
\t\tj := &jsp.JSON{}
\t\tjsp.Json${t.name}(v, j)
\t\treturn ok(j.String(), enc, eerr)`;
  });
  const sources = codecFiles(spec);
  const content = `${goHeader(sources)}// The JSP conformance adapter (spec/conformance.yaml) for the generated Go codec.
//
// The runner writes request lines on stdin; each is answered with one line of JSON on stdout:
//
//	hello jsp-adapter/1
//	<id> decode <file> <kind> <target> <hex or -> [<param>=<int> ...]
//	quit
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	jsp "${MODULE}"
)

func body(members ...string) string {
	j := &jsp.JSON{}
	first := true
	for i := 0; i < len(members); i += 2 {
		j.Key(&first, members[i])
		j.Str(members[i+1])
	}
	return j.String()
}

func errorBody(code, kind, message string) string {
	return body("result", "error", "error", code, "errorKind", kind, "message", message)
}

func badRequest(message string) string { return errorBody("INTERNAL_ERROR", "bad_request", message) }

func decodeError(err error) string {
	if d, isDecode := err.(*jsp.DecodeError); isDecode {
		return errorBody(d.CodeName, d.Kind, d.Error())
	}
	return errorBody("INTERNAL_ERROR", "exception", err.Error())
}

func ok(value string, enc []byte, err error) string {
	if err != nil {
		// An encoder refusing a value its decoder accepted is a bug of the codec.
		return errorBody("INTERNAL_ERROR", "exception", "encode failed: "+err.Error())
	}
	return "\\"result\\":\\"ok\\",\\"value\\":" + value + ",\\"encoded\\":\\"" + jsp.ToHex(enc) + "\\""
}

// params are the decode parameters in the order of names; each must be given exactly once.
func params(args []string, names []string) ([]uint64, string) {
	values := make([]uint64, len(names))
	seen := make([]bool, len(names))
	for _, a := range args {
		eq := strings.IndexByte(a, '=')
		if eq < 0 {
			return nil, badRequest(fmt.Sprintf("parameter '%s' is not name=value", a))
		}
		k, s := a[:eq], a[eq+1:]
		i := -1
		for n, name := range names {
			if name == k {
				i = n
			}
		}
		if i < 0 {
			return nil, badRequest(fmt.Sprintf("unknown parameter '%s' (takes %v)", k, names))
		}
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return nil, badRequest(fmt.Sprintf("parameter %s: '%s' is not a non-negative integer", k, s))
		}
		if seen[i] {
			return nil, badRequest(fmt.Sprintf("parameter %s given twice", k))
		}
		values[i], seen[i] = v, true
	}
	for i, name := range names {
		if !seen[i] {
			return nil, badRequest("missing parameter " + name)
		}
	}
	return values, ""
}

func decode(tokens []string) string {
	if len(tokens) < 4 {
		return badRequest("usage: decode <file> <kind> <target> <hex> [param=value ...]")
	}
	args := tokens[4:]
	var raw []byte
	if tokens[3] != "-" {
		var good bool
		if raw, good = jsp.FromHex(tokens[3]); !good {
			return badRequest("input is not hex")
		}
	}
	switch tokens[0] + " " + tokens[1] + " " + tokens[2] {
${arms.join('\n')}
	}
	return body("result", "unsupported", "message", fmt.Sprintf("no %s '%s' in spec file '%s'", tokens[1], tokens[2], tokens[0]))
}

func respond(line string) (answer string) {
	tokens := strings.Fields(line)
	if tokens[0] == "hello" {
		return \`{"id":"hello","result":"ok","name":"jsp-go (generated codec)","protocol":1,"capabilities":["codec"]}\`
	}
	j := &jsp.JSON{}
	j.WriteString("{\\"id\\":")
	if n, err := strconv.ParseInt(tokens[0], 10, 64); err == nil {
		j.WriteString(strconv.FormatInt(n, 10))
	} else {
		j.Str(tokens[0])
	}
	j.WriteByte(',')
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintln(os.Stderr, "panic:", p)
			answer = j.String() + errorBody("INTERNAL_ERROR", "exception", fmt.Sprint("the codec panicked: ", p)) + "}"
		}
	}()
	op := ""
	if len(tokens) > 1 {
		op = tokens[1]
	}
	if op == "decode" {
		j.WriteString(decode(tokens[2:]))
	} else {
		j.WriteString(body("result", "unsupported", "message", fmt.Sprintf("unknown request '%s'", op)))
	}
	j.WriteByte('}')
	return j.String()
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	for {
		line, err := in.ReadString('\\n')
		t := strings.TrimSpace(line)
		if t == "quit" {
			break
		}
		if t != "" {
			out.WriteString(respond(t))
			out.WriteByte('\\n')
			if out.Flush() != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
}
`;
  return { path: 'cmd/adapter/main.go', content };
}

/** \`DIR/adapter\`: builds the adapter on first use (or when a source is newer), then runs it. */
export function emitGoAdapterScript(spec: Spec): GeneratedFile {
  const sources = codecFiles(spec);
  const content = `#!/bin/sh
${goHeader(sources).replace(/^\/\//gm, '#')}# The JSP conformance adapter of the generated Go codec (spec/conformance.yaml): builds
# ./cmd/adapter next to this script on first use (go build, standard library only), caches the
# binary and execs it. Build errors go to stderr (exit 1); exit 127 when go is not installed.
set -u
DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
BIN="$DIR/adapter_bin"

stale() {
  [ ! -x "$BIN" ] && return 0
  [ -n "$(find "$DIR" -name '*.go' -newer "$BIN" 2>/dev/null | head -n 1)" ]
}

if stale; then
  if ! command -v go >/dev/null 2>&1; then
    echo "jsp adapter: go is not installed: the generated Go codec cannot be built" >&2
    exit 127
  fi
  if [ -z "\${GOCACHE:-}" ]; then
    if [ -n "\${HOME:-}" ] && mkdir -p "$HOME/.cache/go-build" 2>/dev/null; then GOCACHE="$HOME/.cache/go-build"; else GOCACHE="$DIR/.gocache"; fi
    export GOCACHE
  fi
  GOTOOLCHAIN=local
  export GOTOOLCHAIN
  (cd "$DIR" && go build -o adapter_bin ./cmd/adapter) 1>&2 || {
    echo "jsp adapter: go build failed in $DIR" >&2
    exit 1
  }
fi
exec "$BIN" "$@"
`;
  return { path: 'adapter', content };
}
