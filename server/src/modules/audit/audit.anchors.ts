// Anchors: the heads of the audit chains written, every minute and at shutdown, to an append-only
// file outside the database (DATA_DIR/audit-anchors.log, mode 0600) and to the log. Whoever can
// rewrite the database can make its chains consistent again (even roll them back and fix their
// heads), but cannot make an anchored head reappear with another hash: verify checks that every
// anchored head is still in its chain, with the same hash, in the order anchored. Each line carries
// a MAC under the audit key, so lines cannot be forged without it. docs/decisions/011.
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditKey } from './audit.hash.js';

export const ANCHOR_FILE_NAME = 'audit-anchors.log';
export const anchorFileFor = (dataDir: string) => join(dataDir, ANCHOR_FILE_NAME);

export interface AnchorHead {
  chain: number;
  /** The chain's last row. */
  id: string;
  /** Its position on the deferred chain (seal order); null on the id-ordered chains. */
  seq: string | null;
  hash: string;
}

export interface Anchor {
  at: string;
  heads: AnchorHead[];
  /** 1-based line in the file, for messages. */
  line: number;
}

const payload = (at: string, heads: AnchorHead[]) => JSON.stringify([at, heads.map((h) => [h.chain, h.id, h.seq, h.hash])]);

/** Appends one line and flushes it to disk; the file is created 0600. */
export function appendAnchor(file: string, key: AuditKey, at: Date, heads: AnchorHead[]): Anchor {
  const iso = at.toISOString();
  const line = JSON.stringify({ at: iso, heads, mac: key.mac('anchor', payload(iso, heads)) }) + '\n';
  mkdirSync(dirname(file), { recursive: true });
  const created = !existsSync(file);
  const fd = openSync(file, 'a', 0o600);
  try {
    // One write of a whole line: a crash leaves at most a torn last line, which readAnchors skips.
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) chmodSync(file, 0o600);
  return { at: iso, heads, line: 0 };
}

/** The anchors of a file (none when it does not exist) and the lines that are not valid anchors. */
export function readAnchors(file: string, key: AuditKey): { anchors: Anchor[]; invalid: { line: number; reason: string }[] } {
  const anchors: Anchor[] = [];
  const invalid: { line: number; reason: string }[] = [];
  if (!existsSync(file)) return { anchors, invalid };
  const lines = readFileSync(file, 'utf8').split('\n');
  // A last line without its newline was torn by a crash while being written: not an anchor.
  lines.pop();
  lines.forEach((text, i) => {
    const line = i + 1;
    if (text.trim() === '') return;
    try {
      const parsed = JSON.parse(text) as { at: string; heads: AnchorHead[]; mac: string };
      const heads = parsed.heads.map((h) => ({ chain: Number(h.chain), id: String(h.id), seq: h.seq === null ? null : String(h.seq), hash: String(h.hash) }));
      if (!key.macMatches('anchor', payload(parsed.at, heads), parsed.mac)) {
        invalid.push({ line, reason: '校验码不符（被改动，或由其他审计密钥写入）' });
        return;
      }
      anchors.push({ at: parsed.at, heads, line });
    } catch {
      invalid.push({ line, reason: '格式无法识别' });
    }
  });
  return { anchors, invalid };
}
