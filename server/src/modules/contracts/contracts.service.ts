// Collective contracts (issue 13, items 3 and 4): drafted from a 范本, negotiated in rounds,
// adopted by a 职代会 vote, signed, filed with 人社 (within 10 days), 受理, and in force 15 days
// after 受理 without objection — computed with the clock, not by a job. Expiry reminders 90 and 30
// days ahead run as a background job.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ContractClause, ContractsTable } from '../../db/schema-enterprises.js';
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import type { EnterprisesService } from '../enterprises/enterprises.service.js';
import { addDays, addYears } from '../enterprises/enterprises.constants.js';
import {
  CONTRACT_KINDS,
  CONTRACT_STATUSES,
  DEEMED_EFFECTIVE_DAYS,
  EXPIRY_REMINDERS,
  FILING_DAYS,
  MULTI_ENTERPRISE_KINDS,
  WOMEN_CLAUSES,
  type ContractStatus,
} from './contracts.constants.js';
import { contractsRepository as repo } from './contracts.repository.js';
import type { CreateContractInput, UpdateContractInput } from './contracts.schema.js';

type Row = Selectable<ContractsTable> & { org_name: string; status: string; effective_from: string | null };

/** Which clauses of the 范本 were kept, changed or removed, and which were added. */
export type ClauseState = 'kept' | 'changed' | 'removed' | 'added';
export function clauseDiff(template: ContractClause[], clauses: ContractClause[]) {
  const byKey = new Map(clauses.map((c) => [c.key, c]));
  const out: { key: string; title: string; state: ClauseState; templateText: string; text: string | null }[] = template.map((t) => {
    const c = byKey.get(t.key);
    if (!c) return { key: t.key, title: t.title, state: 'removed' as const, templateText: t.text, text: null };
    return {
      key: t.key,
      title: c.title,
      state: c.text === t.text && c.title === t.title ? ('kept' as const) : ('changed' as const),
      templateText: t.text,
      text: c.text,
    };
  });
  const known = new Set(template.map((t) => t.key));
  for (const c of clauses) if (!known.has(c.key)) out.push({ key: c.key, title: c.title, state: 'added' as const, templateText: '', text: c.text });
  return out;
}

