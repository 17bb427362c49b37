import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { backupFiles, backupPglite, filesArchiveFor, restoreFiles, restorePglite, setAnchorsAside } from './backup.js';
import { createLocalFileStore, localFilesRoot, newStorageKey } from '../modules/applications/applications.files.js';
import { DataDirLockedError, acquireDataDirLock } from './lock.js';
import { migrateToLatest } from './migrate.js';
import { testDbKind } from '../../../tests/support/test-db.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gonghui-backup-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// PGlite-specific: the folder lock and dumpDataDir. (PostgreSQL backups are pg_dump's.)
describe('PGlite data folder (independent of the test database)', () => {
  it('a second opener of the same folder gets a clear error while the first holds it', async () => {
    const dir = tmp();
    const first = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/正被另一个进程（pid \d+）使用/);
    } finally {
      await first.close();
    }
    // Released on close: it opens again.
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('a stale lock left by a dead process is taken over', async () => {
    const dir = tmp();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'gonghui.lock'), '999999');
    const release = acquireDataDirLock(dir);
    release();
  });

  it('backup then restore gives back the same data', async () => {
    const dir = tmp();
    const db1 = await openDatabase({ dataDir: dir });
    await migrateToLatest(db1.db);
    await db1.db.insertInto('orgs').values({ id: 1, path: '/1/', depth: 0, type: 'city', name: '备份测试市总工会' }).execute();
    await db1.close();

    const file = join(tmp(), 'backup.tar.gz');
    const { bytes } = await backupPglite(dir, file);
    expect(bytes).toBeGreaterThan(1000);

    const target = tmp();
    await restorePglite(file, target);
    const db2 = await openDatabase({ dataDir: target });
    try {
      const row = await db2.db.selectFrom('orgs').selectAll().executeTakeFirstOrThrow();
      expect(row.name).toBe('备份测试市总工会');
      // Migrations are recorded too: nothing to apply.
      expect(await migrateToLatest(db2.db)).toEqual([]);
    } finally {
      await db2.close();
    }
    // Restoring over an existing database needs --force, and keeps the old one aside.
    await expect(restorePglite(file, target)).rejects.toThrow(/--force/);
    const { movedAside } = await restorePglite(file, target, { force: true });
    expect(movedAside).toContain('pgdata.before-restore-');
  });
});

