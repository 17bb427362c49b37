// A minimal ustar writer and reader for regular files (the attachments under DATA_DIR/files),
// gzipped with zlib: enough for backups, readable by any `tar xzf`. No links, no devices.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const BLOCK = 512;

function octal(buf: Buffer, offset: number, length: number, value: number) {
  buf.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'latin1');
}

/** Splits a path into ustar's prefix (≤155 bytes) and name (≤100 bytes). */
function splitName(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return [prefix, name];
  }
  throw new Error(`文件路径过长，无法写入备份：${path}`);
}

function header(path: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(path);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, 0o600);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, Math.floor(mtime.getTime() / 1000));
  h.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  h.write('0', 156, 1, 'latin1');
  h.write('ustar\0', 257, 6, 'latin1');
  h.write('00', 263, 2, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return h;
}

/** Every regular file under `root` (relative POSIX paths, sorted), leaving out in-flight `*.tmp` writes. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && !e.name.endsWith('.tmp')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  await walk(root);
  return out;
}

/** Writes the given files of `root` (paths from listFiles) into a gzipped tar at `outFile`. */
export async function writeTarGz(root: string, files: string[], outFile: string): Promise<{ files: number; bytes: number }> {
  let bytes = 0;
  async function* blocks() {
    for (const rel of files) {
      const p = join(root, rel);
      const data = await readFile(p);
      bytes += data.length;
      yield header(rel, data.length, (await stat(p)).mtime);
      yield data;
      if (data.length % BLOCK) yield Buffer.alloc(BLOCK - (data.length % BLOCK));
    }
    yield Buffer.alloc(2 * BLOCK);
  }
  await mkdir(dirname(outFile), { recursive: true });
  await pipeline(Readable.from(blocks()), createGzip(), createWriteStream(outFile, { mode: 0o600 }));
  return { files: files.length, bytes };
}

/** Reads n bytes at a time from a stream of chunks, copying each byte once. */
function byteReader(source: AsyncIterable<Buffer>) {
  const it = source[Symbol.asyncIterator]();
  let chunks: Buffer[] = [];
  let length = 0;
  return async (n: number): Promise<Buffer | null> => {
    while (length < n) {
      const r = await it.next();
      if (r.done) return null;
      chunks.push(r.value);
      length += r.value.length;
    }
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
    const rest = all.subarray(n);
    chunks = rest.length ? [rest] : [];
    length = rest.length;
    return all.subarray(0, n);
  };
}

const field = (h: Buffer, offset: number, length: number) => {
  const raw = h.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
};

/** Extracts a gzipped tar of regular files into `dir`; refuses paths that would leave it. */
export async function extractTarGz(file: string, dir: string): Promise<{ files: number; bytes: number }> {
  const read = byteReader(createReadStream(file).pipe(createGunzip()));
  const root = resolve(dir);
  let files = 0;
  let bytes = 0;
  await mkdir(root, { recursive: true });
  for (;;) {
    const h = await read(BLOCK);
    if (!h || h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum !== parseInt(field(h, 148, 8).trim(), 8)) throw new Error('附件备份文件已损坏（校验和不符）');
    const prefix = field(h, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(h, 0, 100);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const target = resolve(root, name);
    if (posix.isAbsolute(name) || name.includes('\\') || !target.startsWith(root + sep)) throw new Error(`附件备份中有不安全的路径：${name}`);
    const data = await read(Math.ceil(size / BLOCK) * BLOCK);
    if (!data) throw new Error('附件备份文件不完整（意外结束）');
    if (type === '5') {
      await mkdir(target, { recursive: true });
    } else if (type === '0' || type === '\0') {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data.subarray(0, size), { mode: 0o600 });
      files++;
      bytes += size;
    } else {
      throw new Error(`附件备份中有不支持的条目类型（${type}）：${name}`);
    }
  }
  return { files, bytes };
}
