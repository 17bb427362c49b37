// 工会经费 (issue 17, decision 031): rates and sharing ratios by region, receivables per unionised
// enterprise and month, receipts split between the levels at the moment they are recorded, 催缴
// (an in-app message to the enterprise's union and a GB/T 9704 letter), each union's ledger and 下拨.
// Money is bigint fen throughout; the API speaks yuan strings.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FundsChannel, FundsLevel } from '../../db/schema-funds.js';
import { chinaDay, chinaYear } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { fromFen, toFen } from '../../platform/money.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { fundsRepository as repo } from './funds.repository.js';
import { CHANNEL_LABELS } from './funds.schema.js';
import type { AllocationInput, RateInput, RatiosInput, ReceiptInput, ReceiptsQuery, ReceivableInput, ReceivablesQuery } from './funds.schema.js';
import { DEFAULT_RATE_BP, DEFAULT_RATIOS, LEVEL_LABELS, bpToPercent, dueOf, percentToBp, shareReceipt, type Ratios } from './funds.split.js';
import { collectionNoticeDocx } from './funds.docx.js';
import { drawOn } from './funds.balance.js';

export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
const y = (fen: string | bigint) => fromFen(BigInt(fen));

export interface ReceiptFact {
  enterpriseId: string;
  unionOrgId: string;
  unionPath: string;
  period: string;
  amount: bigint;
  receivedOn: string;
  channel: FundsChannel;
  sourceRef: string | null;
  jobId?: string | null;
  createdBy: string;
}

