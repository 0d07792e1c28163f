#!/usr/bin/env node
'use strict';
// The `ztp` command: the CLI bundle built by `npm run build` (run by `npm ci` / `npm install`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundle = join(__dirname, '..', 'dist', process.argv[2] === 'lsp' ? 'server.js' : 'cli.js');
if (!existsSync(bundle)) {
  process.stderr.write('ztp: the bundles are not built; run `npm run build` in ' + join(__dirname, '..') + '\n');
  process.exit(2);
}
require(bundle);
