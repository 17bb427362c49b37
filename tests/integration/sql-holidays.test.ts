// The holidays repository's queries as SQL, snapshotted beside it (holidays.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holidaysRepository } from '../../server/src/modules/holidays/holidays.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
let accountId: string;
beforeAll(async () => {
  t = await createTestApp();
  accountId = (await t.db.selectFrom('staff_accounts').select('id').where('username', '=', 'sysadmin').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');

describe('holidays repository SQL', () => {
  it('holidays', async () => {
    const text = await captureSql(
      t,
      {
        calendarDays: (db) => holidaysRepository.calendarDays(db),
        listYear: (db) => holidaysRepository.listYear(db, 2026),
        insertMissing: (db) => holidaysRepository.insertMissing(db, [{ day: '2026-10-01', kind: 'holiday', name: '国庆节' }]),
        add: (db) => holidaysRepository.add(db, { day: '2026-12-01', kind: 'holiday', name: '临时放假', updated_at: at, updated_by: accountId }),
        existing: (db) => holidaysRepository.existing(db, '2026-10-01'),
        remove: (db) => holidaysRepository.remove(db, '2026-10-01', at, accountId),
      },
      'tests/integration/sql-holidays.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/holidays/holidays.repository.sql');
  });
});
