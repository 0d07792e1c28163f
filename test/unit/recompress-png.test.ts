/**
 * scripts/recompress-png.mjs, which re-encoded the .vsix's screenshots (docs/images/): the output has the same pixels
 * and the same other chunks, and is never larger than the input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

const ROOT = join(__dirname, '..', '..');

interface Png {
  chunk: (type: string, data: Buffer) => Buffer;
  decodePng: (png: Buffer) => { width: number; height: number; pixels: Buffer; list: { type: string; data: Buffer }[] };
  recompressPng: (png: Buffer) => Buffer;
}
const load = async (): Promise<Png> => (await import(pathToFileURL(join(ROOT, 'scripts', 'recompress-png.mjs')).href)) as Png;

/** A 64×48 RGB image like a screenshot (flat areas, a gradient, some text-like noise), stored with no compression. */
function storedPng(chunk: Png['chunk']): { png: Buffer; pixels: Buffer } {
  const [w, h] = [64, 48];
  const pixels = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const text = y > 20 && y < 28 && (x * 7 + y * 3) % 5 === 0;
      pixels[i] = text ? 20 : y < 10 ? 30 : 240;
      pixels[i + 1] = text ? 20 : y < 10 ? 30 : 240 - x;
      pixels[i + 2] = text ? 200 : 255;
    }
  }
  const rows = Buffer.concat(Array.from({ length: h }, (_, y) => Buffer.concat([Buffer.from([0]), pixels.subarray(y * w * 3, (y + 1) * w * 3)])));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const png = Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('Software\0e2e screenshot', 'latin1')),
    // Two IDAT chunks, stored (level 0), as a naive encoder writes them.
    ...(() => {
      const z = deflateSync(rows, { level: 0 });
      return [chunk('IDAT', z.subarray(0, 100)), chunk('IDAT', z.subarray(100))];
    })(),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { png, pixels };
}

test('a re-encoded PNG has the same pixels and other chunks, and is smaller', async () => {
  const { chunk, decodePng, recompressPng } = await load();
  const { png, pixels } = storedPng(chunk);
  assert.ok(decodePng(png).pixels.equals(pixels), 'the test image decodes to what was drawn');
  const out = recompressPng(png);
  assert.ok(out.length < png.length / 4, `${out.length} bytes from ${png.length}`);
  const img = decodePng(out);
  assert.equal(img.width, 64);
  assert.equal(img.height, 48);
  assert.ok(img.pixels.equals(pixels), 'the same pixels');
  assert.deepEqual(
    img.list.map((c) => c.type),
    ['IHDR', 'tEXt', 'IDAT', 'IEND'],
  );
  assert.equal(img.list[1]!.data.toString('latin1'), 'Software\0e2e screenshot');
});

test('a PNG that is already as small comes back unchanged', async () => {
  const { recompressPng } = await load();
  const icon = readFileSync(join(ROOT, 'images', 'icon.png'));
  assert.equal(recompressPng(icon), icon);
});
