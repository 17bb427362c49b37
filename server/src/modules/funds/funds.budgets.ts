// A union's yearly budget by category, spending against it with vouchers (JPG / PNG / PDF in the file
// store under funds/…), and budget vs actual per category. A spending row may name the activity it
// paid for (a 疗休养's cost drawn on the county budget): the activities module is not changed, the
// link lives on the spending row (decision 031).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FundsCategory } from '../../db/schema-funds.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { fromFen, toFen } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import { ATTACHMENT_LIMIT, cleanFileName, sniffFile, type FileStore } from '../applications/applications.files.js';
import type { ModuleContext } from '../module-context.js';
import { fundsRepository as repo } from './funds.repository.js';
import { drawOn } from './funds.balance.js';
import { finalAccountsWorkbook } from './funds.final-accounts.js';
import { fundsLinesRepository as lines } from './funds.lines.repository.js';
import { CATEGORY_LABELS, FUNDS_CATEGORIES, type BudgetInput, type SpendingInput, type SpendingQuery } from './funds.schema.js';

const y = (fen: string | bigint) => fromFen(BigInt(fen));
const voucherKey = (at: Date) => `funds/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${randomBytes(16).toString('hex')}`;

export function createFundsBudgets(ctx: ModuleContext, files: FileStore) {
  const db: Kysely<DB> = ctx.database.db;

  async function unionOrThrow(actor: StaffActor, orgId?: string) {
    const o = await repo.orgInScope(db, actor.orgPath, orgId ?? actor.orgId);
    if (!o) throw notFound('工会');
    return o;
  }

  async function budgetVsActual(actor: StaffActor, q: { orgId?: string; year: number }) {
    const o = await unionOrThrow(actor, q.orgId);
    const [{ budgets, actual }, aid, acts] = await Promise.all([
      repo.budgetVsActual(db, o.id, q.year),
      lines.aidLines(db, o.id, q.year),
      lines.activityLines(db, o.id, q.year),
    ]);
    const b = new Map(budgets.map((x) => [x.category, x]));
    const a = new Map(actual.map((x) => [x.category, x]));
    // The aid budgets' payments are actual spending of the 帮扶 line (decision 034); activity spending rows already are 职工活动 rows.
    const aidPaid = aid.reduce((t, l) => t + BigInt(l.spent_fen), 0n);
    const aidCount = aid.reduce((t, l) => t + Number(l.n), 0);
    const sub = {
      aid: aid.map((l) => ({ kind: 'aid', id: l.id, label: `帮扶资金·${l.name}`, budget: y(l.budget_fen), spent: y(l.spent_fen), committed: null, link: '/aid-funds' })),
      activities: acts.map((l) => ({
        kind: 'activity',
        id: l.id,
        label: l.title,
        budget: y(l.budget_fen),
        spent: y(l.spent_fen),
        committed: y(l.committed_fen),
        link: `/activities/${l.id}`,
      })),
    } as Record<string, { kind: string; id: string; label: string; budget: string; spent: string; committed: string | null; link: string }[]>;
    let tb = 0n;
    let ta = 0n;
    const rows = FUNDS_CATEGORIES.filter((c) => b.has(c) || a.has(c) || c !== 'other').map((c) => {
      const budget = BigInt(b.get(c)?.amount_fen ?? '0');
      const spent = BigInt(a.get(c)?.spent_fen ?? '0') + (c === 'aid' ? aidPaid : 0n);
      const children = sub[c] ?? [];
      const split = children.reduce((t, l) => t + toFen(l.budget), 0n);
      tb += budget;
      ta += spent;
      return {
        category: c,
        label: CATEGORY_LABELS[c],
        budget: y(budget),
        spent: y(spent),
        balance: y(budget - spent),
        rate: budget > 0n ? Number((spent * 1000n) / budget) / 10 : null,
        over: spent > budget,
        count: Number(a.get(c)?.n ?? 0) + (c === 'aid' ? aidCount : 0),
        note: b.get(c)?.note ?? '',
        lines: children,
        linesBudget: y(split),
        linesOver: split > budget,
      };
    });
    return { org: { id: o.id, name: o.name }, year: q.year, rows, totals: { budget: y(tb), spent: y(ta), balance: y(tb - ta) } };
  }

  return {
    budgetVsActual,

    async setBudget(actor: StaffActor, meta: RequestMeta, input: BudgetInput) {
      const o = await unionOrThrow(actor, input.orgId);
      await db.transaction().execute(async (trx) => {
        const r = await repo.upsertBudget(trx, { org_id: o.id, year: input.year, category: input.category, amount_fen: toFen(input.amount), note: input.note }, ctx.clock.now());
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'funds.budget.set',
          targetType: 'funds_budget',
          targetId: r.id,
          orgId: o.id,
          outcome: 'success',
          detail: { year: input.year, category: CATEGORY_LABELS[input.category], amount: input.amount },
        });
      });
      return budgetVsActual(actor, { orgId: o.id, year: input.year });
    },

    async createSpending(actor: StaffActor, meta: RequestMeta, input: SpendingInput) {
      const o = await unionOrThrow(actor, input.orgId);
      if (input.spentOn > chinaDay(ctx.clock.now())) throw invalid({ spentOn: '支出日期不能晚于今天' });
      let activityId: string | null = null;
      if (input.activityId) {
        const a = await repo.activityInScope(db, actor.orgPath, input.activityId);
        if (!a) throw notFound('活动');
        activityId = a.id;
      }
      const row = await db.transaction().execute(async (trx) => {
        await drawOn(trx, o, toFen(input.amount), 'amount', '支出');
        const r = await repo.insertSpending(trx, {
          org_id: o.id,
          category: input.category as FundsCategory,
          amount_fen: toFen(input.amount),
          spent_on: input.spentOn,
          payee: input.payee,
          purpose: input.purpose,
          activity_id: activityId,
          created_by: actor.displayName,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'funds.spending.create',
          targetType: 'funds_spending',
          targetId: r.id,
          orgId: o.id,
          outcome: 'success',
          detail: { category: CATEGORY_LABELS[input.category], amount: input.amount, payee: input.payee, ...(activityId && { activityId }) },
        });
        return r;
      });
      return { id: row.id };
    },

    async spending(actor: StaffActor, q: SpendingQuery) {
      if (q.orgId) await unionOrThrow(actor, q.orgId);
      const r = await repo.spending(db, actor.orgPath, {
        ...(q.orgId && { orgId: q.orgId }),
        ...(q.year && { year: q.year }),
        ...(q.category && { category: q.category }),
        ...(q.activityId && { activityId: q.activityId }),
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return {
        total: r.total,
        totalAmount: y(r.totalFen),
        items: r.items.map((p) => ({
          id: p.id,
          org: { id: p.org_id, name: p.org_name },
          category: p.category,
          categoryLabel: CATEGORY_LABELS[p.category],
          amount: y(p.amount_fen),
          spentOn: p.spent_on,
          payee: p.payee,
          purpose: p.purpose,
          activity: p.activity_id ? { id: p.activity_id, title: p.activity_title } : null,
          createdBy: p.created_by,
          vouchers: p.vouchers.map((v) => ({ id: v.id, fileName: v.file_name })),
        })),
      };
    },

    async uploadVoucher(actor: StaffActor, meta: RequestMeta, id: string, body: Buffer | undefined, name?: string) {
      const p = await repo.spendingInScope(db, actor.orgPath, id);
      if (!p) throw notFound('支出记录');
      if (!body?.length) throw invalid({ file: '请选择凭证文件' });
      if (body.length > ATTACHMENT_LIMIT) throw invalid({ file: '凭证不能超过 10 MB' });
      const kind = sniffFile(body);
      if (!kind) throw invalid({ file: '凭证仅支持 JPG、PNG 图片或 PDF 文件' });
      const key = voucherKey(ctx.clock.now());
      await files.put(key, body);
      const fileName = cleanFileName(name, kind);
      try {
        return await db.transaction().execute(async (trx) => {
          const v = await repo.insertVoucher(trx, { spending_id: id, file_key: key, file_name: fileName, file_mime: kind.mime, bytes: body.length });
          await ctx.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'funds.voucher.upload',
            targetType: 'funds_spending',
            targetId: id,
            orgId: p.org_id,
            outcome: 'success',
            detail: { file: fileName, bytes: body.length },
          });
          return { id: v.id, fileName };
        });
      } catch (err) {
        await files.delete(key);
        throw err;
      }
    },

    async voucher(actor: StaffActor, spendingId: string, id: string) {
      const v = await repo.voucherInScope(db, actor.orgPath, spendingId, id);
      if (!v) throw notFound('凭证');
      const body = await files.get(v.file_key);
      if (!body) throw notFound('凭证');
      return { body, fileName: v.file_name, contentType: v.file_mime };
    },

    /** 决算 (decision 034): 收入, 支出 by category with budget / actual / variance, 收支结余 as a multi-sheet .xlsx. */
    async finalAccountsXlsx(actor: StaffActor, meta: RequestMeta, q: { orgId?: string; year: number }) {
      const r = await budgetVsActual(actor, q);
      const o = await unionOrThrow(actor, r.org.id);
      const [l, carried] = await Promise.all([repo.ledger(db, o.id, o.path, q.year), repo.balance(db, o.id, q.year)]);
      const body = await finalAccountsWorkbook(r, l, carried);
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'funds.final_accounts.export',
          targetType: 'org',
          targetId: r.org.id,
          orgId: r.org.id,
          outcome: 'success',
          detail: { year: q.year },
        }),
      );
      return { body, fileName: `${r.org.name}${q.year}年度经费决算.xlsx` };
    },
  };
}

export type FundsBudgets = ReturnType<typeof createFundsBudgets>;
