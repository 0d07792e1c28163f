#!/usr/bin/env bash
# The check step of the GitHub Action (action.yml), and of any other CI: runs `ztp check` with SARIF output into a
# file, makes sure the file is SARIF 2.1.0 that code scanning can take (relative paths, known levels), prints a
# one-line summary, and exits with ztp's status: 0 no errors, 1 errors found, 2 a usage or I/O problem (or output
# that is not valid SARIF).
#
#   bash scripts/action-check.sh <sarif-file> <path>... [-- <more ztp check options>]
#
# The command run is $ZTP if set (the action sets it to the installed `ztp`), else this repository's bin/ztp.js.
# Under GitHub Actions ($GITHUB_OUTPUT set) it writes the outputs `sarif-file`, `exit-code`, `errors`, `results`.
# test/unit/ci-integrations.test.ts runs it on examples/contoso.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

if [ $# -lt 2 ]; then
  echo "usage: action-check.sh <sarif-file> <path>... [-- <ztp check options>]" >&2
  exit 2
fi
SARIF="$1"
shift
PATHS=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do PATHS+=("$1"); shift; done
[ $# -gt 0 ] && shift
EXTRA=("$@")

if [ -n "${ZTP:-}" ]; then
  # shellcheck disable=SC2206  # $ZTP may be `node /path/bin/ztp.js`: split on spaces, as a command line.
  CMD=($ZTP)
else
  CMD=(node "$HERE/../bin/ztp.js")
fi

mkdir -p "$(dirname "$SARIF")"
"${CMD[@]}" check "${PATHS[@]}" --format sarif ${EXTRA[@]+"${EXTRA[@]}"} >"$SARIF"
STATUS=$?

if [ "$STATUS" -ne 0 ] && [ "$STATUS" -ne 1 ]; then
  echo "ztp check exited $STATUS (a usage or I/O problem, said above); no SARIF to upload" >&2
  rm -f "$SARIF"
  [ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=$STATUS" >>"$GITHUB_OUTPUT"
  exit 2
fi

# Validate the SARIF and count what it holds; prints "<results> <errors>".
COUNTS="$(node - "$SARIF" <<'EOF'
const fs = require('fs');
const file = process.argv[2];
const fail = (why) => { console.error(`${file}: not SARIF that code scanning can take: ${why}`); process.exit(1); };
let log;
try { log = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { fail(`not JSON (${e.message})`); }
if (log.version !== '2.1.0') fail(`version is ${JSON.stringify(log.version)}, not "2.1.0"`);
if (!Array.isArray(log.runs) || log.runs.length !== 1) fail('it needs exactly one run');
const run = log.runs[0];
if (!run.tool || !run.tool.driver || typeof run.tool.driver.name !== 'string') fail('runs[0].tool.driver.name is missing');
if (!Array.isArray(run.results)) fail('runs[0].results is missing');
const rules = new Set((run.tool.driver.rules || []).map((r) => r.id));
for (const [i, r] of run.results.entries()) {
  if (typeof r.ruleId !== 'string' || !rules.has(r.ruleId)) fail(`result ${i}: ruleId ${JSON.stringify(r.ruleId)} is not one of the driver's rules`);
  if (!['error', 'warning', 'note', 'none'].includes(r.level)) fail(`result ${i}: level ${JSON.stringify(r.level)}`);
  if (!r.message || typeof r.message.text !== 'string') fail(`result ${i}: no message text`);
  for (const l of r.locations || []) {
    const uri = l.physicalLocation && l.physicalLocation.artifactLocation && l.physicalLocation.artifactLocation.uri;
    if (typeof uri !== 'string' || /^(\/|[a-z]+:|\.\.\/)/i.test(uri)) fail(`result ${i}: location ${JSON.stringify(uri)} is not a path relative to the repository`);
    const region = l.physicalLocation.region;
    if (region && !(region.startLine >= 1)) fail(`result ${i}: startLine ${region.startLine} (SARIF lines count from 1)`);
  }
}
console.log(`${run.results.length} ${run.results.filter((r) => r.level === 'error').length}`);
EOF
)" || { [ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=2" >>"$GITHUB_OUTPUT"; exit 2; }
read -r RESULTS ERRORS <<<"$COUNTS"

echo "ztp check: $RESULTS finding(s), $ERRORS error(s); SARIF 2.1.0 in $SARIF (exit status $STATUS)"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "sarif-file=$SARIF"
    echo "exit-code=$STATUS"
    echo "results=$RESULTS"
    echo "errors=$ERRORS"
  } >>"$GITHUB_OUTPUT"
fi
exit "$STATUS"
