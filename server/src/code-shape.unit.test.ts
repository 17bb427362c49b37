import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 18 item 4: code that fits in a head. The server's source stays in files a reader can hold,
// and modules never reach back into the app that composes them (app.ts imports modules, not the reverse).
const SRC = dirname(fileURLToPath(import.meta.url));
const MAX_LINES = 700;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the shape of server/src', () => {
  const files = sourceFiles(SRC);

  it('has no source file over 700 lines', () => {
    expect(files.length).toBeGreaterThan(100);
    const long = files.map((f) => ({ file: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length })).filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('has no module importing app.ts (core and feature modules are composed by it, not the reverse)', () => {
    const importsApp = /from\s+['"](\.\.\/)+app\.js['"]/;
    const offenders = files.filter((f) => relative(SRC, f).startsWith('modules') && importsApp.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
