#!/usr/bin/env bash
# The npm package, the way an admin who only wants the command line gets it: `npm pack` (its prepack builds dist/
# and THIRD_PARTY_NOTICES.md), then `npm install -g` of the tarball into a temporary prefix, offline (the package has
# no runtime dependencies: everything is bundled, so there is nothing to fetch), then the installed `ztp`, run from
# outside the repository. Run by .ci/run; about 20 s. Exit status 0 when every check passes.
#   bash scripts/ci-packed.sh
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/ztp-packed.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
fail() { echo "ci-packed: $*" >&2; exit 1; }

cd "$REPO"
npm pack --pack-destination "$TMP" --loglevel=warn >/dev/null
TGZ="$(ls "$TMP"/*.tgz)"
echo "ci-packed: packed $(basename "$TGZ") ($(du -k "$TGZ" | cut -f1) kB)"

# What ships: the launcher, the bundles and the notices; no sources, tests, maps or examples.
LIST="$(tar -tzf "$TGZ")"
for f in package/bin/ztp.js package/dist/cli.js package/dist/server.js package/THIRD_PARTY_NOTICES.md \
  package/README.md package/LICENSE package/docs/rules/schema.md package/schemas/zerotrust.schema.json; do
  grep -qx "$f" <<<"$LIST" || fail "the package lacks ${f#package/}"
done
if grep -E '^package/(server|client|test|scripts|examples|node_modules)/|\.map$|\.ts$' <<<"$LIST"; then
  fail "the package holds files it should not (above)"
fi
node -e 'const p = require(process.argv[1]); if (p.dependencies && Object.keys(p.dependencies).length) { console.error("runtime dependencies: " + Object.keys(p.dependencies)); process.exit(1); }' \
  "$REPO/package.json" || fail "package.json lists runtime dependencies; the bundles need none"

# Install it as `npm install -g` would, into a prefix of its own, without the network. (npm 11 notes that a tarball,
# a non-registry source, has a `prepare` script it did not run; that is right: `prepare` builds a clone, and the
# tarball is built already. Hence --loglevel=error.)
npm install -g --prefix "$TMP/prefix" --offline --no-audit --no-fund --loglevel=error "$TGZ" >/dev/null
ZTP="$TMP/prefix/bin/ztp"
[ -x "$ZTP" ] || fail "npm install -g did not create bin/ztp"
[ ! -d "$TMP/prefix/lib/node_modules/intune-zero-trust-policies/node_modules" ] || fail "the install fetched dependencies"

# Run it from outside the repository, so nothing resolves through the repository's node_modules.
cd "$TMP"
VERSION="$("$ZTP" --version)"
[ "$VERSION" = "$(node -p "require('$REPO/package.json').version")" ] || fail "ztp --version printed '$VERSION'"

set +e
"$ZTP" check "$REPO/examples/contoso" --no-color >"$TMP/out.txt" 2>"$TMP/err.txt"
STATUS=$?
set -e
# The example's deliberate gaps: 2 errors, so exit status 1.
[ "$STATUS" -eq 1 ] || { cat "$TMP/out.txt" "$TMP/err.txt"; fail "ztp check examples/contoso exited $STATUS, not 1"; }
# The installed package says exactly what the repository's own build says (the example's seven deliberate gaps).
set +e
node "$REPO/bin/ztp.js" check "$REPO/examples/contoso" --no-color >"$TMP/repo.txt" 2>/dev/null
set -e
EXPECTED="$(tail -n 1 "$TMP/repo.txt")"
case "$EXPECTED" in "✖ 2 errors, 3 warnings, 2 information ("*" files in 1 tenant checked)") ;; *) fail "the repository's own check of examples/contoso ends '$EXPECTED'";; esac
[ "$(tail -n 1 "$TMP/out.txt")" = "$EXPECTED" ] \
  || { cat "$TMP/out.txt"; fail "unexpected summary from ztp check examples/contoso (expected: $EXPECTED)"; }
grep -q 'error ca-requires-compliance-policy' "$TMP/out.txt" || fail "ca-requires-compliance-policy not reported"

set +e
"$ZTP" check "$REPO/examples/contoso" --format json >"$TMP/out.json"
STATUS=$?
set -e
[ "$STATUS" -eq 1 ] || fail "ztp check --format json exited $STATUS, not 1"
node -e '
  const f = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!Array.isArray(f) || f.filter((x) => x.severity === "error").length !== 2) process.exit(1);
  if (!f.every((x) => x.file && x.range && x.code && x.message)) process.exit(1);
' "$TMP/out.json" || fail "ztp check --format json did not give the two errors"

# The language server starts from the installed package too (`ztp lsp --stdio`): it answers initialize.
node -e '
  const { spawn } = require("child_process");
  const p = spawn(process.argv[1], ["lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
  p.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  let out = "";
  const timer = setTimeout(() => { console.error("no answer to initialize"); p.kill(); process.exit(1); }, 20000);
  p.stdout.on("data", (d) => {
    out += d;
    if (/"capabilities"/.test(out)) { clearTimeout(timer); p.kill(); process.exit(0); }
  });
' "$ZTP" || fail "ztp lsp --stdio did not answer initialize"

echo "ci-packed: ok: npm install -g of the tarball (offline, no dependencies) gives a ztp $VERSION that checks examples/contoso (exit 1, 2 errors) and serves LSP"
