'use strict';
/**
 * Loaded into the language server by the bench (`node -r bench/server-clock.cjs dist/server.js --stdio`), never by the
 * product: the server's own clock for each edit. It notes when each `textDocument/didChange` reaches the server (the
 * stdin chunk that carries it) and when the server starts writing the next `textDocument/publishDiagnostics`, and at
 * exit writes both lists, as JSON, to the file named by ZTP_BENCH_CLOCK. The difference is the server's own time for
 * an edit: what it does, without the pipe and the client on either side of it.
 */
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const file = process.env.ZTP_BENCH_CLOCK;
if (file && isMainThread) {
  const changes = [];
  const publishes = [];
  // Our listener goes on when the server's reader attaches its own (StreamMessageReader), just before it: a listener
  // added now would switch stdin to flowing mode before the server listens, and its first messages would be lost.
  const on = process.stdin.on;
  let hooked = false;
  process.stdin.on = function (event, listener) {
    if (event === 'data' && !hooked) {
      hooked = true;
      on.call(this, 'data', (chunk) => {
        const at = performance.now();
        const text = chunk.toString('latin1');
        for (let i = text.indexOf('"textDocument/didChange"'); i >= 0; i = text.indexOf('"textDocument/didChange"', i + 1)) changes.push(at);
      });
    }
    return on.call(this, event, listener);
  };
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    const at = performance.now();
    if (String(chunk).includes('"textDocument/publishDiagnostics"')) publishes.push(at);
    return write.call(this, chunk, ...rest);
  };
  process.on('exit', () => writeFileSync(file, JSON.stringify({ changes, publishes })));
}