export function createContractsService(ctx: ModuleContext & { enterprises: EnterprisesService }) {
  const db: Kysely<DB> = ctx.database.db;
  const today = () => chinaDay(ctx.clock.now());

  const audit = (
    trx: Transaction<DB>,
    actor: StaffActor,
    meta: RequestMeta,
    action: string,
    c: { id: string; title: string; org_id: string },
    detail?: object,
  ) =>
    ctx.audit.append(trx, {
      ...auditActor(actor, meta),
      action,
      targetType: 'contract',
      targetId: c.id,
      orgId: c.org_id,
      outcome: 'success',
      detail: { title: c.title, ...detail },
    });

  function summary(c: Row) {
    const status = c.status as ContractStatus;
    return {
      id: c.id,
      orgId: c.org_id,
      orgName: c.org_name,
      kind: c.kind,
      kindLabel: CONTRACT_KINDS[c.kind],
      title: c.title,
      status,
      statusLabel: CONTRACT_STATUSES[status],
      stage: c.stage,
      unionParty: c.union_party,
      employerParty: c.employer_party,
      termYears: c.term_years,
      workersCovered: c.workers_covered,
      womenCovered: c.women_covered,
      signedOn: c.signed_on,
      startsOn: c.starts_on,
      endsOn: c.ends_on,
      submittedOn: c.submitted_on,
      acceptedOn: c.accepted_on,
      effectiveFrom: c.effective_from,
      version: c.version,
    };
  }

  async function get(actor: StaffActor, id: string) {
    const c = await repo.findInScope(db, actor.orgPath, id, today());
    if (!c) throw notFound('集体合同');
    const [template, enterprises, rounds] = await Promise.all([
      c.template_id ? repo.template(db, c.template_id) : undefined,
      repo.enterprisesOf(db, id),
      repo.roundsOf(db, id),
    ]);
    return {
      ...summary(c),
      unionNegotiator: c.union_negotiator,
      employerNegotiator: c.employer_negotiator,
      keyTerms: c.key_terms,
      womenClauseLabels: WOMEN_CLAUSES,
      vote: c.vote,
      adopted: c.adopted,
      submittedLate: c.submitted_late,
      reviewOpinion: c.review_opinion,
      reviewedOn: c.reviewed_on,
      filingDueOn: c.signed_on ? addDays(c.signed_on, FILING_DAYS) : null,
      deemedEffectiveOn: c.accepted_on ? addDays(c.accepted_on, DEEMED_EFFECTIVE_DAYS) : null,
      template: template ? { id: template.id, title: template.title, version: template.version } : null,
      clauses: c.clauses,
      clauseDiff: template
        ? clauseDiff(template.clauses, c.clauses)
        : c.clauses.map((x) => ({ key: x.key, title: x.title, state: 'added' as const, templateText: '', text: x.text })),
      enterprises: enterprises.map((e) => ({ id: e.id, name: e.name, creditCode: e.credit_code, employees: e.employees, women: e.women })),
      rounds: rounds.map((r) => ({ id: r.id, heldOn: r.held_on, topics: r.topics, minutes: r.minutes })),
      previousId: c.previous_id,
      renewedBy: c.renewed_by,
    };
  }

  /** Locks the contract, checks the version and that its stage is one of `stages`. */
  async function locked(trx: Transaction<DB>, actor: StaffActor, id: string, version: number, stages: string[], what: string) {
    const c = await repo.findInScope(trx, actor.orgPath, id, today(), true);
    if (!c) throw notFound('集体合同');
    if (c.version !== version) throw conflict();
    if (!stages.includes(c.stage)) throw new AppError('CONFLICT', `合同当前为「${CONTRACT_STATUSES[c.status as ContractStatus]}」，不能${what}`);
    return c;
  }

  async function step(
    actor: StaffActor,
    meta: RequestMeta,
    id: string,
    version: number,
    stages: string[],
    what: string,
    action: string,
    fn: (c: Row, trx: Transaction<DB>) => Promise<Partial<Selectable<ContractsTable>> & object>,
  ) {
    await db.transaction().execute(async (trx) => {
      const c = await locked(trx, actor, id, version, stages, what);
      const patch = await fn(c, trx);
      const u = await repo.update(trx, id, c.version, patch as never);
      if (!u) throw conflict();
      await audit(trx, actor, meta, action, c, patch);
    });
    return get(actor, id);
  }

  const notFuture = (day: string, field: string, label: string) => {
    if (day > today()) throw invalid({ [field]: `${label}不能晚于今天` });
  };

  return {
    get,

    async templates() {
      const rows = await repo.templates(db);
      return {
        items: rows.map((t) => ({
          id: t.id,
          code: t.code,
          version: t.version,
          kind: t.kind,
          kindLabel: CONTRACT_KINDS[t.kind as keyof typeof CONTRACT_KINDS] ?? t.kind,
          title: t.title,
          publishedOn: t.published_on,
          clauses: t.clauses,
        })),
      };
    },

    /** A new version of a 范本 (the earlier versions stay: contracts drafted from them keep their diff). */
    async addTemplate(
      actor: StaffActor,
      meta: RequestMeta,
      input: { code: string; kind: string; title: string; publishedOn: string; clauses: ContractClause[] },
    ) {
      const keys = new Set(input.clauses.map((c) => c.key));
      if (keys.size !== input.clauses.length) throw invalid({ clauses: '条款编号不能重复' });
      return db.transaction().execute(async (trx) => {
        const v = (await repo.latestTemplateVersion(trx, input.code)) + 1;
        const t = await repo.insertTemplate(trx, {
          code: input.code,
          version: v,
          kind: input.kind,
          title: input.title,
          clauses: JSON.stringify(input.clauses),
          published_on: input.publishedOn,
        });
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'contract.template',
          targetType: 'contract_template',
          targetId: t.id,
          orgId: actor.orgId,
          outcome: 'success',
          detail: { code: t.code, version: v, title: t.title },
        });
        return { id: t.id, code: t.code, version: t.version };
      });
    },

    async list(
      actor: StaffActor,
      q: { q?: string; kind?: string; status?: string; orgId?: string; enterpriseId?: string; expiring?: boolean; page: number; pageSize: number },
    ) {
      let scope = actor.orgPath;
      if (q.orgId) {
        const o = await ctx.orgs.findInScope(actor, q.orgId);
        if (!o) throw notFound('组织');
        scope = o.path;
      }
      const { items, total } = await repo.list(db, scope, { ...q, today: today(), limit: q.pageSize, offset: offsetOf(q) });
      return { items: items.map((c) => summary(c as Row)), total };
    },

    async create(actor: StaffActor, meta: RequestMeta, input: CreateContractInput) {
      const multi = MULTI_ENTERPRISE_KINDS.includes(input.kind);
      if (!multi && input.enterpriseIds.length !== 1) throw invalid({ enterpriseIds: '企业集体合同只能选择一家企业；区域性、行业性合同可选多家' });
      const template = input.templateId ? await repo.template(db, input.templateId) : undefined;
      if (input.templateId && !template) throw notFound('范本');
      // Scope checks first (the orgs service reads outside this module's transaction).
      const ents: NonNullable<Awaited<ReturnType<typeof ctx.enterprises.findInScope>>>[] = [];
      for (const eid of [...new Set(input.enterpriseIds)]) {
        const e = await ctx.enterprises.findInScope(db, actor, eid);
        if (!e) throw notFound('企业');
        ents.push(e);
      }
      let orgId: string;
      if (input.orgId) {
        const o = await ctx.orgs.findInScope(actor, input.orgId);
        if (!o) throw notFound('工会');
        orgId = o.id;
      } else if (!multi && ents[0]!.union_org_id) {
        // The enterprise's own union is the party when it is inside the caller's scope.
        const u = await ctx.orgs.findInScope(actor, ents[0]!.union_org_id);
        orgId = u ? u.id : ents[0]!.org_id;
      } else orgId = ents[0]!.org_id;
      if (!multi && !ents[0]!.union_org_id) throw invalid({ enterpriseIds: '企业尚未建会，应先建会或由区域性、行业性合同覆盖' });
      const id = await db.transaction().execute(async (trx) => {
        const workers = ents.reduce((s, e) => s + e.employees, 0);
        const women = ents.reduce((s, e) => s + e.women, 0);
        const c = await repo.insert(trx, {
          org_id: orgId,
          kind: input.kind,
          title: input.title,
          template_id: template?.id ?? null,
          clauses: JSON.stringify(template?.clauses ?? []),
          union_party: input.unionParty,
          employer_party: input.employerParty,
          union_negotiator: input.unionNegotiator,
          employer_negotiator: input.employerNegotiator,
          key_terms: JSON.stringify({}),
          term_years: input.termYears,
          workers_covered: workers,
          women_covered: women,
          vote: JSON.stringify(null),
        });
        await repo.attachEnterprises(
          trx,
          c.id,
          ents.map((e) => e.id),
        );
        await repo.markStage(
          trx,
          ents.map((e) => e.id),
          'negotiating',
          today(),
        );
        await audit(trx, actor, meta, 'contract.create', c, { kind: c.kind, templateId: c.template_id, enterprises: ents.length });
        return c.id;
      });
      return get(actor, id);
    },

    async update(actor: StaffActor, meta: RequestMeta, id: string, input: UpdateContractInput) {
      if (input.clauses) {
        const keys = new Set(input.clauses.map((c) => c.key));
        if (keys.size !== input.clauses.length) throw invalid({ clauses: '条款编号不能重复' });
      }
      return step(actor, meta, id, input.version, ['negotiating', 'objection'], '修改', 'contract.update', async () => ({
        ...(input.title !== undefined && { title: input.title }),
        ...(input.clauses !== undefined && { clauses: JSON.stringify(input.clauses) as never }),
        ...(input.keyTerms !== undefined && { key_terms: JSON.stringify(input.keyTerms) as never }),
        ...(input.termYears !== undefined && { term_years: input.termYears }),
        ...(input.workersCovered !== undefined && { workers_covered: input.workersCovered }),
        ...(input.womenCovered !== undefined && { women_covered: input.womenCovered }),
      }));
    },

    async addRound(actor: StaffActor, meta: RequestMeta, id: string, input: { heldOn: string; topics: string; minutes: string }) {
      notFuture(input.heldOn, 'heldOn', '协商日期');
      await db.transaction().execute(async (trx) => {
        const c = await repo.findInScope(trx, actor.orgPath, id, today(), true);
        if (!c) throw notFound('集体合同');
        if (c.stage !== 'negotiating' && c.stage !== 'objection') throw new AppError('CONFLICT', '合同已签订，不能再登记协商');
        const r = await repo.insertRound(trx, { contract_id: id, held_on: input.heldOn, topics: input.topics, minutes: input.minutes });
        await audit(trx, actor, meta, 'contract.round', c, { roundId: r.id, heldOn: r.held_on });
      });
      return get(actor, id);
    },

    /** 职代会 vote: valid with at least two thirds of the delegates present; adopted with more than half of all delegates for. */
    async vote(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      v: { version: number; heldOn: string; delegates: number; present: number; for: number; against: number; abstain: number },
    ) {
      notFuture(v.heldOn, 'heldOn', '表决日期');
      const quorum = v.present * 3 >= v.delegates * 2;
      const passed = quorum && v.for * 2 > v.delegates;
      return step(actor, meta, id, v.version, ['negotiating', 'objection'], '表决', 'contract.vote', async () => ({
        vote: JSON.stringify({
          heldOn: v.heldOn,
          delegates: v.delegates,
          present: v.present,
          for: v.for,
          against: v.against,
          abstain: v.abstain,
          passed,
          quorum,
        }) as never,
        adopted: passed,
      }));
    },

    async sign(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; signedOn: string; startsOn: string }) {
      notFuture(input.signedOn, 'signedOn', '签订日期');
      const res = await step(actor, meta, id, input.version, ['negotiating'], '签订', 'contract.sign', async (c, trx) => {
        if (!c.adopted) throw invalid({ vote: '合同草案须经职工代表大会（职工大会）表决通过后方可签订' });
        if (c.vote && input.signedOn < c.vote.heldOn) throw invalid({ signedOn: '签订日期不能早于表决日期' });
        if (input.startsOn < input.signedOn) throw invalid({ startsOn: '合同起始日期不能早于签订日期' });
        const ents = await repo.enterprisesOf(trx, id);
        await repo.markSigned(
          trx,
          ents.map((e) => e.id),
          id,
          input.signedOn,
        );
        if (c.previous_id) await repo.setRenewedBy(trx, c.previous_id, id);
        return { stage: 'signed' as const, signed_on: input.signedOn, starts_on: input.startsOn, ends_on: addDays(addYears(input.startsOn, c.term_years), -1) };
      });
      return res;
    },

    async submit(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; submittedOn: string }) {
      notFuture(input.submittedOn, 'submittedOn', '报送日期');
      return step(actor, meta, id, input.version, ['signed', 'objection'], '报送备案', 'contract.submit', async (c) => {
        if (c.signed_on && input.submittedOn < c.signed_on) throw invalid({ submittedOn: '报送日期不能早于签订日期' });
        return {
          stage: 'submitted' as const,
          submitted_on: input.submittedOn,
          submitted_late: !!c.signed_on && input.submittedOn > addDays(c.signed_on, FILING_DAYS),
        };
      });
    },

    async accept(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; acceptedOn: string }) {
      notFuture(input.acceptedOn, 'acceptedOn', '受理日期');
      return step(actor, meta, id, input.version, ['submitted'], '登记受理', 'contract.accept', async (c) => {
        if (c.submitted_on && input.acceptedOn < c.submitted_on) throw invalid({ acceptedOn: '受理日期不能早于报送日期' });
        return { stage: 'accepted' as const, accepted_on: input.acceptedOn };
      });
    },

    /** 人社's answer within the 15 days: approved (in force from that day) or an objection (back to negotiation). */
    async review(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; reviewedOn: string; result: 'approved' | 'objection'; opinion: string },
    ) {
      notFuture(input.reviewedOn, 'reviewedOn', '审查日期');
      return step(actor, meta, id, input.version, ['accepted'], '登记审查意见', 'contract.review', async (c) => {
        if (c.status !== 'filed') throw new AppError('CONFLICT', `受理后 ${DEEMED_EFFECTIVE_DAYS} 日内未提出异议，合同已视为生效`);
        if (input.result === 'objection' && !input.opinion) throw invalid({ opinion: '请填写审查意见' });
        if (c.accepted_on && input.reviewedOn < c.accepted_on) throw invalid({ reviewedOn: '审查日期不能早于受理日期' });
        return input.result === 'approved'
          ? { stage: 'approved' as const, reviewed_on: input.reviewedOn, review_opinion: input.opinion || null, effective_on: input.reviewedOn }
          : { stage: 'objection' as const, reviewed_on: input.reviewedOn, review_opinion: input.opinion, adopted: false };
      });
    },

    /** 续签: a new draft with the same parties and clauses; the old one shows 续签 once the new one is signed. */
    async renew(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number }) {
      const newId = await db.transaction().execute(async (trx) => {
        const c = await repo.findInScope(trx, actor.orgPath, id, today(), true);
        if (!c) throw notFound('集体合同');
        if (c.version !== input.version) throw conflict();
        if (!['effective', 'expired'].includes(c.status)) throw new AppError('CONFLICT', '只有生效或到期的合同可以续签');
        const ents = await repo.enterprisesOf(trx, id);
        const n = await repo.insert(trx, {
          org_id: c.org_id,
          kind: c.kind,
          title: c.title.replace(/（续签）$/, '') + '（续签）',
          template_id: c.template_id,
          clauses: JSON.stringify(c.clauses),
          union_party: c.union_party,
          employer_party: c.employer_party,
          union_negotiator: c.union_negotiator,
          employer_negotiator: c.employer_negotiator,
          key_terms: JSON.stringify(c.key_terms),
          term_years: c.term_years,
          workers_covered: c.workers_covered,
          women_covered: c.women_covered,
          vote: JSON.stringify(null),
          previous_id: c.id,
        });
        await repo.attachEnterprises(
          trx,
          n.id,
          ents.map((e) => e.id),
        );
        await audit(trx, actor, meta, 'contract.renew', c, { newContractId: n.id });
        return n.id;
      });
      return get(actor, newId);
    },

    /** The draft as .docx (docx loaded on first use): title, parties, then every clause numbered. */
    async draftDocx(actor: StaffActor, id: string) {
      const c = await get(actor, id);
      const { Document, Packer, Paragraph, TextRun, AlignmentType } = await import('docx');
      const font = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };
      const p = (text: string, opts: { bold?: boolean; size?: number; center?: boolean; indent?: boolean } = {}) =>
        new Paragraph({
          alignment: opts.center ? AlignmentType.CENTER : AlignmentType.JUSTIFIED,
          spacing: { line: 560 },
          ...(opts.indent && { indent: { firstLine: 640 } }),
          children: [
            new TextRun({
              text,
              bold: opts.bold,
              size: opts.size ?? 32,
              font: opts.bold && opts.center ? { eastAsia: '方正小标宋简体', ascii: 'SimSun', hAnsi: 'SimSun' } : font,
            }),
          ],
        });
      const doc = new Document({
        creator: '智慧工会服务平台',
        title: c.title,
        sections: [
          {
            properties: { page: { margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 } } },
            children: [
              p(c.title, { bold: true, size: 44, center: true }),
              p(`（${c.statusLabel === '协商中' ? '草案' : c.statusLabel}${c.template ? `，依据《${c.template.title}》第 ${c.template.version} 版` : ''}）`, {
                center: true,
              }),
              p(`工会方：${c.unionParty}（首席协商代表：${c.unionNegotiator}）`),
              p(`企业方：${c.employerParty}（首席协商代表：${c.employerNegotiator}）`),
              p(
                `合同期限：${c.termYears} 年${c.startsOn ? `（${c.startsOn} 至 ${c.endsOn}）` : ''}；覆盖职工 ${c.workersCovered} 人，其中女职工 ${c.womenCovered} 人。`,
              ),
              ...c.clauses.flatMap((cl, i) => [p(`第${i + 1}条　${cl.title}`, { bold: true }), p(cl.text, { indent: true })]),
              p(''),
              p('工会方（盖章）：　　　　　　　　企业方（盖章）：'),
              p('首席代表（签字）：　　　　　　　首席代表（签字）：'),
            ],
          },
        ],
      });
      return { body: Buffer.from(await Packer.toBuffer(doc)), fileName: `${c.title}.docx` };
    },

    /** Expiry reminders, 90 and 30 days ahead, once each, to the union party's staff. */
    async sendExpiryReminders() {
      let sent = 0;
      for (const days of EXPIRY_REMINDERS) {
        for (;;) {
          const batch = await repo.expiringUnreminded(db, today(), days, 200);
          if (!batch.length) break;
          for (const c of batch) {
            await db.transaction().execute(async (trx) => {
              if (!(await repo.claimReminder(trx, c.id, days, ctx.clock.now()))) return;
              await ctx.messages.sendToStaff(
                trx,
                { orgId: c.org_id, permission: 'contract:write' },
                {
                  title: `集体合同到期提醒：${c.title}`,
                  body: `${c.title}将于 ${c.ends_on} 到期（${days} 天内），请及早启动续签协商。`,
                  link: `/admin/#/contracts/${c.id}`,
                  category: 'contract',
                },
              );
              await ctx.audit.append(trx, {
                actorType: 'system',
                actorId: null,
                actorName: '系统',
                action: 'contract.remind',
                targetType: 'contract',
                targetId: c.id,
                orgId: c.org_id,
                outcome: 'success',
                detail: { endsOn: c.ends_on, daysAhead: days },
              });
              sent++;
            });
          }
        }
      }
      return sent;
    },
  };
}

export type ContractsService = ReturnType<typeof createContractsService>;