// Attachments live under DATA_DIR/files whatever the database: their archive sits beside the dump.
describe('attachments in the backup (DATA_DIR/files)', () => {
  /** A data folder with a migrated PGlite database and a few attachments written the way the app writes them. */
  async function dataFolderWithAttachments() {
    const dir = tmp();
    const db = await openDatabase({ dataDir: dir });
    await migrateToLatest(db.db);
    await db.close();
    const store = createLocalFileStore(localFilesRoot(dir));
    const files = new Map<string, Buffer>([
      [newStorageKey(new Date('2026-11-21T02:00:00Z')), Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(300_000)])],
      [newStorageKey(new Date('2026-10-02T02:00:00Z')), randomBytes(511)],
      [newStorageKey(new Date('2026-10-02T02:00:00Z')), Buffer.alloc(0)],
      // Longer than ustar's 100-byte name field: goes through the prefix field.
      [`applications/2026/09/${'x'.repeat(90)}/${'y'.repeat(60)}`, randomBytes(1024)],
    ]);
    for (const [key, data] of files) await store.put(key, data);
    writeFileSync(join(localFilesRoot(dir), 'applications', 'half-written.tmp'), 'partial'); // an upload in flight
    return { dir, files };
  }

  it('backup then restore into a new folder gives back every attachment byte for byte', async () => {
    const { dir, files } = await dataFolderWithAttachments();
    const dump = join(tmp(), 'gonghui-20261121-020000.tar.gz');
    const archive = filesArchiveFor(dump);
    expect(archive).toBe(dump.replace(/\.tar\.gz$/, '.files.tar.gz'));
    // Older backups under the same names, readable by everyone: replaced by owner-only files.
    for (const f of [dump, archive]) {
      writeFileSync(f, 'old');
      chmodSync(f, 0o644);
    }
    await backupPglite(dir, dump);
    expect(await backupFiles(dir, archive)).toEqual({ files: 4, bytes: [...files.values()].reduce((n, b) => n + b.length, 0) });
    // A backup holds every record and attachment: readable by its owner only.
    expect(statSync(dump).mode & 0o777).toBe(0o600);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    // A plain tar archive: the system's tar lists it.
    const listed = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    if (!listed.error) expect(listed.stdout.trim().split('\n').sort()).toEqual([...files.keys()].sort());

    const target = tmp();
    await restorePglite(dump, target);
    const restored = await restoreFiles(archive, target);
    expect(restored).toMatchObject({ files: 4, movedAside: null });
    const store = createLocalFileStore(localFilesRoot(target));
    for (const [key, data] of files) expect((await store.get(key))?.equals(data), key).toBe(true);
    expect(existsSync(join(localFilesRoot(target), 'applications', 'half-written.tmp'))).toBe(false);
    expect(readdirSync(target).filter((n) => n.startsWith('files.'))).toEqual([]); // no staging folder left

    // Over existing attachments only with force, and the old ones are kept aside.
    await expect(restoreFiles(archive, target)).rejects.toThrow(/--force/);
    const again = await restoreFiles(archive, target, { force: true });
    expect(again.movedAside).toContain('files.before-restore-');
    expect((await store.get([...files.keys()][0]!))?.equals([...files.values()][0]!)).toBe(true);
  });

  it('restoring sets the audit anchors of the replaced database aside', async () => {
    const dir = tmp();
    expect(setAnchorsAside(dir)).toBeNull();
    writeFileSync(join(dir, 'audit-anchors.log'), '{}\n');
    const aside = setAnchorsAside(dir, { now: new Date('2026-11-21T02:00:00Z') });
    expect(aside).toBe(join(dir, 'audit-anchors.log.before-restore-2026-11-21T02-00-00-000Z'));
    expect(existsSync(join(dir, 'audit-anchors.log'))).toBe(false);
    expect(existsSync(aside!)).toBe(true);
  });

  it('a data folder without attachments gives an empty archive that restores to an empty folder', async () => {
    const dir = tmp();
    const archive = join(tmp(), 'empty.files.tar.gz');
    expect(await backupFiles(dir, archive)).toEqual({ files: 0, bytes: 0 });
    const target = tmp();
    expect(await restoreFiles(archive, target)).toMatchObject({ files: 0 });
    expect(readdirSync(localFilesRoot(target))).toEqual([]);
  });

  it('refuses an archive whose paths would leave the files folder', async () => {
    const { createGzip } = await import('node:zlib');
    const { pipeline } = await import('node:stream/promises');
    const { Readable } = await import('node:stream');
    const { createWriteStream } = await import('node:fs');
    const h = Buffer.alloc(512);
    h.write('../escape', 0, 'utf8');
    h.write('0000600\0', 100, 'latin1');
    h.write('00000000000\0', 124, 'latin1');
    h.write('00000000000\0', 136, 'latin1');
    h.fill(0x20, 148, 156);
    h.write('0', 156, 'latin1');
    h.write('ustar\0', 257, 'latin1');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    const archive = join(tmp(), 'evil.files.tar.gz');
    await pipeline(Readable.from([h, Buffer.alloc(1024)]), createGzip(), createWriteStream(archive));
    const target = tmp();
    await expect(restoreFiles(archive, target)).rejects.toThrow(/不安全的路径/);
    expect(existsSync(join(target, 'escape'))).toBe(false);
  });

  it('npm run backup / restore: both steps, with a message for each', async () => {
    const { dir, files } = await dataFolderWithAttachments();
    const out = join(tmp(), 'cli', 'b.tar.gz');
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dir };
    delete env.DATABASE_URL;
    const run = (script: string, args: string[], dataDir: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', join('server/src/cli', script), ...args], { env: { ...env, DATA_DIR: dataDir }, encoding: 'utf8' });
    const b = run('backup.ts', [out], dir);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/第 1 步：备份数据库（PGlite）/);
    expect(b.stdout).toMatch(/第 2 步：备份附件/);
    expect(b.stdout).toMatch(/附件备份完成：4 个文件/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(filesArchiveFor(out)).mode & 0o777).toBe(0o600);
    const target = tmp();
    mkdirSync(target, { recursive: true });
    const r = run('restore.ts', [out], target);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/第 1 步：恢复数据库/);
    expect(r.stdout).toMatch(/附件已恢复：4 个文件/);
    const store = createLocalFileStore(localFilesRoot(target));
    for (const [key, data] of files) expect((await store.get(key))?.equals(data)).toBe(true);
    // A second restore over it is refused before anything changes.
    const again = run('restore.ts', [out], target);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/恢复失败：.*--force/);
  }, 60_000);
});

describe(`the test database (${testDbKind()})`, () => {
  it('migrations are idempotent on a migrated database', async () => {
    const { openTestDatabase } = await import('../../../tests/support/test-db.js');
    const db = await openTestDatabase();
    try {
      expect(await migrateToLatest(db.db)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
