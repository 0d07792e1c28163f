// Draws images/icon.png (128×128, the Marketplace icon): a white-edged shield with a check mark on a dark blue
// tile, the colour version of images/zero-trust.svg. Plain Node (zlib), so no image tool is needed.
// Usage: node scripts/draw-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { chunk, SIGNATURE } from './recompress-png.mjs';

const SIZE = 128;
const SAMPLES = 4; // per axis, for anti-aliasing

const NAVY = [11, 58, 110];
const BLUE = [31, 122, 224];
const WHITE = [255, 255, 255];

/** The shield outline as a polygon: flat top, straight sides, two quadratic curves to the point at the bottom. */
function shieldPolygon(inset) {
  const pts = [[64, 14 + inset], [102 - inset, 28 + inset * 0.4], [102 - inset, 58]];
  const quad = (p0, c, p1) => {
    for (let i = 1; i <= 24; i++) {
      const t = i / 24;
      const a = (1 - t) ** 2, b = 2 * (1 - t) * t, d = t ** 2;
      pts.push([a * p0[0] + b * c[0] + d * p1[0], a * p0[1] + b * c[1] + d * p1[1]]);
    }
  };
  quad([102 - inset, 58], [102 - inset, 98 - inset * 0.6], [64, 112 - inset]);
  quad([64, 112 - inset], [26 + inset, 98 - inset * 0.6], [26 + inset, 58]);
  pts.push([26 + inset, 28 + inset * 0.4]);
  return pts;
}

function inside(poly, x, y) {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i], [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

function inRoundedSquare(x, y, r) {
  const cx = Math.min(Math.max(x, r), SIZE - r), cy = Math.min(Math.max(y, r), SIZE - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

const outer = shieldPolygon(0);
const inner = shieldPolygon(5);
const check = [[46, 64], [58, 76], [82, 50]];

/** The colour (with alpha) at a point of the icon. */
function colourAt(x, y) {
  if (!inRoundedSquare(x, y, 20)) return [0, 0, 0, 0];
  if (distanceToSegment(x, y, check[0], check[1]) <= 4.5 || distanceToSegment(x, y, check[1], check[2]) <= 4.5) return [...WHITE, 255];
  if (inside(inner, x, y)) return [...BLUE, 255];
  if (inside(outer, x, y)) return [...WHITE, 255];
  return [...NAVY, 255];
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0, then RGBA
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        for (let k = 0; k < 3; k++) sum[k] += c[k] * c[3];
        sum[3] += c[3];
      }
    }
    const alpha = sum[3] / SAMPLES ** 2;
    for (let k = 0; k < 3; k++) row[1 + px * 4 + k] = sum[3] ? Math.round(sum[k] / sum[3]) : 0;
    row[1 + px * 4 + 3] = Math.round(alpha);
  }
  rows.push(row);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  SIGNATURE,
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`wrote images/icon.png (${png.length} bytes)`);
