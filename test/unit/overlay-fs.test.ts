/** The workspace at a git ref, as Show Change Impact reads it: the disk with the changed files put back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../server/src/host/node-fs';
import { overlayFileSystem } from '../../server/src/host/overlay-fs';

test('changed files read as they were, added ones are absent, deleted ones (and their folders) are back', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ztp-overlay-')).replace(/\\/g, '/');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'ca'));
  writeFileSync(join(dir, 'ca', 'changed.yaml'), 'now\n');
  writeFileSync(join(dir, 'ca', 'added.yaml'), 'new\n');
  writeFileSync(join(dir, 'ca', 'same.yaml'), 'same\n');
  const fs = overlayFileSystem(
    nodeFileSystem,
    new Map<string, Uint8Array | null>([
      [`${dir}/ca/changed.yaml`, Buffer.from('before\n')],
      [`${dir}/ca/added.yaml`, null],
      [`${dir}/dlp/deleted.yaml`, Buffer.from('gone now\n')],
    ]),
  );
  const text = async (p: string): Promise<string> => Buffer.from(await fs.readFile(p)).toString('utf8');
  assert.equal(await text(`${dir}/ca/changed.yaml`), 'before\n');
  assert.equal(await text(`${dir}/ca/same.yaml`), 'same\n');
  await assert.rejects(fs.readFile(`${dir}/ca/added.yaml`), { code: 'ENOENT' });
  assert.equal(await text(`${dir}/dlp/deleted.yaml`), 'gone now\n');
  const names = async (p: string): Promise<string[]> => (await fs.readDirectory(p)).map((e) => `${e.name}:${e.kind}`).sort();
  assert.deepEqual(await names(`${dir}/ca`), ['changed.yaml:file', 'same.yaml:file']);
  assert.deepEqual(await names(dir), ['ca:directory', 'dlp:directory']);
  assert.deepEqual(await names(`${dir}/dlp`), ['deleted.yaml:file']);
  await assert.rejects(fs.readFile(`${dir}/ca/changed.yaml`, 3), { code: 'ETOOLARGE' });
});
