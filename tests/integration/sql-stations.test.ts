// The 阵地 repository's queries as SQL, snapshotted beside it (stations.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stationsRepository as repo } from '../../server/src/modules/stations/stations.repository.js';
import { stationPhotosRepository as photos } from '../../server/src/modules/stations/stations.photos.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');
const hours = JSON.stringify({ allDay: true, days: [null, null, null, null, null, null, null] });
const row = {
  org_id: '1',
  type: 'driver' as const,
  name: '快照站',
  address: '地址',
  longitude: '120.1',
  latitude: '33.1',
  hours,
  facilities: ['water'],
  updated_at: at,
};

describe('stations repository SQL', () => {
  it('stations', async () => {
    const text = await captureSql(
      t,
      {
        insert: (db) => repo.insert(db, row),
        update: (db) => repo.update(db, '1', 1, { name: '改名', updated_at: at }),
        inScope: (db) => repo.inScope(db, '/1/', '1'),
        list: (db) =>
          repo.list(db, '/1/', {
            orgPath: '/1/2/',
            type: 'driver',
            status: 'operating',
            stars: 4,
            q: '驿站',
            facility: 'water',
            ratedYear: 2026,
            limit: 20,
            offset: 0,
          }),
        listUnrated: (db) => repo.list(db, '/1/', { stars: 0, limit: 20, offset: 0 }),
        mapPoints: (db) => repo.mapPoints(db, '/1/'),
        nearbyInBox: (db) => repo.nearbyInBox(db, { lat: 33.1, lng: 120.1, type: 'driver', facility: 'water', limit: 20 }, 0.05),
        nearbyAll: (db) => repo.nearbyInBox(db, { lat: 33.1, lng: 120.1, limit: 20 }, null),
        publicById: (db) => repo.publicById(db, '1'),
        towns: (db) => repo.towns(db),
        standards: (db) => repo.standards(db),
        upsertStandard: (db) => repo.upsertStandard(db, 'driver', ['water'], [{ code: 'a', name: '项目', maxScore: 10 }], '1', at),
        insertInspection: async (db) => {
          const st = await repo.insert(db, row);
          await repo.insertInspection(db, { station_id: st.id, kind: 'acceptance', year: 2026, passed: true, inspector: '验收人', created_at: at });
        },
        inspections: (db) => repo.inspections(db, '1'),
        insertVisit: async (db) => {
          const st = await repo.insert(db, row);
          await repo.insertVisit(db, { station_id: st.id, source: 'qr', worker_id: null, day: '2026-11-21', hour: 10, at });
        },
        insertVisits: async (db) => {
          const st = await repo.insert(db, row);
          await repo.insertVisits(db, [{ station_id: st.id, source: 'staff', service: 'water', day: '2026-11-21', hour: 10, at }]);
        },
        visitCounts: (db) => repo.visitCounts(db, '1', '2025-11-01', '2026-10-23'),
        recentVisits: (db) => repo.recentVisits(db, '1', 20),
        cardVisitsOn: (db) => repo.cardVisitsOn(db, '1', '2026-11-21'),
        visitOfConsultation: (db) => repo.visitOfConsultation(db, '/1/', '1'),
        workerExists: (db) => repo.workerExists(db, '1'),
        figures: (db) => repo.figures(db, '/1/', '2026-01-01', '2027-01-01'),
        dueUnreminded: (db) => repo.dueUnreminded(db, '2026-11-21'),
        markReminded: (db) => repo.markReminded(db, '1', '2026-03-31'),
        orgsInScopeByName: (db) => repo.orgsInScopeByName(db, '/1/', ['东台市总工会']),
        insertMany: (db) => repo.insertMany(db, [row]),
        orgByName: (db) => repo.orgByName(db, '东台市总工会'),
        existingNames: (db) => repo.existingNames(db, ['1']),
      },
      'tests/integration/sql-stations.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/stations/stations.repository.sql');
  });

  it('station photos', async () => {
    const photo = {
      file_name: '门头.jpg',
      mime: 'image/jpeg' as const,
      size: 100,
      width: 48,
      height: 32,
      sha256: 'x',
      storage_key: 'stations/2026/11/a',
      thumb_key: 'stations/2026/11/a.thumb.png',
      thumb_size: 50,
      uploaded_by: null,
    };
    const text = await captureSql(
      t,
      {
        lockStation: (db) => photos.lockStation(db, '1'),
        usage: (db) => photos.usage(db, '1', '1', at),
        insert: async (db) => {
          const st = await repo.insert(db, row);
          await photos.insert(db, { ...photo, station_id: st.id, inspection_id: null, caption: '说明' });
        },
        inspectionOf: (db) => photos.inspectionOf(db, '1', '1'),
        ofStation: (db) => photos.ofStation(db, '1'),
        inScope: (db) => photos.inScope(db, '/1/', '1', '1'),
        publicPhotos: (db) => photos.publicPhotos(db, '1'),
        publicPhoto: (db) => photos.publicPhoto(db, '1', '1'),
        deleteSitePhoto: (db) => photos.deleteSitePhoto(db, '1'),
      },
      'tests/integration/sql-stations.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/stations/stations.photos.repository.sql');
  });
});
