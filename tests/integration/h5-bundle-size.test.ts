// The worker H5 is opened from a QR code on a phone, often on a slow mobile network: the join
// page's first load (the entry chunk, everything it imports statically, and the join route's
// chunks) must stay within 150 KB of gzipped JavaScript. Read from the Vite manifest of the
// built H5 (built here first if the sources changed).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const DIST = join(process.cwd(), 'dist/web/h5');
const LIMIT_BYTES = 150 * 1024;

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

let manifest: Record<string, Chunk>;

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--if-needed'], { cwd: process.cwd(), stdio: 'pipe' });
  manifest = JSON.parse(readFileSync(join(DIST, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
}, 180_000);

/** The chunk's file and every chunk it imports statically, transitively. */
function staticClosure(key: string, into = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`not in the H5 manifest: ${key}`);
  if (into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const k of chunk.imports ?? []) staticClosure(k, into);
  return into;
}

const gzipped = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

describe('H5 bundle size', () => {
  it('the join page’s first load ships at most 150 KB of gzipped JavaScript', () => {
    const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
    expect(entry, 'an entry chunk').toBeTruthy();
    // The join route opens JoinHomeView (membership / open application / wizard), which loads the wizard.
    const files = staticClosure('src/views/JoinView.vue', staticClosure('src/views/JoinHomeView.vue', staticClosure(entry!)));
    const js = [...files].filter((f) => f.endsWith('.js'));
    const sizes = js.map((f) => ({ file: f, gzip: gzipped(f) }));
    const total = sizes.reduce((s, x) => s + x.gzip, 0);
    console.log(
      `[h5-bundle-size] join page first load: ${(total / 1024).toFixed(1)} KB gzipped JS in ${js.length} files (limit 150 KB)\n` +
        sizes
          .sort((a, b) => b.gzip - a.gzip)
          .map((x) => `  ${(x.gzip / 1024).toFixed(1).padStart(6)} KB  ${x.file}`)
          .join('\n'),
    );
    // The QR code library belongs to the card page only.
    expect(js.some((f) => /CardView/.test(f))).toBe(false);
    expect(total).toBeLessThanOrEqual(LIMIT_BYTES);
  });
});
