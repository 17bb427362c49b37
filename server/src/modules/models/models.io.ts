// 劳模工匠 register as .xlsx: a template, and an import (one row per honour; rows of the same ID
// number add honours to one person) that commits the good rows, lists every bad one (row and reason)
// and adds nothing when the same file is imported again (a person by ID number, an honour by kind + year).
import type { App, RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { loadExcel } from '../../platform/excel.js';
import { sendXlsx } from '../../platform/download.js';
import { canonicalMobile, normalisePersonName } from '../../platform/validators.js';
import { fileUploadScope } from '../../platform/upload.js';
import { maskPhone } from '../../platform/crypto.js';
import { auditActor } from '../audit/audit.service.js';
import { readSheet } from '../activities/activities.contest.js';
import type { ModuleContext } from '../module-context.js';
import type { HonourKind, ModelStatus } from '../../db/schema-models.js';
import { HONOUR_KINDS, MODEL_STATUSES, honourKindFromText } from './models.constants.js';
import { modelsRepository as repo } from './models.repository.js';
import type { ModelsService } from './models.service.js';

export const MODEL_HEADERS = ['联系工会', '姓名', '身份证号', '手机号', '工作单位', '荣誉类别', '授予年份', '授予单位', '证书编号', '状态'];
const REQUIRED = ['联系工会', '姓名', '身份证号', '荣誉类别', '授予年份'];
const MAX_ROWS = 5000;
const staff = (req: { actor: unknown }) => req.actor as StaffActor;

export function modelsIoRoutes(app: App, ctx: ModuleContext, svc: ModelsService) {
  const db = ctx.database.db;
  const tags = ['models'];

  app.get('/api/models/template.xlsx', { config: { access: 'models:manage' }, schema: { tags, summary: '劳模工匠名册导入模板（.xlsx）' } }, async (_req, reply) => {
    const ExcelJS = await loadExcel();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('劳模工匠');
    ws.addRow(MODEL_HEADERS);
    ws.addRow(['东台市总工会', '张示例', '320981198001010011', '13800000000', '东台市某机械有限公司', '市劳模', '2020', '盐城市人民政府', 'YC2020-001', '在岗']);
    const help = wb.addWorksheet('填写说明');
    help.addRow(['荣誉类别可填', Object.values(HONOUR_KINDS).map((k) => `${k.name}（${k.short}）`).join('、')]);
    help.addRow(['状态可填', Object.values(MODEL_STATUSES).join('、') + '，不填为在岗']);
    help.addRow(['一人多项荣誉', '每项荣誉一行，身份证号相同即为同一人']);
    ws.columns.forEach((c) => (c.width = 18));
    return sendXlsx(reply, { fileName: '劳模工匠导入模板.xlsx', asciiName: 'models-template.xlsx', buffer: Buffer.from(await wb.xlsx.writeBuffer()) });
  });

  fileUploadScope(app, (scope) => {
    scope.post(
      '/api/models/import',
      { config: { access: 'models:manage' }, schema: { tags, summary: '导入劳模工匠（请求体为 .xlsx；每项荣誉一行；正确行入库，错误行逐行列出；重复导入不新增）' } },
      async (req) => importFile(staff(req), req.meta, req.body as Buffer),
    );
  });

  async function importFile(actor: StaffActor, meta: RequestMeta, content: Buffer) {
    const sheet = await readSheet(content, MAX_ROWS);
    const missing = REQUIRED.filter((h) => !sheet.headers.includes(h));
    if (missing.length) throw invalid({ file: `缺少列：${missing.join('、')}` }, `缺少列：${missing.join('、')}`);
    const orgs = await repo.orgsInScopeByName(db, actor.orgPath, [...new Set(sheet.rows.map((r) => (r.cells['联系工会'] ?? '').trim()))].filter(Boolean));
    const orgByName = new Map(orgs.map((o) => [o.name, o]));
    const errors: { row: number; message: string }[] = [];
    const thisYear = ctx.clock.now().getUTCFullYear();
    return db.transaction().execute(async (trx) => {
      let people = 0;
      let honours = 0;
      const touched = new Set<string>();
      for (const r of sheet.rows) {
        const c = (h: string) => (r.cells[h] ?? '').trim();
        const problems: string[] = [];
        const org = orgByName.get(c('联系工会'));
        if (!org) problems.push(c('联系工会') ? `联系工会“${c('联系工会')}”不存在或不在本级及下级` : '请填写联系工会');
        const name = normalisePersonName(c('姓名'));
        if (!name) problems.push('姓名应为 2–30 个字');
        const who = await svc.identity(trx, c('身份证号'), actor.orgPath);
        if (!c('身份证号')) problems.push('请填写身份证号');
        else if (!who.ok) problems.push(who.reason);
        const phone = c('手机号') ? canonicalMobile(c('手机号')) : null;
        if (c('手机号') && !phone) problems.push('手机号应为 11 位大陆手机号');
        const kind = honourKindFromText(c('荣誉类别'));
        if (!kind) problems.push(`荣誉类别无法识别：${c('荣誉类别') || '（空）'}`);
        const year = Number(c('授予年份'));
        if (!/^\d{4}$/.test(c('授予年份')) || year < 1950 || year > thisYear) problems.push(`授予年份应为 1950–${thisYear} 的年份`);
        const status = (Object.entries(MODEL_STATUSES).find(([, n]) => n === c('状态'))?.[0] ?? (c('状态') ? null : 'active')) as ModelStatus | null;
        if (!status) problems.push('状态应为 在岗、退休 或 去世');
        const body = c('授予单位') || (kind ? HONOUR_KINDS[kind].body : '');
        if (c('授予单位').length > 60) problems.push('授予单位不能超过 60 个字');
        if (c('证书编号').length > 40) problems.push('证书编号不能超过 40 个字');
        if (c('工作单位').length > 100) problems.push('工作单位不能超过 100 个字');
        const id = who.ok ? who.id : null;
        let personId: string | null = null;
        if (!problems.length && id) {
          // an entry kept outside the caller's subtree is no answer: the row makes the caller's own entry
          const existing = await repo.personByIdBidxInScope(trx, id.bidx, actor.orgPath);
          if (existing) personId = existing.id;
        }
        if (problems.length) {
          errors.push({ row: r.rowNo, message: problems.join('；') });
          continue;
        }
        if (!personId) {
          const row = await repo.insertPersonIfAbsent(trx, {
            org_id: org!.id,
            person_id: id!.personId,
            name: name!,
            sex: id!.sex,
            id_enc: id!.enc,
            id_bidx: id!.bidx,
            id_masked: id!.masked,
            phone_enc: phone ? ctx.crypto.encrypt(phone) : null,
            phone_masked: phone ? maskPhone(phone) : null,
            employer: c('工作单位') || null,
            status: status!,
            created_by: actor.accountId,
            updated_at: ctx.clock.now(),
          });
          personId = row!.id;
          people++;
        }
        const added = await repo.insertHonours(trx, [
          { model_person_id: personId, kind: kind as HonourKind, year, awarding_body: body, certificate_no: c('证书编号') || null },
        ]);
        honours += added.length;
        if (added.length && id!.personId) touched.add(id!.personId);
      }
      for (const p of touched) await svc.syncRoll(trx, p);
      await ctx.audit.append(trx, {
        ...auditActor(actor, meta),
        action: 'models.import',
        targetType: 'model_person',
        targetId: null,
        orgId: actor.orgId,
        outcome: 'success',
        detail: { rows: sheet.rows.length, people, honours, errors: errors.length },
      });
      return { rows: sheet.rows.length, people, honours, unchanged: sheet.rows.length - errors.length - honours, errors };
    });
  }
}
