// 阵地 register as .xlsx: export of the list in scope, a template, and an import that commits the good
// rows, lists every bad one (row and reason) and adds nothing when the same file is imported again.
import type { App, RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { loadExcel } from '../../platform/excel.js';
import { sendXlsx } from '../../platform/download.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import { fileUploadScope } from '../../platform/upload.js';
import { auditActor } from '../audit/audit.service.js';
import { readSheet } from '../activities/activities.contest.js';
import type { ModuleContext } from '../module-context.js';
import type { StationHours, StationType } from '../../db/schema-stations.js';
import { FACILITIES, STATION_TYPES } from './stations.constants.js';
import { hoursText } from './stations.present.js';
import { stationsRepository as repo } from './stations.repository.js';
import { listQuery } from './stations.schema.js';
import type { StationsService } from './stations.service.js';

const HEADERS = ['所属工会', '阵地名称', '类型', '地址', '经度', '纬度', '开放时间', '设施', '联系人', '联系电话'];
const MAX_ROWS = 5000;
const staff = (req: { actor: unknown }) => req.actor as StaffActor;

/** "24小时" or "08:00-20:00" (every day). */
export function parseHours(text: string): StationHours | null {
  const t = text.replace(/\s/g, '');
  if (/^(24小时|全天|24h)$/i.test(t)) return { allDay: true, days: Array(7).fill(null) };
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])[-–~至]([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(t);
  if (!m || `${m[1]}:${m[2]}` === `${m[3]}:${m[4]}`) return null;
  const span = { open: `${m[1]}:${m[2]}`, close: `${m[3]}:${m[4]}` };
  return { allDay: false, days: Array.from({ length: 7 }, () => ({ ...span })) };
}

export function stationsIoRoutes(app: App, ctx: ModuleContext, svc: StationsService) {
  const db = ctx.database.db;
  const tags = ['stations'];

  async function workbook(rows: string[][], name: string) {
    const ExcelJS = await loadExcel();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(name);
    ws.addRow(HEADERS);
    for (const r of rows) ws.addRow(r.map((c) => escapeCell(c)));
    ws.columns.forEach((c) => (c.width = 18));
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  app.get(
    '/api/stations/export.xlsx',
    { config: { access: 'station:read' }, schema: { tags, summary: '导出阵地台账（.xlsx）', querystring: listQuery.omit({ page: true, pageSize: true }) } },
    async (req, reply) => {
      const actor = staff(req);
      const { items } = await svc.list(actor, { ...req.query, page: 1, pageSize: 20_000 }, 'reader');
      const rows = items.map((s) => [
        s.org.name,
        s.name,
        s.typeName,
        s.address,
        s.longitude.toFixed(6),
        s.latitude.toFixed(6),
        s.hours.allDay ? '24小时' : hoursText(s.hours).join('；'),
        s.facilities.map((f) => f.name).join('、'),
        s.contactName ?? '',
        s.contactPhone ?? '',
      ]);
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, req.meta),
          action: 'station.export',
          targetType: 'station',
          targetId: null,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { rows: rows.length },
        }),
      );
      return sendXlsx(reply, { fileName: '阵地台账.xlsx', asciiName: 'stations.xlsx', rows: rows.length, buffer: await workbook(rows, '阵地台账') });
    },
  );

  app.get('/api/stations/template.xlsx', { config: { access: 'station:manage' }, schema: { tags, summary: '阵地导入模板（.xlsx）' } }, async (_req, reply) =>
    sendXlsx(reply, {
      fileName: '阵地导入模板.xlsx',
      asciiName: 'stations-template.xlsx',
      buffer: await workbook(
        [
          [
            '东台市总工会',
            '东台市司机之家（示例）',
            '司机之家',
            '东台市城东新区',
            '120.320000',
            '32.860000',
            '24小时',
            '饮水、热饭、充电、卫生间、休息座椅、货车停车',
            '张三',
            '0515-85000000',
          ],
        ],
        '阵地',
      ),
    }),
  );

  fileUploadScope(app, (scope) => {
    scope.post(
      '/api/stations/import',
      { config: { access: 'station:manage' }, schema: { tags, summary: '导入阵地（请求体为 .xlsx；正确行入库，错误行逐行列出；重复导入不新增）' } },
      async (req) => importFile(staff(req), req.meta, req.body as Buffer),
    );
  });

  async function importFile(actor: StaffActor, meta: RequestMeta, content: Buffer) {
    const sheet = await readSheet(content, MAX_ROWS);
    const missing = HEADERS.slice(0, 7).filter((h) => !sheet.headers.includes(h));
    if (missing.length) throw invalid({ file: `缺少列：${missing.join('、')}` }, `缺少列：${missing.join('、')}`);
    const orgs = await repo.orgsInScopeByName(db, actor.orgPath, [...new Set(sheet.rows.map((r) => r.cells['所属工会'] ?? ''))].filter(Boolean));
    const orgByName = new Map(orgs.map((o) => [o.name, o]));
    const errors: { row: number; message: string }[] = [];
    const good: { rowNo: number; row: Parameters<typeof repo.insertMany>[1][number] }[] = [];
    const seen = new Set<string>();
    for (const r of sheet.rows) {
      const c = (h: string) => (r.cells[h] ?? '').trim();
      const problems: string[] = [];
      const org = orgByName.get(c('所属工会'));
      if (!org) problems.push(c('所属工会') ? `所属工会“${c('所属工会')}”不存在或不在本级及下级` : '请填写所属工会');
      const name = c('阵地名称');
      if (name.length < 2 || name.length > 60) problems.push('阵地名称应为 2–60 个字');
      const type = STATION_TYPES.find((t) => t.name === c('类型') || (t.name.startsWith(c('类型')) && c('类型').length >= 2))?.code as StationType | undefined;
      if (!type) problems.push(`类型应为：${STATION_TYPES.map((t) => t.name).join('、')}`);
      const address = c('地址');
      if (address.length < 2 || address.length > 120) problems.push('地址应为 2–120 个字');
      const lng = Number(c('经度'));
      const lat = Number(c('纬度'));
      if (!c('经度') || !Number.isFinite(lng) || lng < 73 || lng > 136) problems.push('经度应为 73–136 之间的数');
      if (!c('纬度') || !Number.isFinite(lat) || lat < 3 || lat > 54) problems.push('纬度应为 3–54 之间的数');
      const hours = parseHours(c('开放时间'));
      if (!hours) problems.push('开放时间应为“24小时”或“08:00-20:00”');
      const facilityNames = c('设施')
        ? c('设施')
            .split(/[、,，;；\s]+/)
            .filter(Boolean)
        : [];
      const facilities = facilityNames.map((n) => FACILITIES.find((f) => f.name === n)?.code);
      const unknownFacilities = facilityNames.filter((_, i) => !facilities[i]);
      if (unknownFacilities.length) problems.push(`未知设施：${unknownFacilities.join('、')}`);
      const phone = c('联系电话');
      if (phone && !/^[0-9-]{7,20}$/.test(phone)) problems.push('联系电话应为数字（可含 -）');
      if (org && name && seen.has(`${org.id}|${name}`)) problems.push('与文件中前面的行重复');
      if (problems.length) {
        errors.push({ row: r.rowNo, message: problems.join('；') });
        continue;
      }
      seen.add(`${org!.id}|${name}`);
      good.push({
        rowNo: r.rowNo,
        row: {
          org_id: org!.id,
          type: type!,
          name,
          address,
          longitude: lng.toFixed(6),
          latitude: lat.toFixed(6),
          hours: JSON.stringify(hours),
          facilities: facilities as string[],
          contact_name: c('联系人') || null,
          contact_phone: phone || null,
          created_by: actor.accountId,
          updated_at: ctx.clock.now(),
        },
      });
    }
    const inserted = await db.transaction().execute(async (trx) => {
      const rows = await repo.insertMany(
        trx,
        good.map((g) => g.row),
      );
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: 'station.import',
        targetType: 'station',
        targetId: null,
        orgId: actor.orgId,
        outcome: 'success',
        detail: { rows: sheet.rows.length, added: rows.length, errors: errors.length },
      });
      return rows.length;
    });
    return { rows: sheet.rows.length, added: inserted, unchanged: good.length - inserted, errors };
  }
}
