// Aid funds: budgets per union per year per fund, disbursements that never exceed them (the
// database guards the total), reversals, the ledger and the figures.
import { loadExcel } from '../../platform/excel.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AidFundCode, AidMovementKind } from '../../db/schema-aid.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditActor, type AuditEntry } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { escapeCell } from '../../platform/spreadsheet.js';
import { causeLabel } from '../hardship/hardship.constants.js';
import { aidRepository } from './aid.repository.js';
import { fenOf, fromFen, toFen, yuan } from '../../platform/money.js';

export const AID_FUNDS: { code: AidFundCode; name: string; sort: number }[] = [
  { code: 'living', name: '生活救助', sort: 1 },
  { code: 'medical', name: '医疗救助', sort: 2 },
  { code: 'education', name: '助学救助', sort: 3 },
  { code: 'warmth', name: '送温暖', sort: 4 },
  { code: 'other', name: '其他', sort: 5 },
];
export const AID_FUND_CODES = AID_FUNDS.map((f) => f.code) as [AidFundCode, ...AidFundCode[]];
const FUND_NAMES = Object.fromEntries(AID_FUNDS.map((f) => [f.code, f.name])) as Record<AidFundCode, string>;

export const MOVEMENT_KINDS: Record<AidMovementKind, string> = {
  allocation: '下达预算',
  adjustment: '调整预算',
  disbursement: '发放',
  reversal: '冲正',
};

/** Reference data: the funds exist in every database (called at every start). */
export async function ensureAidFunds(db: Kysely<DB>) {
  await aidRepository.ensureFunds(db, AID_FUNDS);
}

export type AuditFields = Pick<AuditEntry, 'actorType' | 'actorId' | 'actorName' | 'ip' | 'requestId'>;

export interface DisburseInput {
  audit: AuditFields;
  budgetOrgId: string;
  year: number;
  /** An AidFundCode; checked at run time (the engine passes what its service definition says). */
  fundCode: AidFundCode | (string & {});
  /** Yuan, > 0, at most 2 decimals, as a string. */
  amount: string;
  personId: string;
  applicationId?: string | null;
  hardshipFileId?: string | null;
  cause?: string | null;
  category?: string | null;
  note?: string | null;
}

export interface DisburseResult {
  disbursementId: string;
  budgetId: string;
  balanceAfter: string;
}

type BudgetRow = NonNullable<Awaited<ReturnType<typeof aidRepository.budgetInScope>>>;
type DisbursementRow = Awaited<ReturnType<typeof aidRepository.listDisbursements>>['items'][number];
type MovementRow = Awaited<ReturnType<typeof aidRepository.movements>>[number];

const presentBudget = (b: Omit<BudgetRow, 'org_path'> & { org_path?: string }) => ({
  id: b.id,
  org: { id: b.org_id, name: b.org_name },
  year: b.year,
  fundCode: b.fund_code,
  fundName: b.fund_name,
  amount: yuan(b.amount),
  spent: yuan(b.spent),
  balance: yuan(b.balance),
  version: b.version,
  updatedAt: b.updated_at,
});

const presentMovement = (m: MovementRow) => ({
  id: m.id,
  kind: m.kind,
  kindLabel: MOVEMENT_KINDS[m.kind],
  amount: yuan(m.amount),
  balanceAfter: yuan(m.balance_after),
  reason: m.reason,
  disbursementId: m.disbursement_id,
  actorName: m.actor_name,
  at: m.at,
});

export const presentDisbursement = (d: DisbursementRow) => ({
  id: d.id,
  budgetId: d.budget_id,
  org: { id: d.org_id, name: d.org_name },
  year: d.year,
  fundCode: d.fund_code,
  fundName: d.fund_name,
  amount: yuan(d.amount),
  status: d.status,
  statusLabel: d.status === 'paid' ? '已发放' : '已冲正',
  person: { id: d.person_id, name: d.person_name, idMasked: d.person_id_masked },
  applicationId: d.application_id,
  hardshipFileId: d.hardship_file_id,
  cause: d.figure_cause,
  causeLabel: causeLabel(d.figure_cause),
  category: d.category,
  note: d.note,
  paidAt: d.paid_at,
  paidBy: d.paid_by,
  reversedAt: d.reversed_at,
  reversalReason: d.reversal_reason,
});

