// 阵地 photos: what the bytes are (JPEG or PNG by their magic bytes, never by the name), their pixel
// size and camera orientation read from the headers, and the thumbnail made at upload (resvg, loaded
// on first use like the posters; PNG out). Pure functions apart from the thumbnail.

export interface ImageInfo {
  mime: 'image/jpeg' | 'image/png';
  ext: 'jpg' | 'png';
  /** Pixel size as stored (before the EXIF orientation is applied). */
  width: number;
  height: number;
  /** EXIF orientation 1–8 (JPEG from a phone camera); 1 when absent. */
  orientation: number;
}

/** Photos larger than this (in pixels) are refused: decoding one would take too much memory. */
export const MAX_PIXELS = 50_000_000;
/** The longer side of a thumbnail, in pixels. */
export const THUMB_SIDE = 320;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** JPEG or PNG with a readable size, else undefined (whatever the file name says). */
export function readImage(buf: Buffer): ImageInfo | undefined {
  if (buf.length >= 24 && buf.subarray(0, 8).equals(PNG_MAGIC) && buf.subarray(12, 16).toString('latin1') === 'IHDR') {
    const width = buf.readUInt32BE(16);
    const height = buf.readUInt32BE(20);
    return width > 0 && height > 0 ? { mime: 'image/png', ext: 'png', width, height, orientation: 1 } : undefined;
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return readJpeg(buf);
  return undefined;
}

function readJpeg(buf: Buffer): ImageInfo | undefined {
  let orientation = 1;
  let i = 2;
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) return undefined;
    const marker = buf[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    const len = buf.readUInt16BE(i + 2);
    if (len < 2 || i + 2 + len > buf.length) return undefined;
    const seg = buf.subarray(i + 4, i + 2 + len);
    if (marker === 0xe1 && seg.subarray(0, 6).toString('latin1') === 'Exif\0\0') orientation = exifOrientation(seg.subarray(6)) ?? orientation;
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (seg.length < 5) return undefined;
      const height = seg.readUInt16BE(1);
      const width = seg.readUInt16BE(3);
      return width > 0 && height > 0 ? { mime: 'image/jpeg', ext: 'jpg', width, height, orientation } : undefined;
    }
    if (marker === 0xda) return undefined; // scan data before any frame header
    i += 2 + len;
  }
  return undefined;
}

/** The Orientation tag (0x0112) of IFD0 in a TIFF block, if any. */
export function exifOrientation(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const order = tiff.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const n = u16(ifd);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > tiff.length) return undefined;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : undefined;
    }
  }
  return undefined;
}

/** The size shown: orientations 5–8 turn the picture a quarter. */
export function shownSize(info: Pick<ImageInfo, 'width' | 'height' | 'orientation'>): { width: number; height: number } {
  return info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
}

/** The SVG transform drawing a stored w×h picture upright in a box of its shown size (EXIF orientations 1–8). */
export function orientationTransform(o: number, w: number, h: number): string {
  switch (o) {
    case 2:
      return `matrix(-1 0 0 1 ${w} 0)`;
    case 3:
      return `matrix(-1 0 0 -1 ${w} ${h})`;
    case 4:
      return `matrix(1 0 0 -1 0 ${h})`;
    case 5:
      return `matrix(0 1 1 0 0 0)`;
    case 6:
      return `matrix(0 1 -1 0 ${h} 0)`;
    case 7:
      return `matrix(0 -1 -1 0 ${h} ${w})`;
    case 8:
      return `matrix(0 -1 1 0 0 ${w})`;
    default:
      return '';
  }
}

/** A PNG thumbnail, upright, whose longer side is at most THUMB_SIDE pixels. */
export async function makeThumbnail(buf: Buffer, info: ImageInfo): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const shown = shownSize(info);
  const transform = orientationTransform(info.orientation, info.width, info.height);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${shown.width}" height="${shown.height}" viewBox="0 0 ${shown.width} ${shown.height}">` +
    `<image ${transform ? `transform="${transform}" ` : ''}width="${info.width}" height="${info.height}" preserveAspectRatio="none" xlink:href="data:${info.mime};base64,${buf.toString('base64')}"/></svg>`;
  const fit =
    shown.width >= shown.height
      ? { mode: 'width' as const, value: Math.min(THUMB_SIDE, shown.width) }
      : { mode: 'height' as const, value: Math.min(THUMB_SIDE, shown.height) };
  return new Resvg(svg, { fitTo: fit, background: '#ffffff', font: { loadSystemFonts: false } }).render().asPng();
}
