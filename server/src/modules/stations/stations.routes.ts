import type { App, StaffActor, WorkerActor } from '../../platform/context.js';
import type { Config } from '../../config.js';
import { idParam } from '../../platform/pagination.js';
import { publicBase } from '../../platform/public-url.js';
import { mapTileUrl } from './stations.tiles.js';
import type { StationsService } from './stations.service.js';
import {
  acceptanceBody,
  cardCheckinBody,
  checkinBody,
  createStationBody,
  figuresQuery,
  listQuery,
  nearbyQuery,
  ratingBody,
  serviceRecordBody,
  standardBody,
  typeParam,
  updateStationBody,
} from './stations.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const worker = (req: { actor: unknown }) => req.actor as WorkerActor;
const tags = ['stations'];
const READ = { access: 'station:read' } as const;
const MANAGE = { access: 'station:manage' } as const;
const INSPECT = { access: 'station:inspect' } as const;
const WORKER = { access: 'worker' } as const;

export function stationsRoutes(app: App, svc: StationsService, figures: (actor: StaffActor, orgId: string, year?: number) => Promise<unknown>, config: Config) {
  // The map's tile server: only when configured (MAP_TILE_URL, e.g. 天地图 with a key); else the offline base map alone.
  app.get(
    '/api/stations/map-config',
    { config: { access: 'public' }, schema: { tags, summary: '地图配置（瓦片服务地址，未配置时仅用离线底图）' } },
    async () => ({
      tileUrl: mapTileUrl(),
    }),
  );
  app.get('/api/stations/dictionary', { config: { access: 'staff' }, schema: { tags, summary: '阵地类型、设施、服务项目、状态' } }, async () =>
    svc.dictionary(),
  );
  app.get('/api/stations', { config: READ, schema: { tags, summary: '阵地台账（本级及下级）', querystring: listQuery } }, async (req) =>
    svc.list(staff(req), req.query),
  );
  app.post('/api/stations', { config: MANAGE, schema: { tags, summary: '登记阵地', body: createStationBody } }, async (req) =>
    svc.create(staff(req), req.meta, req.body),
  );
  app.get('/api/stations/map', { config: READ, schema: { tags, summary: '地图：范围内全部阵地（类型、星级、坐标）' } }, async (req) => svc.map(staff(req)));
  app.get('/api/stations/standards', { config: READ, schema: { tags, summary: '各类型阵地建设标准（必备设施、评分项目）' } }, async (req) =>
    svc.standards(staff(req)),
  );
  app.put(
    '/api/stations/standards/:type',
    { config: INSPECT, schema: { tags, summary: '修改某类型阵地的建设标准（市总工会）', params: typeParam, body: standardBody } },
    async (req) => svc.setStandard(staff(req), req.meta, req.params.type, req.body),
  );
  app.get('/api/stations/:id', { config: READ, schema: { tags, summary: '阵地详情、验收与评星记录、服务人次', params: idParam } }, async (req) =>
    svc.get(staff(req), req.params.id),
  );
  app.patch('/api/stations/:id', { config: MANAGE, schema: { tags, summary: '修改阵地信息或状态', params: idParam, body: updateStationBody } }, async (req) =>
    svc.update(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/stations/:id/acceptance',
    { config: INSPECT, schema: { tags, summary: '验收（对照该类型标准）', params: idParam, body: acceptanceBody } },
    async (req) => svc.accept(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/stations/:id/ratings',
    { config: INSPECT, schema: { tags, summary: '年度星级评定（逐项打分）', params: idParam, body: ratingBody } },
    async (req) => svc.rate(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/stations/:id/services',
    { config: MANAGE, schema: { tags, summary: '登记服务（饮水、维权咨询……）', params: idParam, body: serviceRecordBody } },
    async (req) => svc.logService(staff(req), req.meta, req.params.id, req.body),
  );
  app.post(
    '/api/stations/:id/card-checkin',
    { config: MANAGE, schema: { tags, summary: '扫职工电子会员卡登记到站（只计人次，不留个人信息）', params: idParam, body: cardCheckinBody } },
    async (req) => svc.cardCheckin(staff(req), req.meta, req.params.id, req.body.token),
  );
  app.get(
    '/api/stations/consultations/:id',
    { config: READ, schema: { tags, summary: '维权咨询来自哪个驿站（驿站登记的维权咨询）', params: idParam } },
    async (req) => svc.ofConsultation(staff(req), req.params.id),
  );
  app.get('/api/stations/:id/qr', { config: READ, schema: { tags, summary: '阵地签到二维码（海报用）', params: idParam } }, async (req) =>
    svc.qr(staff(req), req.params.id, publicBase(config, req)),
  );
  app.get(
    '/api/orgs/:id/station-figures',
    {
      config: READ,
      schema: { tags, summary: '阵地统计：类型与状态、星级、服务人次、每万会员阵地数、无阵地的镇街', params: idParam, querystring: figuresQuery },
    },
    async (req) => figures(staff(req), req.params.id, req.query.year),
  );

  // worker H5: 附近驿站
  app.get('/api/worker/stations/nearby', { config: WORKER, schema: { tags, summary: '附近驿站（按距离）', querystring: nearbyQuery } }, async (req) =>
    svc.nearby(req.query),
  );
  app.get('/api/worker/stations/towns', { config: WORKER, schema: { tags, summary: '镇街列表（未授权定位时选择所在镇街）' } }, async () => svc.towns());
  app.get('/api/worker/stations/:id', { config: WORKER, schema: { tags, summary: '驿站详情', params: idParam } }, async (req) => svc.publicGet(req.params.id));
  app.post('/api/worker/stations/checkin', { config: WORKER, schema: { tags, summary: '扫驿站二维码签到', body: checkinBody } }, async (req) =>
    svc.checkin(worker(req), req.meta, req.body.t),
  );
}
