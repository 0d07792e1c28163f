'use strict';
// Preloaded with `node --require` into the server or CLI under test: any network use, or any attempt to start a
// process, ends the process with 97.
require('./network-guard.cjs').install(
  (what) => {
    process.stderr.write(`NETWORK-GUARD: ${what}\n`);
    process.exit(97);
  },
  { childProcess: true },
);
