import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { backupPglite, restorePglite } from './backup.js';
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
