// 阵地: the register, standards / 验收 / 星级, visits and service records, the nearest-sites query.
// Figures, export and import live in stations.figures.ts and stations.io.ts.
import QRCode from 'qrcode';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { StandardItem, StationType } from '../../db/schema-stations.js';
import type { RequestMeta, StaffActor, WorkerActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { chinaDay, chinaYear } from '../../platform/china-time.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { DEFAULT_STANDARDS, FACILITIES, SERVICES, STATION_TYPES, STATUSES, distanceMetres, facilityName, serviceName, starsFor } from './stations.constants.js';
import { presentBase } from './stations.present.js';
import { stationsRepository as repo } from './stations.repository.js';
import type { StationInput, StationPatch } from './stations.schema.js';
import { createStationRecords, type CardVerifier, type ConsultationLogger } from './stations.records.js';
import type { StationPhotos } from './stations.photos.js';

const SIGNING_DOMAIN = 'station-checkin:';
/** The root of the tree (the city union) sets the standards. */
const isCityUnion = (actor: StaffActor) => /^\/[0-9]+\/$/.test(actor.orgPath);
const INVALID_QR = '二维码无效，请扫描驿站张贴的二维码';
/** Boxes tried by the nearest-sites query, half-height in degrees of latitude (~11, 33, 110 km), then all. */
const NEARBY_BOXES = [0.1, 0.3, 1, null] as const;

type Row = NonNullable<Awaited<ReturnType<typeof repo.inScope>>>;

export type { CardVerifier } from './stations.records.js';

export interface StationsDeps {
  verifyCard?: CardVerifier;
  logConsultation?: ConsultationLogger;
  photos?: StationPhotos;
}

export function createStationsService(ctx: ModuleContext, deps: StationsDeps = {}) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();
  const records = createStationRecords(ctx, deps);

  async function stationOrThrow(actor: StaffActor, id: string): Promise<Row> {
    const s = await repo.inScope(db, actor.orgPath, id);
    if (!s) throw notFound('阵地');
    return s;
  }

  async function orgInScope(actor: StaffActor, orgId: string) {
    const org = await ctx.orgs.findInScope(actor, orgId);
    if (!org) throw notFound('所属工会');
    return org;
  }

  async function standardOf(type: StationType): Promise<{ requiredFacilities: string[]; items: StandardItem[]; custom: boolean }> {
    const row = (await repo.standards(db)).find((r) => r.type === type);
    return row ? { requiredFacilities: row.required_facilities, items: row.items, custom: true } : { ...DEFAULT_STANDARDS[type], custom: false };
  }

  function token(id: string) {
    return Buffer.from(`${id}.${ctx.crypto.sign(SIGNING_DOMAIN + id)}`).toString('base64url');
  }
  function readToken(t: string): string | null {
    if (!/^[A-Za-z0-9_-]{8,200}$/.test(t)) return null;
    const m = /^([1-9][0-9]{0,18})\.([A-Za-z0-9_-]{10,100})$/.exec(Buffer.from(t, 'base64url').toString('utf8'));
    if (!m) return null;
    return ctx.crypto.verifySignature(SIGNING_DOMAIN + m[1], m[2]!) ? m[1]! : null;
  }

  const presentStaff = (s: Row | Awaited<ReturnType<typeof repo.list>>['items'][number]) => ({
    ...presentBase(s, now()),
    org: { id: s.org_id, name: s.org_name },
    contactName: s.contact_name,
    description: s.description,
    acceptedAt: s.accepted_at,
    ratedYear: s.rated_year,
    nextInspectionOn: s.next_inspection_on,
    version: s.version,
    updatedAt: s.updated_at,
  });

  function toColumns(input: Partial<StationInput>) {
    return {
      ...(input.orgId !== undefined && { org_id: input.orgId }),
      ...(input.type !== undefined && { type: input.type }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.address !== undefined && { address: input.address }),
      ...(input.longitude !== undefined && { longitude: input.longitude.toFixed(6) }),
      ...(input.latitude !== undefined && { latitude: input.latitude.toFixed(6) }),
      ...(input.hours !== undefined && { hours: JSON.stringify(input.hours) }),
      ...(input.facilities !== undefined && { facilities: [...new Set(input.facilities)] }),
      ...(input.contactName !== undefined && { contact_name: input.contactName || null }),
      ...(input.contactPhone !== undefined && { contact_phone: input.contactPhone || null }),
      ...(input.description !== undefined && { description: input.description || null }),
    };
  }

  const duplicateName = (err: unknown) => (err as { code?: string }).code === '23505';

  return {
    ...records,

    dictionary() {
      return {
        types: STATION_TYPES,
        facilities: FACILITIES,
        services: SERVICES,
        statuses: Object.entries(STATUSES).map(([code, name]) => ({ code, name })),
      };
    },

    async list(
      actor: StaffActor,
      q: {
        type?: StationType;
        status?: keyof typeof STATUSES;
        stars?: number;
        orgId?: string;
        q?: string;
        facility?: string;
        ratedYear?: number;
        page: number;
        pageSize: number;
      },
      /** The export reads the replica (decision 038); the list page the primary (a station just added is listed). */
      from: 'primary' | 'reader' = 'primary',
    ) {
      const orgPath = q.orgId ? (await orgInScope(actor, q.orgId)).path : undefined;
      const r = await repo.list(from === 'reader' ? ctx.database.reader : db, actor.orgPath, { ...q, orgPath, limit: q.pageSize, offset: offsetOf(q) });
      return { items: r.items.map(presentStaff), total: r.total };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: StationInput) {
      const org = await orgInScope(actor, input.orgId);
      try {
        return await db.transaction().execute(async (trx) => {
          const at = now();
          const row = await repo.insert(trx, {
            ...(toColumns(input) as ReturnType<typeof toColumns> & {
              org_id: string;
              type: StationType;
              name: string;
              address: string;
              longitude: string;
              latitude: string;
              hours: string;
            }),
            created_by: actor.accountId,
            updated_at: at,
          });
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'station.create',
            targetType: 'station',
            targetId: row.id,
            orgId: org.id,
            outcome: 'success',
            detail: { name: input.name, type: input.type },
          });
          return { id: row.id, version: row.version };
        });
      } catch (err) {
        if (duplicateName(err)) throw invalid({ name: '本工会已有同名阵地' }, '本工会已有同名阵地');
        throw err;
      }
    },

    async get(actor: StaffActor, id: string) {
      const s = await stationOrThrow(actor, id);
      const at = now();
      const sinceMonth = `${chinaYear(at) - 1}${chinaDay(at).slice(4, 7)}-01`;
      const sinceDay = chinaDay(new Date(at.getTime() - 29 * 86_400_000));
      const [inspections, counts, standard, photos] = await Promise.all([
        repo.inspections(db, id),
        repo.visitCounts(db, id, sinceMonth, sinceDay),
        standardOf(s.type),
        deps.photos ? deps.photos.list(actor, id).then((r) => r.items) : [],
      ]);
      // Who visited stays with the site's own union: others see counts only.
      const ownUnion = actor.orgId === s.org_id;
      const recent = ownUnion ? await repo.recentVisits(db, id, 20) : [];
      return {
        ...presentStaff(s),
        standard,
        missingFacilities: standard.requiredFacilities.filter((f) => !s.facilities.includes(f)).map((code) => ({ code, name: facilityName(code) })),
        inspections: inspections.map((i) => ({
          id: i.id,
          kind: i.kind,
          kindName: i.kind === 'acceptance' ? '验收' : '星级评定',
          year: i.year,
          passed: i.passed,
          scores: i.scores,
          total: i.total === null ? null : Number(i.total),
          stars: i.stars,
          missing: i.missing.map((code) => ({ code, name: facilityName(code) })),
          inspector: i.inspector,
          note: i.note,
          at: i.created_at,
          photos: photos.filter((p) => p.inspectionId === i.id),
        })),
        photos: photos.filter((p) => !p.inspectionId),
        visits: {
          total: counts.total,
          perMonth: counts.perMonth.map((r) => ({ month: r.month, count: Number(r.n) })),
          perDay: counts.perDay.map((r) => ({ day: r.day, count: Number(r.n) })),
          perHour: Array.from({ length: 24 }, (_, h) => ({ hour: h, count: Number(counts.perHour.find((r) => r.hour === h)?.n ?? 0) })),
          bySource: counts.bySource.map((r) => ({
            source: r.source,
            name: { qr: '扫码签到', card: '刷会员卡', staff: '工作人员登记' }[r.source],
            count: Number(r.n),
          })),
          byService: counts.byService.map((r) => ({ service: r.service, name: serviceName(r.service), count: Number(r.n) })),
          recent: recent.map((v) => ({
            id: v.id,
            source: v.source,
            service: serviceName(v.service),
            note: v.note,
            at: v.at,
            worker: v.phone_masked,
            consultationId: v.consultation_id,
          })),
          recentShown: ownUnion,
        },
      };
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, patch: StationPatch) {
      const s = await stationOrThrow(actor, id);
      if (patch.orgId !== undefined) await orgInScope(actor, patch.orgId);
      if (patch.status === 'operating' && !s.accepted_at) throw invalid({ status: '阵地须先通过验收才能运营' }, '阵地须先通过验收才能运营');
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await repo.update(trx, id, patch.version, { ...toColumns(patch), ...(patch.status && { status: patch.status }), updated_at: now() });
          if (!row) throw conflict();
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'station.update',
            targetType: 'station',
            targetId: id,
            orgId: s.org_id,
            outcome: 'success',
            detail: { fields: Object.keys(patch).filter((k) => k !== 'version') },
          });
          return row;
        });
      } catch (err) {
        if (duplicateName(err)) throw invalid({ name: '本工会已有同名阵地' }, '本工会已有同名阵地');
        throw err;
      }
    },

    async map(actor: StaffActor) {
      const rows = await repo.mapPoints(db, actor.orgPath);
      return {
        items: rows.map((r) => ({ id: r.id, name: r.name, type: r.type, status: r.status, stars: r.stars, lng: Number(r.longitude), lat: Number(r.latitude) })),
      };
    },

    /** The standard of every type; `editable`: the caller may change them (the city union, with 阵地验收与评定). */
    async standards(actor: StaffActor) {
      const rows = await repo.standards(db);
      return {
        editable: isCityUnion(actor) && actor.permissions.has('station:inspect'),
        facilities: FACILITIES,
        items: STATION_TYPES.map((t) => {
          const row = rows.find((r) => r.type === t.code);
          const std = row ? { requiredFacilities: row.required_facilities, items: row.items } : DEFAULT_STANDARDS[t.code];
          return { type: t.code, typeName: t.name, ...std, custom: !!row, updatedAt: row?.updated_at ?? null };
        }),
      };
    },

    /** The city union (the root of the tree) edits the standards. */
    async setStandard(actor: StaffActor, meta: RequestMeta, type: StationType, body: { requiredFacilities: string[]; items: StandardItem[] }) {
      if (!isCityUnion(actor)) throw new AppError('FORBIDDEN', '阵地建设标准由市总工会制定');
      const codes = new Set(body.items.map((i) => i.code));
      if (codes.size !== body.items.length) throw invalid({ items: '评分项目编码重复' });
      const dup = body.items.findIndex((it, i) => body.items.findIndex((o) => o.name === it.name) !== i);
      if (dup >= 0) throw invalid({ [`items.${dup}.name`]: `评分项目“${body.items[dup]!.name}”重复` });
      await db.transaction().execute(async (trx) => {
        await repo.upsertStandard(trx, type, [...new Set(body.requiredFacilities)], body.items, actor.accountId, now());
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'station.standard',
          targetType: 'station_standard',
          targetId: null,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { type, requiredFacilities: [...new Set(body.requiredFacilities)], items: body.items.map((i) => `${i.name} ${i.maxScore}`) },
        });
      });
      return { ok: true as const };
    },

    /** 验收: against the type's standard; passes when every required facility is there. */
    async accept(actor: StaffActor, meta: RequestMeta, id: string, body: { inspector: string; note?: string | null }) {
      const s = await stationOrThrow(actor, id);
      if (s.accepted_at) throw new AppError('CONFLICT', '该阵地已通过验收');
      if (s.status === 'closed') throw new AppError('CONFLICT', '已撤销的阵地不能验收');
      const std = await standardOf(s.type);
      const missing = std.requiredFacilities.filter((f) => !s.facilities.includes(f));
      const passed = missing.length === 0;
      const at = now();
      return db.transaction().execute(async (trx) => {
        const ins = await repo.insertInspection(trx, {
          station_id: id,
          kind: 'acceptance',
          year: chinaYear(at),
          passed,
          missing,
          inspector: body.inspector,
          note: body.note ?? null,
          created_by: actor.accountId,
          created_at: at,
        });
        if (passed) {
          const row = await repo.update(trx, id, s.version, {
            accepted_at: at,
            status: s.status === 'planning' ? 'operating' : s.status,
            next_inspection_on: `${chinaYear(at) + 1}-03-31`,
            updated_at: at,
          });
          if (!row) throw conflict();
        }
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'station.accept',
          targetType: 'station',
          targetId: id,
          orgId: s.org_id,
          outcome: 'success',
          detail: { passed, missing },
        });
        return { id: ins!.id, passed, missing: missing.map((code) => ({ code, name: facilityName(code) })) };
      });
    },

    /** 星级评定: once a year, every item of the standard scored; stars from the percentage. */
    async rate(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      body: { year: number; inspector: string; scores: { code: string; score: number }[]; note?: string | null },
    ) {
      const s = await stationOrThrow(actor, id);
      if (!s.accepted_at) throw new AppError('CONFLICT', '阵地须先通过验收才能评定星级');
      const std = await standardOf(s.type);
      const fields: Record<string, string> = {};
      const scores = std.items.map((item, i) => {
        const given = body.scores.find((x) => x.code === item.code);
        if (!given) fields[`scores.${i}`] = `请为“${item.name}”打分`;
        else if (given.score > item.maxScore) fields[`scores.${i}`] = `“${item.name}”最高 ${item.maxScore} 分`;
        return { code: item.code, name: item.name, score: given?.score ?? 0, maxScore: item.maxScore };
      });
      const unknown = body.scores.filter((x) => !std.items.some((i) => i.code === x.code));
      if (unknown.length) fields.scores = `评分项目不在标准中：${unknown.map((u) => u.code).join('、')}`;
      if (Object.keys(fields).length) throw invalid(fields);
      const total = scores.reduce((a, x) => a + x.score, 0);
      const max = scores.reduce((a, x) => a + x.maxScore, 0);
      const stars = starsFor(total, max);
      const at = now();
      return db.transaction().execute(async (trx) => {
        const ins = await repo.insertInspection(trx, {
          station_id: id,
          kind: 'rating',
          year: body.year,
          passed: true,
          scores: JSON.stringify(scores),
          total,
          stars,
          inspector: body.inspector,
          note: body.note ?? null,
          created_by: actor.accountId,
          created_at: at,
        });
        if (!ins) throw new AppError('CONFLICT', `该阵地 ${body.year} 年度已评定星级`);
        if (!s.rated_year || body.year >= s.rated_year) {
          const row = await repo.update(trx, id, s.version, { stars, rated_year: body.year, next_inspection_on: `${body.year + 1}-03-31`, updated_at: at });
          if (!row) throw conflict();
        }
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'station.rate',
          targetType: 'station',
          targetId: id,
          orgId: s.org_id,
          outcome: 'success',
          detail: { year: body.year, total, stars },
        });
        return { id: ins.id, total, max, stars };
      });
    },

    /** The site's check-in QR (for its poster): a signed, permanent token in an H5 link. */
    async qr(actor: StaffActor, id: string, origin: string) {
      const s = await stationOrThrow(actor, id);
      const t = token(s.id);
      const checkinPath = `/h5/#/stations/checkin?t=${t}`;
      const checkinUrl = `${origin}${checkinPath}`;
      return { token: t, checkinPath, checkinUrl, qrPng: await QRCode.toDataURL(checkinUrl, { margin: 1, width: 360 }), name: s.name };
    },

    /** Due inspections: one message per site and due date to its union's staff (station:manage), daily. */
    async sendInspectionReminders() {
      const day = chinaDay(now());
      const due = await repo.dueUnreminded(db, day);
      for (const s of due) {
        await db.transaction().execute(async (trx) => {
          await ctx.messages.sendToStaff(
            trx,
            { orgId: s.org_id, permission: 'station:manage' },
            {
              title: `阵地检查到期：${s.name}`,
              body: `“${s.name}”的年度星级评定（检查）已于 ${s.next_inspection_on} 到期，请联系上级工会安排检查评定。`,
              link: `/admin/#/stations/${s.id}`,
              category: 'system',
            },
          );
          await repo.markReminded(trx, s.id, s.next_inspection_on!);
        });
      }
      return due.length;
    },

    // ---- worker ----
    async nearby(q: { lat: number; lng: number; type?: StationType; facility?: string; limit: number }) {
      let rows: Awaited<ReturnType<typeof repo.nearbyInBox>> = [];
      // a type or facility filter thins the sites out: start with a wider box
      for (const box of q.type || q.facility ? NEARBY_BOXES.slice(1) : NEARBY_BOXES) {
        rows = await repo.nearbyInBox(db, q, box);
        // Complete when the box holds `limit` sites no farther than its own half-height (nothing outside can be nearer).
        if (box === null) break;
        const last = rows[rows.length - 1];
        if (rows.length === q.limit && last && Math.sqrt(last.d2) <= box) break;
      }
      const at = now();
      return {
        items: rows.map((r) => ({ ...presentBase(r, at), distance: distanceMetres(q.lat, q.lng, Number(r.latitude), Number(r.longitude)) })),
      };
    },

    async publicGet(id: string) {
      const s = await repo.publicById(db, id);
      if (!s) throw notFound('驿站');
      const photos = deps.photos ? await deps.photos.publicList(s.id) : [];
      return { ...presentBase(s, now()), description: s.description, contactName: s.contact_name, photos };
    },

    async towns() {
      const rows = await repo.towns(db);
      return {
        items: rows.map((t) => ({
          id: t.id,
          name: t.name.replace(/总工会$/, ''),
          county: t.county_name.replace(/总工会$/, ''),
          lng: Number(t.longitude),
          lat: Number(t.latitude),
        })),
      };
    },

    /** A worker's QR check-in: once per site per day (a second scan answers the first check-in). */
    async checkin(worker: WorkerActor, meta: RequestMeta, t: string) {
      const id = readToken(t);
      if (!id) throw invalid({ t: INVALID_QR }, INVALID_QR);
      const s = await repo.publicById(db, id);
      if (!s) throw notFound('驿站');
      if (s.status !== 'operating') throw new AppError('CONFLICT', '该驿站暂停服务，暂不能签到');
      const at = now();
      const day = chinaDay(at);
      const hour = Number(new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 13));
      const fresh = await db.transaction().execute(async (trx) => {
        const row = await repo.insertVisit(trx, { station_id: id, source: 'qr', worker_id: worker.workerId, day, hour, at });
        if (row) {
          await ctx.audit.append(trx, {
            ...auditActor(worker, meta),
            action: 'station.checkin',
            targetType: 'station',
            targetId: id,
            orgId: s.org_id,
            outcome: 'success',
          });
        }
        return !!row;
      });
      return { stationId: s.id, name: s.name, typeName: presentBase(s, at).typeName, checkedInAt: at.toISOString(), already: !fresh };
    },
  };
}

export type StationsService = ReturnType<typeof createStationsService>;