export function createAidService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  async function orgInScope(actor: StaffActor, orgId: string) {
    const org = await ctx.orgs.findInScope(actor, orgId);
    if (!org) throw notFound('组织');
    return org;
  }

  async function budgetOrThrow(db: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string, lock = false) {
    const b = await aidRepository.budgetInScope(db, actor.orgPath, id, lock);
    if (!b) throw notFound('帮扶资金预算');
    return b;
  }

  /**
   * Money comes from above (decision 045): a union's budget is created or raised by staff of a union
   * above it in their subtree, never by its own staff — except the top union, which has nobody above
   * and sets its own. Its own staff still see it, pay from it and may lower it.
   */
  async function mayAllocate(actor: StaffActor, orgId: string, orgPath: string) {
    if (orgPath !== actor.orgPath) return true; // in scope and not the actor's own: a union below
    return (await orgInScope(actor, orgId)).parent_id === null;
  }
  const notFromAbove = (orgName: string) =>
    new AppError('FORBIDDEN', `帮扶资金预算由上级工会下达：${orgName}不能为本级下达或追加预算，请由上级工会办理`);

  const service = {
    funds() {
      return aidRepository.funds(db).then((items) => ({ items }));
    },

    /** In the caller's transaction: pays `amount` from the union's budget; 409 when it is not there or not enough. */
    async disburseIn(trx: Transaction<DB>, input: DisburseInput): Promise<DisburseResult> {
      if (typeof input.amount !== 'string') throw invalid({ amount: '金额应为字符串形式，如 "1000.00"' });
      let fen: bigint;
      try {
        fen = toFen(input.amount);
      } catch {
        throw invalid({ amount: '金额格式错误：应为最多两位小数的金额' });
      }
      if (fen <= 0n) throw invalid({ amount: '金额必须大于 0' });
      const amount = fromFen(fen);
      if (!Object.hasOwn(FUND_NAMES, input.fundCode)) throw invalid({ fundCode: `帮扶资金类别无效：${input.fundCode}` });
      const fundCode = input.fundCode as AidFundCode;
      const fundName = FUND_NAMES[fundCode];
      const budget = await aidRepository.budgetByKey(trx, input.budgetOrgId, input.year, fundCode);
      if (!budget) throw new AppError('CONFLICT', `帮扶资金预算不存在：该工会未下达 ${input.year} 年度「${fundName}」预算`);
      const at = now();
      const drawn = await aidRepository.draw(trx, budget.id, amount, at);
      if (!drawn) {
        const current = await aidRepository.budgetByKey(trx, input.budgetOrgId, input.year, fundCode);
        const balance = current ? fromFen(fenOf(current.amount) - fenOf(current.spent)) : '0.00';
        throw new AppError('CONFLICT', `帮扶资金余额不足：${input.year} 年度「${fundName}」余额 ${balance} 元，本次需发放 ${amount} 元`);
      }
      let fileId = input.hardshipFileId ?? null;
      const cause = input.cause ?? null;
      if (!fileId) {
        const file = await aidRepository.openFileOfHead(trx, input.personId);
        if (file) fileId = file.id;
      }
      const d = await aidRepository.insertDisbursement(trx, {
        budget_id: budget.id,
        org_id: input.budgetOrgId,
        year: input.year,
        fund_code: fundCode,
        amount,
        person_id: input.personId,
        application_id: input.applicationId ?? null,
        hardship_file_id: fileId,
        cause,
        category: input.category ?? null,
        note: input.note ?? null,
        paid_at: at,
        paid_by: input.audit.actorName ?? null,
      });
      const balanceAfter = yuan(drawn.balance);
      await aidRepository.insertMovement(trx, {
        budget_id: budget.id,
        kind: 'disbursement',
        amount: fromFen(-fen),
        balance_after: balanceAfter,
        reason: input.note ?? (input.applicationId ? `申请 #${input.applicationId}` : input.hardshipFileId ? `困难职工档案 #${input.hardshipFileId}` : null),
        disbursement_id: d.id,
        actor_id: input.audit.actorId ?? null,
        actor_name: input.audit.actorName ?? null,
        at,
      });
      await ctx.audit.append(trx, {
        ...input.audit,
        action: 'aid.disburse',
        targetType: 'aid_disbursement',
        targetId: d.id,
        orgId: input.budgetOrgId,
        outcome: 'success',
        detail: { budgetId: budget.id, amount, fundCode: input.fundCode, year: input.year, applicationId: input.applicationId ?? null, hardshipFileId: fileId },
      });
      return { disbursementId: d.id, budgetId: budget.id, balanceAfter };
    },

    /** In the caller's transaction: a budget the actor may pay from (404 otherwise). */
    async budgetForPayment(trx: Transaction<DB>, actor: StaffActor, budgetId: string) {
      const b = await budgetOrThrow(trx, actor, budgetId);
      return { budgetOrgId: b.org_id, year: b.year, fundCode: b.fund_code, fundName: b.fund_name };
    },

    /** Maps a 困难帮扶 category to its fund (for the workflow engine). */
    fundCodeOf(category: string | null | undefined): AidFundCode | null {
      if (!category) return null;
      const byName = AID_FUNDS.find((f) => f.name === category || f.code === category);
      return byName?.code ?? null;
    },

    async listBudgets(actor: StaffActor, f: { year?: number; fundCode?: AidFundCode; orgId?: string; page: number; pageSize: number }) {
      const orgPath = f.orgId ? (await orgInScope(actor, f.orgId)).path : undefined;
      const { items, totals } = await aidRepository.listBudgets(db, actor.orgPath, {
        year: f.year,
        fundCode: f.fundCode,
        orgPath,
        limit: f.pageSize,
        offset: (f.page - 1) * f.pageSize,
      });
      return {
        items: items.map(presentBudget),
        total: Number(totals.total),
        totals: { amount: yuan(totals.amount), spent: yuan(totals.spent), balance: yuan(totals.balance) },
      };
    },

    async createBudget(actor: StaffActor, meta: RequestMeta, input: { orgId: string; year: number; fundCode: AidFundCode; amount: string; reason: string }) {
      const org = await orgInScope(actor, input.orgId);
      if (org.status !== 'active') throw invalid({ orgId: '该工会已撤销' });
      if (!(await mayAllocate(actor, org.id, org.path))) throw notFromAbove(org.name);
      const id = await db.transaction().execute(async (trx) => {
        const at = now();
        const row = await aidRepository.insertBudget(trx, {
          org_id: org.id,
          year: input.year,
          fund_code: input.fundCode,
          amount: input.amount,
          updated_at: at,
        });
        if (!row) throw new AppError('CONFLICT', `${org.name} 已有 ${input.year} 年度「${FUND_NAMES[input.fundCode]}」预算，请调整该预算`);
        await aidRepository.insertMovement(trx, {
          budget_id: row.id,
          kind: 'allocation',
          amount: input.amount,
          balance_after: input.amount,
          reason: input.reason,
          disbursement_id: null,
          ...movementActor(actor),
          at,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'aid.budget.create',
          targetType: 'aid_budget',
          targetId: row.id,
          orgId: org.id,
          outcome: 'success',
          detail: { year: input.year, fundCode: input.fundCode, amount: input.amount, reason: input.reason },
        });
        return row.id;
      });
      return service.budget(actor, id);
    },

    async budget(actor: StaffActor, id: string) {
      const b = await budgetOrThrow(db, actor, id);
      const movements = await aidRepository.movements(db, id);
      return { ...presentBudget(b), movements: movements.map(presentMovement) };
    },

    async adjust(actor: StaffActor, meta: RequestMeta, id: string, input: { amount: string; reason: string }) {
      // Whether the caller may raise it is known before the lock (the tree does not move with the amount).
      const seen = await budgetOrThrow(db, actor, id);
      const mayRaise = await mayAllocate(actor, seen.org_id, seen.org_path);
      await db.transaction().execute(async (trx) => {
        const b = await budgetOrThrow(trx, actor, id, true);
        if (!mayRaise && fenOf(input.amount) > fenOf(b.amount)) throw notFromAbove(b.org_name);
        const at = now();
        const updated = await aidRepository.setAmount(trx, id, input.amount, at);
        if (!updated) throw new AppError('CONFLICT', `调整后的预算不能低于已支出金额（已支出 ${yuan(b.spent)} 元）`);
        const delta = fenOf(input.amount) - fenOf(b.amount);
        await aidRepository.insertMovement(trx, {
          budget_id: id,
          kind: 'adjustment',
          amount: fromFen(delta),
          balance_after: yuan(updated.balance),
          reason: input.reason,
          disbursement_id: null,
          ...movementActor(actor),
          at,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'aid.budget.adjust',
          targetType: 'aid_budget',
          targetId: id,
          orgId: b.org_id,
          outcome: 'success',
          detail: { from: yuan(b.amount), to: input.amount, reason: input.reason },
        });
      });
      return service.budget(actor, id);
    },

    async ledgerXlsx(actor: StaffActor, meta: RequestMeta, id: string) {
      const b = await budgetOrThrow(db, actor, id);
      const movements = await aidRepository.movements(db, id);
      const wb = new (await loadExcel()).Workbook();
      const ws = wb.addWorksheet('帮扶资金台账');
      ws.addRow([`${b.org_name} ${b.year} 年度「${b.fund_name}」台账`]);
      ws.addRow([`预算 ${yuan(b.amount)} 元，已支出 ${yuan(b.spent)} 元，余额 ${yuan(b.balance)} 元`]);
      ws.addRow(['序号', '时间', '类型', '金额（元）', '变动后余额（元）', '事由', '发放编号', '经办人']);
      movements.forEach((m, i) => {
        ws.addRow([
          i + 1,
          new Date(m.at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '),
          MOVEMENT_KINDS[m.kind],
          yuan(m.amount),
          yuan(m.balance_after),
          escapeCell(m.reason),
          m.disbursement_id ?? '',
          escapeCell(m.actor_name),
        ]);
      });
      ws.columns.forEach((c, i) => (c.width = [6, 20, 10, 14, 16, 30, 10, 24][i]));
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'aid.ledger.export',
          targetType: 'aid_budget',
          targetId: id,
          orgId: b.org_id,
          outcome: 'success',
          detail: { rows: movements.length },
        }),
      );
      const buffer = Buffer.from(await wb.xlsx.writeBuffer());
      return { buffer, fileName: `帮扶资金台账-${b.org_name}-${b.year}-${b.fund_name}.xlsx`, asciiName: `aid-ledger-${b.id}.xlsx` };
    },

    async listDisbursements(
      actor: StaffActor,
      f: {
        orgId?: string;
        year?: number;
        fundCode?: AidFundCode;
        cause?: string;
        category?: string;
        budgetId?: string;
        hardshipFileId?: string;
        status?: 'paid' | 'reversed';
        page: number;
        pageSize: number;
      },
    ) {
      const orgPath = f.orgId ? (await orgInScope(actor, f.orgId)).path : undefined;
      const { items, total } = await aidRepository.listDisbursements(db, actor.orgPath, {
        ...f,
        orgPath,
        limit: f.pageSize,
        offset: (f.page - 1) * f.pageSize,
      });
      return { items: items.map(presentDisbursement), total };
    },

    /** Direct payment by staff (e.g. 送温暖 to a hardship household). */
    async disburse(
      actor: StaffActor,
      meta: RequestMeta,
      input: { budgetId: string; amount: string; membershipId?: string; hardshipFileId?: string; cause?: string; note?: string },
    ): Promise<DisburseResult> {
      return db.transaction().execute(async (trx) => {
        const b = await budgetOrThrow(trx, actor, input.budgetId);
        let personId: string;
        let fileId: string | null = null;
        if (input.hardshipFileId) {
          const file = await aidRepository.fileInScope(trx, actor.orgPath, input.hardshipFileId);
          if (!file) throw notFound('困难职工档案');
          if (file.status !== 'established') throw new AppError('CONFLICT', '该困难职工档案尚未建档或已解困脱困，不能登记帮扶资金');
          personId = file.head_person_id;
          fileId = file.id;
        } else if (input.membershipId) {
          const m = await aidRepository.membershipInScope(trx, actor.orgPath, input.membershipId);
          if (!m) throw notFound('会员');
          personId = m.person_id;
        } else {
          throw invalid({ membershipId: '请选择发放对象（会员或困难职工档案）' });
        }
        return service.disburseIn(trx, {
          audit: auditActor(actor, meta),
          budgetOrgId: b.org_id,
          year: b.year,
          fundCode: b.fund_code,
          amount: input.amount,
          personId,
          hardshipFileId: fileId,
          cause: input.cause ?? null,
          note: input.note ?? null,
        });
      });
    },

    /** 冲正: the payment is reversed, the budget gets the amount back. */
    async reverse(actor: StaffActor, meta: RequestMeta, id: string, reason: string) {
      await db.transaction().execute(async (trx) => {
        const d = await aidRepository.disbursementInScope(trx, actor.orgPath, id);
        if (!d) throw notFound('帮扶资金发放记录');
        const at = now();
        if (!(await aidRepository.markReversed(trx, id, at, reason))) throw new AppError('CONFLICT', '该笔发放已冲正');
        const released = await aidRepository.release(trx, d.budget_id, yuan(d.amount), at);
        if (!released) throw new AppError('CONFLICT', '冲正失败：预算已支出金额不足');
        await aidRepository.insertMovement(trx, {
          budget_id: d.budget_id,
          kind: 'reversal',
          amount: yuan(d.amount),
          balance_after: yuan(released.balance),
          reason,
          disbursement_id: d.id,
          ...movementActor(actor),
          at,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'aid.reverse',
          targetType: 'aid_disbursement',
          targetId: id,
          orgId: d.org_id,
          outcome: 'success',
          detail: { amount: yuan(d.amount), reason },
        });
      });
      const row = await aidRepository.disbursementById(db, id);
      return presentDisbursement(row!);
    },

    /** For the hardship file: aid linked to it or paid to its head. */
    async ofFile(executor: Kysely<DB> | Transaction<DB>, fileId: string, headPersonId: string) {
      const rows = await aidRepository.disbursementsOfFile(executor, fileId, headPersonId);
      const total = rows.filter((r) => r.status === 'paid').reduce((s, r) => s + fenOf(r.amount), 0n);
      return { total: fromFen(total), items: rows.map(presentDisbursement) };
    },

    async figures(actor: StaffActor, orgId: string, year: number) {
      const org = await orgInScope(actor, orgId);
      const [byFund, byCause, budgets] = [
        await aidRepository.paidByFund(db, org.path, year),
        await aidRepository.paidByCause(db, org.path, year),
        await aidRepository.budgetsByFund(db, org.path, year),
      ];
      let budgetTotal = 0n;
      let spentTotal = 0n;
      for (const b of budgets) {
        budgetTotal += fenOf(b.amount);
        spentTotal += fenOf(b.spent);
      }
      return {
        org: { id: org.id, name: org.name },
        year,
        byFund: byFund.map((r) => ({
          fundCode: r.fund_code,
          fundName: r.fund_name,
          count: Number(r.count),
          amount: yuan(r.amount),
          rows: { fundCode: r.fund_code, year, orgId: org.id },
        })),
        byCause: byCause.map((r) => ({
          cause: r.cause,
          causeLabel: causeLabel(r.cause),
          count: Number(r.count),
          amount: yuan(r.amount),
          rows: { cause: r.cause ?? '未分类', year, orgId: org.id },
        })),
        budgets: budgets.map((r) => ({
          fundCode: r.fund_code,
          fundName: r.fund_name,
          amount: yuan(r.amount),
          spent: yuan(r.spent),
          balance: fromFen(fenOf(r.amount) - fenOf(r.spent)),
          rows: { fundCode: r.fund_code, year, orgId: org.id },
        })),
        totals: { budget: fromFen(budgetTotal), spent: fromFen(spentTotal), balance: fromFen(budgetTotal - spentTotal) },
      };
    },
  };
  return service;
}

function movementActor(actor: StaffActor) {
  return { actor_id: actor.accountId, actor_name: `${actor.displayName}（${actor.username}）` };
}

export type AidService = ReturnType<typeof createAidService>;
