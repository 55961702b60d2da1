/**
 * The demo's product images: small but real PNGs drawn in code (a mountain in the product's
 * colour under a pale sky), served by the demo's own server under `/demo-images/`. An image's
 * name says what it shows (`sku-10000-1-5b7a3a.png`: that colour), so the route needs no catalog
 * and the same name always gives the same bytes. A few names fail on purpose, as a merchant's
 * file server does now and then: Shopify (or the simulator with `media.fetch`) downloads them and
 * refuses them with its own reason.
 */
import type { ServerResponse } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';

/** Where the demo's server answers image requests. */
export const IMAGE_PATH = '/demo-images/';

/** How a failing image of the demo fails. */
export type ImageFault = 'missing' | 'text' | 'corrupt';

/** Each way an image fails: the end of its name, what the server does, and what Shopify answers. */
export const IMAGE_FAULTS: Readonly<Record<ImageFault, { suffix: string; served: string; code: string }>> = {
  missing: { suffix: 'gone', served: 'answered with HTTP 404', code: 'IMAGE_DOWNLOAD_FAILURE' },
  text: { suffix: 'text', served: 'served as text/plain', code: 'UNSUPPORTED_IMAGE_FILE_TYPE' },
  corrupt: { suffix: 'corrupt', served: 'served as image/png, but its bytes are not a PNG', code: 'IMAGE_PROCESSING_FAILURE' },
};

const GOOD = /^([a-z0-9-]+)-([0-9a-f]{6})\.png$/;
const FAULTY = new RegExp(`^[a-z0-9-]+-(${Object.values(IMAGE_FAULTS).map((f) => f.suffix).join('|')})\\.png$`);

/**
 * An image's file name: `<ref>-<n>-<rrggbb>.png` for a good one (its colour in its name), or
 * `<ref>-<n>-gone.png` and the like for one that fails.
 */
export function imageName(ref: string, n: number, look: { rgb: string } | { fault: ImageFault }): string {
  const stem = `${ref.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${n}`;
  return 'rgb' in look ? `${stem}-${look.rgb.toLowerCase()}.png` : `${stem}-${IMAGE_FAULTS[look.fault].suffix}.png`;
}

/** The fault an image URL of the demo was made with, if any. */
export function imageFault(url: string): ImageFault | undefined {
  const name = url.slice(url.lastIndexOf('/') + 1);
  const suffix = FAULTY.exec(name)?.[1];
  return (Object.keys(IMAGE_FAULTS) as ImageFault[]).find((k) => IMAGE_FAULTS[k].suffix === suffix);
}

/** A `size`×`size` truecolour PNG: a mountain in `rgb` (six hex digits) under a pale sky of the same hue. */
export function mountainPng(rgb: string, size = 96): Buffer {
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(rgb.slice(i, i + 2), 16)) as [number, number, number];
  const sky = [r, g, b].map((c) => Math.round(c + (255 - c) * 0.8));
  const snow = [r, g, b].map((c) => Math.round(c + (255 - c) * 0.95));
  const row = 1 + size * 3;
  const raw = Buffer.alloc(row * size);
  for (let y = 0; y < size; y++) {
    raw[y * row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      // Two peaks: the ridge's height at x, from the bottom.
      const ridge = Math.max(size * 0.75 - Math.abs(x - size * 0.38) * 1.1, size * 0.55 - Math.abs(x - size * 0.78) * 0.9, size * 0.15);
      const fromBottom = size - y;
      const colour = fromBottom > ridge ? sky : fromBottom > ridge - size * 0.08 && ridge > size * 0.6 ? snow : [r, g, b];
      raw.set(colour, y * row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, adaptive filters, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Answers a GET or HEAD of `/demo-images/<name>`: the PNG its name describes, or the failure it
 * was named for (404, text/plain, bytes that are not a PNG). Returns false for any other path.
 */
export function serveDemoImage(pathname: string, method: string, res: ServerResponse, headers: Record<string, string> = {}): boolean {
  if (!pathname.startsWith(IMAGE_PATH) || (method !== 'GET' && method !== 'HEAD')) return false;
  const name = pathname.slice(IMAGE_PATH.length);
  const send = (status: number, type: string, body: Buffer, cache = 'no-cache') => {
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': String(body.length), 'Cache-Control': cache });
    res.end(method === 'HEAD' ? undefined : body);
  };
  const good = GOOD.exec(name);
  const fault = good ? undefined : imageFault(name);
  // The bytes follow from the name alone: a cache may keep them.
  if (good) send(200, 'image/png', mountainPng(good[2]!), 'public, max-age=86400, immutable');
  else if (fault === 'text') send(200, 'text/plain; charset=utf-8', Buffer.from('The file server had a bad moment: this is its error page, not the image.\n'));
  else if (fault === 'corrupt') send(200, 'image/png', Buffer.from('Half an upload: these bytes were meant to be a PNG.\n'));
  else send(404, 'text/plain; charset=utf-8', Buffer.from('No such image.\n'));
  return true;
}
