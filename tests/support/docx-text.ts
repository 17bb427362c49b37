// The text of a .docx, read by unzipping it (word/document.xml) with the system `unzip`: what a
// reader of the document would see, without trusting the generator.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function docxText(body: Buffer | Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'docx-'));
  try {
    const file = join(dir, 'doc.docx');
    writeFileSync(file, body);
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
    return xml
      .replace(/<\/w:p>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
