/**
 * The server's side of `--stdio` (`ztp lsp --stdio`, every editor but VS Code, which uses IPC).
 *
 * vscode-jsonrpc's `StreamMessageWriter` writes a message's header and its body apart, awaiting the first, and each
 * message on a turn of the event loop of its own: an edit's diagnostics (the edited file and a file it affects) took
 * four writes to the pipe, each a system call that wakes the editor. `FramedMessageWriter` frames messages exactly
 * as it does (`Content-Length`, UTF-8 JSON) and writes each turn's messages at once, in the order they were sent.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

interface Pending {
  frame: Buffer;
  done: () => void;
  failed: (error: Error) => void;
}

export class FramedMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private pending: Pending[] = [];
  private errors = 0;

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (error: Error) => this.fireError(error));
    out.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    let frame: Buffer;
    try {
      const body = Buffer.from(JSON.stringify(message), 'utf8');
      frame = Buffer.concat([Buffer.from(`Content-Length: ${body.byteLength}\r\n\r\n`, 'ascii'), body]);
    } catch (error) {
      // As vscode-jsonrpc's writer does: a message that cannot be encoded fails its promise, not its sender.
      this.errors++;
      this.fireError(error, message, this.errors);
      return Promise.reject(error);
    }
    return new Promise((done, failed) => {
      this.pending.push({ frame, done, failed });
      // The messages sent by the code that is running now go out together once it returns (or at `flush`).
      if (this.pending.length === 1) queueMicrotask(() => this.flush());
    });
  }

  /**
   * Write what was sent so far now, without waiting for the running code to return: for a message that must not wait
   * for work that follows it (an edited file's diagnostics, before the other files of its tenant are compared).
   */
  flush(): void {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    const data = batch.length === 1 ? batch[0]!.frame : Buffer.concat(batch.map((p) => p.frame));
    this.out.write(data, (error?: Error | null) => {
      if (!error) {
        for (const p of batch) p.done();
        return;
      }
      this.errors++;
      this.fireError(error, undefined, this.errors);
      for (const p of batch) p.failed(error);
    });
  }

  end(): void {
    this.out.end();
  }
}

/**
 * Over stdio, stdout carries the protocol: what anything prints with `console` goes to the editor's log instead (as
 * vscode-languageserver does when it opens stdio itself).
 */
export function consoleToLog(log: { log(message: string): void; error(message: string): void }): void {
  const sink = (send: (message: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        send(String(chunk).replace(/\r?\n$/, ''));
        callback();
      },
    });
  const redirected = new Console({ stdout: sink((m) => log.log(m)), stderr: sink((m) => log.error(m)) });
  const methods = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'dirxml', 'table', 'count', 'countReset', 'time', 'timeEnd', 'timeLog', 'assert', 'group', 'groupCollapsed', 'groupEnd'] as const;
  for (const name of methods) (console as unknown as Record<string, unknown>)[name] = (redirected[name] as (...args: unknown[]) => void).bind(redirected);
}