export function createFundsService(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());

  async function audit(
    trx: Transaction<DB>,
    actor: StaffActor,
    meta: RequestMeta,
    action: string,
    targetType: string,
    targetId: string,
    orgId: string,
    detail?: Record<string, unknown>,
  ) {
    await ctx.audit.append(trx, { ...auditActor(actor, meta), action, targetType, targetId, orgId, outcome: 'success', ...(detail && { detail }) });
  }

  async function unionOrThrow(exec: Kysely<DB> | Transaction<DB>, actor: StaffActor, orgId?: string) {
    const o = await repo.orgInScope(exec, actor.orgPath, orgId ?? actor.orgId);
    if (!o) throw notFound('工会');
    return o;
  }

  async function rateOn(exec: Kysely<DB> | Transaction<DB>, unionPath: string, day: string) {
    return (await repo.rateFor(exec, unionPath, day))?.rate_bp ?? DEFAULT_RATE_BP;
  }

  async function ratiosOf(exec: Kysely<DB> | Transaction<DB>, unionPath: string, year: number): Promise<Ratios> {
    const r = await repo.ratiosFor(exec, unionPath, year);
    return r ? { grassroots: r.grassroots_bp, town: r.town_bp, county: r.county_bp, city: r.city_bp } : DEFAULT_RATIOS;
  }

  /** The union at each level on the chain of the enterprise's union (the union itself is the grassroots level). */
  async function chainOf(exec: Kysely<DB> | Transaction<DB>, unionPath: string) {
    const rows = await repo.chain(exec, unionPath);
    const chain: Partial<Record<FundsLevel, string>> = {};
    const self = rows.at(-1)!;
    for (const o of rows) {
      if (o.id === self.id) continue;
      if (o.type === 'city' || o.type === 'county' || o.type === 'town') chain[o.type] = o.id;
    }
    if (self.type === 'city' || self.type === 'county' || self.type === 'town') chain[self.type] = self.id;
    else chain.grassroots = self.id;
    return chain;
  }

  /**
   * Records one receipt and its shares in the caller's transaction. A receipt whose (channel,
   * source_ref) is already recorded adds nothing: undefined (the statement import's idempotency).
   */
  async function recordReceipt(trx: Transaction<DB>, r: ReceiptFact) {
    const row = await repo.insertReceipt(trx, {
      enterprise_id: r.enterpriseId,
      union_org_id: r.unionOrgId,
      period: r.period,
      amount_fen: r.amount,
      received_on: r.receivedOn,
      channel: r.channel,
      source_ref: r.sourceRef,
      import_job_id: r.jobId ?? null,
      created_by: r.createdBy,
    });
    if (!row) return undefined;
    const shares = shareReceipt(r.amount, await ratiosOf(trx, r.unionPath, Number(r.receivedOn.slice(0, 4))), await chainOf(trx, r.unionPath));
    await repo.insertShares(trx, row.id, shares);
    return { id: row.id, shares };
  }

  /** A receivable for the month if none exists (a statement's payroll base, or staff's entry): the rate in force on the month's first day. */
  async function ensureReceivable(trx: Transaction<DB>, e: { id: string; union_org_id: string | null; union_path: string }, period: string, payrollFen: bigint) {
    const rate = await rateOn(trx, e.union_path, `${period}-01`);
    return repo.insertReceivable(trx, {
      enterprise_id: e.id,
      union_org_id: e.union_org_id!,
      period,
      payroll_fen: payrollFen,
      rate_bp: rate,
      due_fen: dueOf(payrollFen, rate),
    });
  }

  type Remindable = { union_org_id: string; enterprise_name: string; credit_code: string; period: string; due_fen: string; reduced_fen: string; received_fen: string };
  /** The 催缴 message to the staff of the enterprise's union who keep its funds; how many got it. */
  function sendReminder(trx: Transaction<DB>, v: Remindable) {
    const net = BigInt(v.due_fen) - BigInt(v.reduced_fen);
    const arrears = net - BigInt(v.received_fen);
    return ctx.messages.sendToStaff(
      trx,
      { orgId: v.union_org_id, permission: 'funds:manage' },
      {
        title: `工会经费催缴：${v.enterprise_name} ${v.period}`,
        body: `${v.enterprise_name}（${v.credit_code}）${v.period} 应缴工会经费 ${y(net)} 元，已缴 ${y(v.received_fen)} 元，尚欠 ${y(arrears)} 元，请督促按时足额拨缴。`,
        link: `/admin/#/funds?tab=receivables&q=${encodeURIComponent(v.credit_code)}`,
        category: 'funds',
      },
    );
  }

  const receivableDto = (v: Awaited<ReturnType<typeof repo.receivables>>['items'][number]) => {
    const net = BigInt(v.due_fen) - BigInt(v.reduced_fen);
    const received = BigInt(v.received_fen);
    const arrears = net > received ? net - received : 0n;
    return {
      id: v.id,
      enterprise: { id: v.enterprise_id, name: v.enterprise_name, creditCode: v.credit_code },
      union: { id: v.union_id, name: v.union_name },
      period: v.period,
      payroll: y(v.payroll_fen),
      ratePercent: bpToPercent(v.rate_bp),
      due: y(v.due_fen),
      reduced: y(v.reduced_fen),
      reductionReason: v.reduction_reason,
      received: y(received),
      arrears: y(arrears),
      status: arrears === 0n ? 'paid' : received > 0n ? 'partial' : 'unpaid',
      statusLabel: arrears === 0n ? '已缴清' : received > 0n ? '部分缴纳' : '欠缴',
      version: v.version,
    };
  };

  async function receivableOrThrow(exec: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const v = await repo.receivableInScope(exec, actor.orgPath, id);
    if (!v) throw notFound('应收记录');
    return v;
  }

  async function ledgerOf(o: { id: string; name: string; path: string; type: string }, year: number) {
    const [l, carried] = await Promise.all([repo.ledger(db, o.id, o.path, year), repo.balance(db, o.id, year)]);
    const f = (k: keyof typeof l) => BigInt(l[k]);
    const spent = f('spent') + f('aid_paid');
    return {
      org: { id: o.id, name: o.name, type: o.type },
      collected: y(f('collected')),
      own: y(f('own')),
      upward: y(f('upward')),
      below: y(f('below')),
      carried: y(carried),
      allocatedIn: y(f('alloc_in')),
      allocatedOut: y(f('alloc_out')),
      dues: y(f('dues')),
      spent: y(spent),
      aidPaid: y(f('aid_paid')),
      available: y(carried + f('own') + f('alloc_in') + f('dues') - f('alloc_out') - spent),
      balanced: f('collected') === f('own') + f('upward') + f('below'),
    };
  }

  const service = {
    recordReceipt,
    ensureReceivable,
    drawOn,

    // ---- settings ----
    async settings(actor: StaffActor) {
      const s = await repo.settings(db, actor.orgPath);
      return {
        defaults: { ratePercent: bpToPercent(DEFAULT_RATE_BP), ratios: Object.fromEntries(Object.entries(DEFAULT_RATIOS).map(([k, v]) => [k, bpToPercent(v)])) },
        levels: Object.entries(LEVEL_LABELS).map(([code, label]) => ({ code, label })),
        rates: s.rates.map((r) => ({ id: r.id, org: { id: r.org_id, name: r.org_name }, ratePercent: bpToPercent(r.rate_bp), effectiveFrom: r.effective_from, note: r.note })),
        ratios: s.ratios.map((r) => ({
          id: r.id,
          org: { id: r.org_id, name: r.org_name },
          year: r.year,
          grassroots: bpToPercent(r.grassroots_bp),
          town: bpToPercent(r.town_bp),
          county: bpToPercent(r.county_bp),
          city: bpToPercent(r.city_bp),
        })),
      };
    },

    async setRate(actor: StaffActor, meta: RequestMeta, input: RateInput) {
      const o = await unionOrThrow(db, actor, input.orgId);
      const bp = percentToBp(input.ratePercent);
      const row = await db.transaction().execute(async (trx) => {
        const r = await repo.insertRate(trx, { org_id: o.id, rate_bp: bp, effective_from: input.effectiveFrom, note: input.note, created_by: actor.displayName });
        await audit(trx, actor, meta, 'funds.rate.set', 'funds_rate', r.id, o.id, { ratePercent: input.ratePercent, effectiveFrom: input.effectiveFrom });
        return r;
      });
      return { id: row.id };
    },

    async setRatios(actor: StaffActor, meta: RequestMeta, input: RatiosInput) {
      const o = await unionOrThrow(db, actor, input.orgId);
      const bp = { grassroots_bp: percentToBp(input.grassroots), town_bp: percentToBp(input.town), county_bp: percentToBp(input.county), city_bp: percentToBp(input.city) };
      const row = await db.transaction().execute(async (trx) => {
        const r = await repo.upsertRatios(trx, { org_id: o.id, year: input.year, ...bp, created_by: actor.displayName });
        await audit(trx, actor, meta, 'funds.ratios.set', 'funds_share_ratio', r.id, o.id, { year: input.year, ...bp });
        return r;
      });
      return { id: row.id };
    },

    // ---- receivables ----
    async createReceivable(actor: StaffActor, meta: RequestMeta, input: ReceivableInput) {
      const e = await repo.enterpriseInScope(db, actor.orgPath, input.enterpriseId);
      if (!e) throw notFound('已建会企业');
      const id = await db.transaction().execute(async (trx) => {
        const row = await ensureReceivable(trx, e, input.period, toFen(input.payroll));
        if (!row) throw conflict(`${e.name} ${input.period} 的应收经费已登记`);
        await audit(trx, actor, meta, 'funds.receivable.create', 'funds_receivable', row.id, e.union_org_id!, { enterprise: e.name, period: input.period, payroll: input.payroll });
        return row.id;
      });
      return service.receivable(actor, id);
    },

    async receivable(actor: StaffActor, id: string) {
      const v = await receivableOrThrow(db, actor, id);
      return receivableDto({ ...v, union_id: v.union_org_id });
    },

    async reduce(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; amount: string; reason: string; approvedBy: string }) {
      await db.transaction().execute(async (trx) => {
        const v = await receivableOrThrow(trx, actor, id);
        const fen = toFen(input.amount);
        if (fen > BigInt(v.due_fen)) throw invalid({ amount: `减免金额不能超过应缴金额 ${y(v.due_fen)} 元` });
        if (!(await repo.reduce(trx, id, input.version, fen, input.reason, input.approvedBy))) throw conflict();
        await audit(trx, actor, meta, 'funds.receivable.reduce', 'funds_receivable', id, v.union_org_id, { amount: input.amount, reason: input.reason, approvedBy: input.approvedBy });
      });
      return service.receivable(actor, id);
    },

    async receivables(actor: StaffActor, q: ReceivablesQuery) {
      const org = q.orgId ? await unionOrThrow(db, actor, q.orgId) : null;
      const r = await repo.receivables(db, actor.orgPath, {
        ...(org && { orgPath: org.path }),
        ...(q.period && { period: q.period }),
        ...(q.year && { year: q.year }),
        arrears: q.arrears === '1',
        ...(q.q && { q: q.q }),
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return {
        items: r.items.map(receivableDto),
        total: r.total,
        totals: { due: y(r.totals.due_fen), received: y(r.totals.received_fen), arrears: y(r.totals.arrears_fen) },
      };
    },

    /** 催缴: an in-app message to the staff of the enterprise's union who keep its funds. */
    async remind(actor: StaffActor, meta: RequestMeta, id: string) {
      return db.transaction().execute(async (trx) => {
        const v = await receivableOrThrow(trx, actor, id);
        const arrears = BigInt(v.due_fen) - BigInt(v.reduced_fen) - BigInt(v.received_fen);
        if (arrears <= 0n) throw conflict('该月经费已缴清，无需催缴');
        const sent = await sendReminder(trx, v);
        await repo.markReminded(trx, id, today());
        await audit(trx, actor, meta, 'funds.receivable.remind', 'funds_receivable', id, v.union_org_id, { arrears: y(arrears), recipients: sent });
        return { sent, arrears: y(arrears) };
      });
    },

    /** The 催缴通知书 (.docx, GB/T 9704) in the name of the caller's union. */
    async noticeDocx(actor: StaffActor, meta: RequestMeta, id: string) {
      const v = await receivableOrThrow(db, actor, id);
      const issuer = await unionOrThrow(db, actor);
      const net = BigInt(v.due_fen) - BigInt(v.reduced_fen);
      const arrears = net - BigInt(v.received_fen);
      const body = await collectionNoticeDocx({
        issuer: issuer.name,
        no: `经催〔${v.period.slice(0, 4)}〕${v.id}号`,
        enterprise: v.enterprise_name,
        creditCode: v.credit_code,
        period: v.period,
        payroll: y(v.payroll_fen),
        ratePercent: bpToPercent(v.rate_bp),
        due: y(net),
        received: y(v.received_fen),
        arrears: y(arrears > 0n ? arrears : 0n),
        issuedOn: today(),
      });
      await db.transaction().execute((trx) => audit(trx, actor, meta, 'funds.receivable.notice', 'funds_receivable', id, v.union_org_id, { enterprise: v.enterprise_name, period: v.period }));
      return { body, fileName: `工会经费催缴通知书-${v.enterprise_name}-${v.period}.docx`, asciiName: `funds-notice-${v.id}.docx` };
    },

    /**
     * The 催缴 schedule (a daily job): every receivable of a past month still in arrears, not reminded in the
     * last 30 days, gets its message (at most once a month per receivable); audited as the system.
     */
    async sendDueReminders() {
      const day = today();
      const thisPeriod = day.slice(0, 7);
      const since = new Date(Date.parse(`${day}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
      let sent = 0;
      for (;;) {
        const batch = await repo.dueForReminder(db, thisPeriod, since, 200);
        if (!batch.length) break;
        for (const v of batch)
          await db.transaction().execute(async (trx) => {
            if (!(await repo.markReminded(trx, v.id, day))) return;
            await sendReminder(trx, v);
            await ctx.audit.append(trx, {
              actorType: 'system',
              actorId: null,
              actorName: '系统',
              action: 'funds.receivable.remind_scheduled',
              targetType: 'funds_receivable',
              targetId: v.id,
              orgId: v.union_org_id,
              outcome: 'success',
              detail: { period: v.period },
            });
            sent++;
          });
      }
      return sent;
    },

    // ---- receipts ----
    async createReceipt(actor: StaffActor, meta: RequestMeta, input: ReceiptInput) {
      const e = await repo.enterpriseInScope(db, actor.orgPath, input.enterpriseId);
      if (!e) throw notFound('已建会企业');
      if (input.receivedOn > today()) throw invalid({ receivedOn: '到账日期不能晚于今天' });
      return db.transaction().execute(async (trx) => {
        const r = await recordReceipt(trx, {
          enterpriseId: e.id,
          unionOrgId: e.union_org_id!,
          unionPath: e.union_path,
          period: input.period,
          amount: toFen(input.amount),
          receivedOn: input.receivedOn,
          channel: input.channel,
          sourceRef: input.sourceRef ?? null,
          createdBy: actor.displayName,
        });
        if (!r) throw conflict(`${CHANNEL_LABELS[input.channel]}流水号 ${input.sourceRef} 已登记过`);
        await audit(trx, actor, meta, 'funds.receipt.create', 'funds_receipt', r.id, e.union_org_id!, {
          enterprise: e.name,
          period: input.period,
          amount: input.amount,
          channel: input.channel,
        });
        return { id: r.id, shares: r.shares.map((s) => ({ level: s.level, levelLabel: LEVEL_LABELS[s.level], orgId: s.orgId, amount: y(s.amount) })) };
      });
    },

    async receipts(actor: StaffActor, q: ReceiptsQuery) {
      const org = q.orgId ? await unionOrThrow(db, actor, q.orgId) : null;
      const r = await repo.receipts(db, actor.orgPath, {
        ...(org && { orgPath: org.path }),
        ...(q.year && { year: q.year }),
        ...(q.channel && { channel: q.channel }),
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return {
        total: r.total,
        totalAmount: y(r.totalFen),
        items: r.items.map((x) => ({
          id: x.id,
          enterprise: { name: x.enterprise_name, creditCode: x.credit_code },
          union: { id: x.union_id, name: x.union_name },
          period: x.period,
          amount: y(x.amount_fen),
          receivedOn: x.received_on,
          channel: x.channel,
          channelLabel: CHANNEL_LABELS[x.channel],
          sourceRef: x.source_ref,
          shares: x.shares.map((s) => ({ level: s.level, levelLabel: LEVEL_LABELS[s.level as FundsLevel], orgName: s.org_name, amount: y(s.amount_fen) })),
        })),
      };
    },

    // ---- ledger and 下拨 ----
    /** The union's ledger for the year and its direct children's, each balanced (collected = own + upward + below). */
    async ledger(actor: StaffActor, q: { orgId?: string; year: number }) {
      const o = await unionOrThrow(db, actor, q.orgId);
      const children = await repo.children(db, o.id);
      return { year: q.year, union: await ledgerOf(o, q.year), children: await Promise.all(children.map((c) => ledgerOf(c, q.year))) };
    },

    async allocate(actor: StaffActor, meta: RequestMeta, input: AllocationInput) {
      const from = await unionOrThrow(db, actor, input.fromOrgId);
      const to = await repo.orgInScope(db, from.path, input.toOrgId);
      if (!to) throw notFound('拨入工会');
      if (to.id === from.id) throw invalid({ toOrgId: '不能向本级工会下拨' });
      if (input.allocatedOn > today()) throw invalid({ allocatedOn: '下拨日期不能晚于今天' });
      const row = await db.transaction().execute(async (trx) => {
        await drawOn(trx, from, toFen(input.amount), 'amount', '下拨');
        const r = await repo.insertAllocation(trx, {
          from_org_id: from.id,
          to_org_id: to.id,
          amount_fen: toFen(input.amount),
          allocated_on: input.allocatedOn,
          purpose: input.purpose,
          created_by: actor.displayName,
        });
        await audit(trx, actor, meta, 'funds.allocation.create', 'funds_allocation', r.id, from.id, { to: to.name, amount: input.amount, purpose: input.purpose });
        await ctx.messages.sendToStaff(
          trx,
          { orgId: to.id, permission: 'funds:read' },
          { title: `上级下拨经费 ${input.amount} 元`, body: `${from.name}于 ${input.allocatedOn} 向本会下拨经费 ${input.amount} 元，用途：${input.purpose}。`, link: '/admin/#/funds?tab=ledger', category: 'funds' },
        );
        return r;
      });
      return { id: row.id, from: { id: from.id, name: from.name }, to: { id: to.id, name: to.name }, amount: input.amount };
    },

    async allocations(actor: StaffActor, q: { orgId?: string; year?: number; page: number; pageSize: number }) {
      if (q.orgId) await unionOrThrow(db, actor, q.orgId);
      const r = await repo.allocations(db, actor.orgPath, { ...(q.orgId && { orgId: q.orgId }), ...(q.year && { year: q.year }), limit: q.pageSize, offset: offsetOf(q) });
      return {
        total: r.total,
        items: r.items.map((a) => ({
          id: a.id,
          from: { id: a.from_id, name: a.from_name },
          to: { id: a.to_id, name: a.to_name },
          amount: y(a.amount_fen),
          allocatedOn: a.allocated_on,
          purpose: a.purpose,
          createdBy: a.created_by,
        })),
      };
    },

    /** For the indicator catalogue and the figures: the caller's year. */
    thisYear: () => chinaYear(ctx.clock.now()),
  };
  return service;
}

export type FundsService = ReturnType<typeof createFundsService>;
