// A few named parts of a zip held in memory, read through its central directory (random access),
// for the spreadsheet reader: an .xlsx keeps its shared strings and styles after the sheets, and
// exceljs's streaming reader otherwise parks each sheet in a temporary file until they are read.
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** A part larger than this is not one of the small ones this reader is for. */
const MAX_PART = 64 * 1024 * 1024;

/**
 * The named parts' bytes (inflated). Parts missing, stored in a way this reader does not handle
 * (zip64, encryption, an unknown method) or a damaged directory give an empty answer for that part,
 * and the caller falls back to reading the zip in order.
 */
export function readZipParts(zip: Buffer, names: ReadonlySet<string>): Map<string, Buffer> {
  const parts = new Map<string, Buffer>();
  const eocd = findEndOfDirectory(zip);
  if (eocd < 0) return parts;
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count && p + 46 <= zip.length; i++) {
    if (zip.readUInt32LE(p) !== CENTRAL) return parts;
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const next = p + 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    const local = zip.readUInt32LE(p + 42);
    p = next;
    if (!names.has(name) || flags & 1 || size > MAX_PART || local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) continue;
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressedSize > zip.length) continue;
    const data = zip.subarray(start, start + compressedSize);
    try {
      if (method === 0) parts.set(name, data);
      else if (method === 8) parts.set(name, inflateRawSync(data, { maxOutputLength: MAX_PART }));
    } catch {
      // A damaged part: left to the in-order reader, which reports the file as unreadable.
    }
  }
  return parts;
}

function findEndOfDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      const offset = zip.readUInt32LE(i + 16);
      return offset === 0xffffffff || offset >= zip.length ? -1 : i;
    }
  }
  return -1;
}
