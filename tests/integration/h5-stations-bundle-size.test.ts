// 附近驿站 (issue 14) opens on a phone, often on a mobile network: beyond the shared chunks every H5
// page loads (the entry and what it imports), the page's own JavaScript — the map and the 盐城 county
// boundaries included — must stay within 150 KB gzipped. Read from the Vite manifest of the built H5
// (built here first if the sources changed), measured like the join page (h5-bundle-size.test.ts).
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

function staticClosure(key: string, into = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`not in the H5 manifest: ${key}`);
  if (into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const k of chunk.imports ?? []) staticClosure(k, into);
  return into;
}

const gzipped = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

describe('H5 bundle size: 附近驿站', () => {
  it('the 附近 page loads at most 150 KB of gzipped JavaScript beyond the shared chunk, map and boundaries included', () => {
    const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
    expect(entry, 'an entry chunk').toBeTruthy();
    const shared = staticClosure(entry!);
    const page = [...staticClosure('src/views/StationsView.vue')].filter((f) => f.endsWith('.js') && !shared.has(f));
    const sizes = page.map((f) => ({ file: f, gzip: gzipped(f) }));
    const total = sizes.reduce((s, x) => s + x.gzip, 0);
    console.log(
      `[h5-bundle-size] 附近驿站 beyond the shared chunk: ${(total / 1024).toFixed(1)} KB gzipped JS in ${page.length} files (limit 150 KB)\n` +
        sizes
          .sort((a, b) => b.gzip - a.gzip)
          .map((x) => `  ${(x.gzip / 1024).toFixed(1).padStart(6)} KB  ${x.file}`)
          .join('\n'),
    );
    // the boundaries are in the page's own chunks (shipped, not fetched): the county names are there
    const text = page.map((f) => readFileSync(join(DIST, f), 'utf8')).join('\n');
    expect(text.includes('东台市') || text.includes('\\u4e1c\\u53f0\\u5e02')).toBe(true);
    expect(text).toContain('FeatureCollection');
    expect(total).toBeLessThanOrEqual(LIMIT_BYTES);
  });
});
