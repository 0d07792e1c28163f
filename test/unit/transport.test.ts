/**
 * The server's stdio writer: messages framed as vscode-jsonrpc frames them, those sent together written together,
 * in order, and readable by vscode-jsonrpc's own reader; and `console` kept off stdout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { consoleToLog, FramedMessageWriter } from '../../server/src/lsp/transport';

const note = (n: number, text = 'x'): Message => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: `file:///t/${n}.yaml`, text } }) as Message;

/** A stream that keeps each chunk written to it, one entry per write. */
function recordingStream(): { out: Writable; writes: Buffer[] } {
  const writes: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk);
      callback();
    },
  });
  return { out, writes };
}

test('messages sent together go out in one write, framed as vscode-jsonrpc frames them, in order', async () => {
  const { out, writes } = recordingStream();
  const writer = new FramedMessageWriter(out);
  const sent = [writer.write(note(1)), writer.write(note(2, 'é — ü')), writer.write(note(3))];
  await Promise.all(sent);
  assert.equal(writes.length, 1, 'one write for the three');
  const expected = [note(1), note(2, 'é — ü'), note(3)]
    .map((m) => {
      const body = Buffer.from(JSON.stringify(m), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`, 'ascii'), body]);
    })
    .reduce((a, b) => Buffer.concat([a, b]));
  assert.deepEqual(writes[0], expected, 'Content-Length counts UTF-8 bytes');

  await writer.write(note(4));
  assert.equal(writes.length, 2, 'a later message is a write of its own');
});

test('flush writes what was sent so far at once; what follows in the same turn goes out in a write of its own', async () => {
  const { out, writes } = recordingStream();
  const writer = new FramedMessageWriter(out);
  const first = [writer.write(note(1)), writer.write(note(2))];
  writer.flush();
  assert.equal(writes.length, 1, 'written before the running code returned');
  const later = [writer.write(note(3)), writer.write(note(4))];
  writer.flush();
  writer.flush();
  assert.equal(writes.length, 2, 'a flush with nothing pending writes nothing');
  const last = writer.write(note(5));
  await Promise.all([...first, ...later, last]);
  assert.equal(writes.length, 3, 'the turn-end write holds only what came after the last flush');
  const bodies = writes.map((w) => [...w.toString('utf8').matchAll(/"uri":"file:\/\/\/t\/(\d)\.yaml"/g)].map((m) => Number(m[1])));
  assert.deepEqual(bodies, [[1, 2], [3, 4], [5]]);
});

test("vscode-jsonrpc's reader reads what it writes", async () => {
  const pipe = new PassThrough();
  const writer = new FramedMessageWriter(pipe);
  const reader = new StreamMessageReader(pipe);
  const got: Message[] = [];
  const all = new Promise<void>((resolve) =>
    reader.listen((m) => {
      got.push(m);
      if (got.length === 3) resolve();
    }),
  );
  void writer.write(note(1));
  void writer.write(note(2, '{"nested": "json\\n"}'));
  setImmediate(() => void writer.write(note(3)));
  await all;
  assert.deepEqual(got, [note(1), note(2, '{"nested": "json\\n"}'), note(3)]);
  reader.dispose();
});

test('a failed write fails the messages in it and is reported', async () => {
  const out = new Writable({
    write(_chunk, _encoding, callback) {
      callback(new Error('EPIPE'));
    },
  });
  out.on('error', () => undefined);
  const writer = new FramedMessageWriter(out);
  const errors: Error[] = [];
  writer.onError(([e]) => errors.push(e));
  await assert.rejects(writer.write(note(1)), /EPIPE/);
  assert.ok(errors.some((e) => /EPIPE/.test(e.message)));
});

test('a message that cannot be encoded fails its own promise, and the next ones still go out', async () => {
  const { out, writes } = recordingStream();
  const writer = new FramedMessageWriter(out);
  writer.onError(() => undefined);
  const circular: Record<string, unknown> = { jsonrpc: '2.0', method: 'x' };
  circular.params = circular;
  await assert.rejects(writer.write(circular as unknown as Message), /circular/i);
  await writer.write(note(1));
  assert.equal(writes.length, 1);
});

test('over stdio, console output goes to the log, never to stdout', () => {
  const saved = { ...console };
  const logged: string[] = [];
  try {
    consoleToLog({ log: (m) => logged.push(`log ${m}`), error: (m) => logged.push(`error ${m}`) });
    console.log('a %s', 'b');
    console.info({ c: 1 });
    console.error('d');
    console.count('e');
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(logged, ['log a b', 'log { c: 1 }', 'error d', 'log e: 1']);
});
