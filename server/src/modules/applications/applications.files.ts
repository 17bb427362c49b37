// Attachments: a FileStore interface (the local store writes under `${dataDir}/files/`; an
// S3-compatible store can implement the same three calls) and the content check by magic bytes.
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface FileStore {
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
}

/** Files under one root folder; keys are relative paths made by `newStorageKey`. */
export function createLocalFileStore(root: string): FileStore {
  const pathOf = (key: string) => {
    const p = resolve(root, key);
    if (!p.startsWith(resolve(root) + sep)) throw new Error(`bad storage key ${key}`);
    return p;
  };
  return {
    async put(key, data) {
      const p = pathOf(key);
      await mkdir(dirname(p), { recursive: true });
      const tmp = `${p}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, data, { mode: 0o600 });
      await rename(tmp, p);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

export const localFilesRoot = (dataDir: string) => join(dataDir, 'files');

/** `applications/2026/11/<random>`: no user input in the path. */
export function newStorageKey(at: Date): string {
  const y = at.getUTCFullYear();
  const m = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `applications/${y}/${m}/${randomBytes(16).toString('hex')}`;
}

export const ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export interface Sniffed {
  kind: 'image' | 'pdf';
  mime: 'image/jpeg' | 'image/png' | 'application/pdf';
  ext: 'jpg' | 'png' | 'pdf';
}

/** What the bytes are, whatever the name says: JPEG, PNG or PDF, else undefined. */
export function sniffFile(buf: Buffer): Sniffed | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { kind: 'image', mime: 'image/jpeg', ext: 'jpg' };
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { kind: 'image', mime: 'image/png', ext: 'png' };
  if (buf.length >= 5 && buf.subarray(0, 5).toString('latin1') === '%PDF-') return { kind: 'pdf', mime: 'application/pdf', ext: 'pdf' };
  return undefined;
}

/** A display name: no path, no control characters, at most 100 characters; the extension follows the content. */
export function cleanFileName(raw: string | undefined, s: Sniffed): string {
  const base = (raw ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '')
    .trim()
    .replace(/\.[A-Za-z0-9]{1,5}$/, '');
  // Cut by characters (code points): a cut inside a surrogate pair would leave half a character.
  return `${[...(base || '附件')].slice(0, 90).join('')}.${s.ext}`;
}
