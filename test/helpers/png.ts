import zlib from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A real PNG (8-bit RGB, no interlace) of vertical stripes in the given colours, for tests that
 * need a chart image before the chart module lands: browsers decode it, so naturalWidth is real.
 */
export function stripesPng(width: number, height: number, colours: readonly [number, number, number][]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + width * 3); // filter byte 0, then the pixels
  for (let x = 0; x < width; x++) row.set(colours[Math.floor((x * colours.length) / width)], 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

/** Two small charts as the report takes them. */
export function sampleCharts() {
  return [
    { title: 'Items by status, month by month', altText: 'Items by status: 80 not started in May 2017.', png: stripesPng(320, 160, [[0, 90, 48], [244, 119, 56], [212, 53, 28]]), width: 320, height: 160 },
    { title: 'Progress by theme', altText: 'Progress by theme: Making the case, 6 items, all not started.', png: stripesPng(240, 120, [[29, 112, 184], [80, 90, 95]]), width: 240, height: 120 },
  ];
}
