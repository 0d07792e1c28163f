#!/usr/bin/env node
'use strict';
// The `ztp` command: the CLI bundle built by `npm run build` (run by `npm ci` / `npm install`). `ztp lsp` checks its
// transport there, then starts the server bundle beside it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundle = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(bundle) || (process.argv[2] === 'lsp' && !existsSync(join(__dirname, '..', 'dist', 'server.js')))) {
  process.stderr.write('ztp: the bundles are not built; run `npm run build` in ' + join(__dirname, '..') + '\n');
  process.exit(2);
}
require(bundle);
