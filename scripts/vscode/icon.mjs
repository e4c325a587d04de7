// Draws media/icon.png (128×128): a gradient-norm trace whose spikes are cut flat at a max_norm
// line, on a dark rounded square. Plain Node (zlib for the PNG), so anyone can redraw it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { ROOT } from './prerequisites.mjs';

const SIZE = 128;
const SAMPLES = 4; // per axis, for anti-aliasing

const background = [23, 37, 58];
const trace = [255, 159, 67];
const limit = [72, 209, 204];

// The raw trace, in icon coordinates (y grows downwards); the max_norm line sits at y = 52.
const LIMIT_Y = 52;
const raw = [[18, 96], [30, 80], [40, 90], [50, 30], [60, 84], [70, 70], [80, 22], [90, 88], [100, 74], [110, 60]];
const clipped = raw.map(([x, y]) => [x, Math.max(y, LIMIT_Y)]);

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(x, y) {
  const r = 24;
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

function colourAt(x, y) {
  if (!insideRoundedSquare(x, y)) return null;
  for (let i = 1; i < clipped.length; i++) if (distanceToSegment(x, y, clipped[i - 1], clipped[i]) < 4) return trace;
  // The cut-off spikes, faint: what clipping removed.
  for (let i = 1; i < raw.length; i++) if (y < LIMIT_Y && distanceToSegment(x, y, raw[i - 1], raw[i]) < 1.6) return [120, 90, 70];
  if (Math.abs(y - LIMIT_Y) < 2 && x > 12 && x < 116 && Math.floor(x / 8) % 2 === 0) return limit;
  return background;
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let x = 0; x < SIZE; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = colourAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a++;
      }
    }
    const at = 1 + x * 4;
    if (a) row.set([Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round((255 * a) / SAMPLES ** 2)], at);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(join(ROOT, 'media'), { recursive: true });
writeFileSync(join(ROOT, 'media', 'icon.png'), png);
console.log(`media/icon.png: ${png.length} bytes`);
