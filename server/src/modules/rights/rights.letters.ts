// 一函两书: a union issues a 提示函 or 意见书 to an employer that breaks labour law (facts, legal basis,
// reply deadline); the employer's reply and rectification are recorded; when it refuses or lets the
// deadline pass, a county-level or higher union issues a 建议书 to 劳动监察 / 人社 / 法院 / 检察院 and
// records their answer. Numbered per issuing union and year; GB/T 9704 .docx; workers' names masked.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { offsetOf } from '../../platform/pagination.js';
import { auditActor } from '../audit/audit.service.js';
import type { ModuleContext } from '../module-context.js';
import { actorName, addDays, maskName, maskNamesIn, today } from './rights.common.js';
import { LETTER_KINDS, LETTER_STATUSES, LETTER_TITLES, type LetterKindCode } from './rights.constants.js';
import { dateCn, letterDocx, type LetterDoc } from './rights.docx.js';
import { lettersRepository as repo } from './rights.letters.repository.js';
import { rightsRepository } from './rights.repository.js';
import type { LetterInput, LettersQuery } from './rights.schema.js';

type Row = NonNullable<Awaited<ReturnType<typeof repo.inScope>>>;
type ListRow = Awaited<ReturnType<typeof repo.list>>['items'][number];

/** 发文机关代字: the union's place name (two characters) + 工法, e.g. 东台市总工会 → 东台工法. */
export function issuerCode(orgName: string) {
  const place = [...orgName.replace(/(总工会|工会委员会|工会联合会|工会)$/, '').replace(/^江苏省/, '')].slice(0, 2).join('');
  return `${place}工法`;
}

const docNo = (orgName: string, year: number, seq: number) => `${issuerCode(orgName)}〔${year}〕${seq}号`;

/** The letter's body paragraphs, workers' names masked. */
function paragraphs(l: Row | ListRow, parent?: { doc_no: string; kind: string; issued_on: string; status: string; org_id: string; org_name: string }) {
  const names = l.workers;
  const m = (t: string) => maskNamesIn(t, names);
  const due = dateCn(l.reply_due_on);
  if (l.kind === 'proposal') {
    const how = parent?.status === 'refused' ? '该单位拒不整改' : '该单位逾期未予回复和整改';
    return [
      `${l.employer_name}存在以下违反劳动法律法规的情况：${m(l.facts)}`,
      parent
        ? `${parent.org_id === l.org_id ? '本会' : parent.org_name}于${dateCn(parent.issued_on)}向该单位发出《${LETTER_TITLES[parent.kind as LetterKindCode]}》（${parent.doc_no}），${how}。`
        : '',
      `根据${m(l.legal_basis)}的规定，本会建议贵单位：${m(l.demands)}`,
      `请于${due}前将处理结果函告本会。`,
    ].filter(Boolean);
  }
  return [
    `经调查了解，你单位存在以下情况：${m(l.facts)}${names.length ? `（涉及职工${names.map(maskName).join('、')}等${names.length}人）` : ''}`,
    `上述行为不符合${m(l.legal_basis)}的规定。`,
    `${l.kind === 'opinion' ? '本会要求你单位' : '本会提示你单位'}：${m(l.demands)}`,
    `请你单位于${due}前将整改情况书面回复本会。`,
  ];
}

export function createLetters(ctx: ModuleContext) {
  const db: Kysely<DB> = ctx.database.db;
  const now = () => ctx.clock.now();

  const summary = (l: ListRow | Row, day: string) => ({
    id: l.id,
    kind: l.kind,
    kindLabel: LETTER_KINDS[l.kind],
    docNo: l.doc_no,
    title: l.title,
    org: { id: l.org_id, name: l.org_name },
    employerName: l.employer_name,
    addressee: l.addressee,
    issuedOn: l.issued_on,
    replyDueOn: l.reply_due_on,
    status: l.status,
    statusLabel: l.kind === 'proposal' && l.status === 'issued' ? '已发出，待答复' : LETTER_STATUSES[l.status],
    /** Issued, no reply, past the deadline: may be escalated to a 建议书. */
    overdue: l.status === 'issued' && l.reply_due_on < day,
    rectified: l.rectified,
    repliedOn: l.replied_on,
    version: l.version,
  });

  async function letterOrThrow(executor: Kysely<DB> | Transaction<DB>, actor: StaffActor, id: string) {
    const l = await repo.inScope(executor, actor.orgPath, id);
    if (!l) throw notFound('文书');
    return l;
  }

  async function issueIn(
    trx: Transaction<DB>,
    actor: StaffActor,
    meta: RequestMeta,
    org: { id: string; name: string },
    l: {
      kind: LetterKindCode;
      parentId?: string;
      employerName: string;
      addressee: string;
      subject: string;
      facts: string;
      legalBasis: string;
      demands: string;
      workers: string[];
      replyDays: number;
    },
  ) {
    const issued = today(now());
    const year = Number(issued.slice(0, 4));
    const seq = await repo.nextSeq(trx, org.id, year);
    const row = await repo.insert(trx, {
      org_id: org.id,
      kind: l.kind,
      year,
      seq,
      doc_no: docNo(org.name, year, seq),
      parent_id: l.parentId ?? null,
      employer_name: l.employerName,
      addressee: l.addressee,
      title: `关于${l.subject}的${LETTER_TITLES[l.kind]}`,
      facts: l.facts,
      legal_basis: l.legalBasis,
      demands: l.demands,
      workers: JSON.stringify(l.workers),
      issued_on: issued,
      reply_due_on: addDays(issued, l.replyDays),
      created_by: actorName(actor),
      updated_at: now(),
    });
    await ctx.audit.append(trx, {
      ...auditActor(actor, meta),
      action: 'rights.letter.issue',
      targetType: 'rights_letter',
      targetId: row.id,
      orgId: org.id,
      outcome: 'success',
      detail: { kind: l.kind, parentId: l.parentId ?? null },
    });
    return row.id;
  }

  const service = {
    async issue(actor: StaffActor, meta: RequestMeta, input: LetterInput) {
      const org = await rightsRepository.org(db, actor.orgId);
      const id = await db.transaction().execute((trx) => issueIn(trx, actor, meta, org, { ...input, addressee: input.employerName }));
      return service.get(actor, id);
    },

    async list(actor: StaffActor, q: LettersQuery) {
      const org = q.orgId ? await rightsRepository.orgInScope(db, actor.orgPath, q.orgId) : undefined;
      if (q.orgId && !org) throw notFound('工会');
      const day = today(now());
      const r = await repo.list(db, actor.orgPath, {
        orgPath: org?.path,
        kind: q.kind,
        status: q.status,
        overdueBefore: q.overdue ? day : undefined,
        from: q.from,
        to: q.to,
        limit: q.pageSize,
        offset: offsetOf(q),
      });
      return { total: r.total, items: r.items.map((l) => summary(l, day)) };
    },

    /** The letter with its document (the preview the console shows, the same text as the .docx). */
    async get(actor: StaffActor, id: string) {
      const l = await letterOrThrow(db, actor, id);
      const related = await repo.related(db, id, l.parent_id);
      const parent = l.parent_id ? await repo.inScope(db, '/', l.parent_id) : undefined;
      return {
        ...summary(l, today(now())),
        facts: maskNamesIn(l.facts, l.workers),
        legalBasis: l.legal_basis,
        demands: l.demands,
        workersMasked: l.workers.map(maskName),
        reply: l.reply,
        answer: l.answer,
        answeredOn: l.answered_on,
        createdBy: l.created_by,
        related: related.map((r) => ({ id: r.id, kind: r.kind, kindLabel: LETTER_KINDS[r.kind], docNo: r.doc_no, status: r.status, orgName: r.org_name })),
        document: document(l, parent),
      };
    },

    async docx(actor: StaffActor, meta: RequestMeta, id: string) {
      const l = await letterOrThrow(db, actor, id);
      const parent = l.parent_id ? await repo.inScope(db, '/', l.parent_id) : undefined;
      const body = await letterDocx(document(l, parent));
      await db.transaction().execute((trx) =>
        ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.letter.download',
          targetType: 'rights_letter',
          targetId: id,
          orgId: l.org_id,
          outcome: 'success',
        }),
      );
      return { body, fileName: `${LETTER_KINDS[l.kind]}-${l.doc_no}.docx`, asciiName: `letter-${l.id}.docx` };
    },

    /** The employer's reply: rectified, or refused (which opens the way to a 建议书). */
    async reply(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; reply: string; repliedOn: string; rectified: boolean }) {
      await db.transaction().execute(async (trx) => {
        const l = await letterOrThrow(trx, actor, id);
        if (l.kind === 'proposal') throw new AppError('CONFLICT', '建议书请登记有关部门的答复');
        if (l.status !== 'issued') throw new AppError('CONFLICT', `文书当前状态为「${LETTER_STATUSES[l.status]}」，不能再登记回复`);
        const ok = await repo.update(trx, id, input.version, {
          reply: input.reply,
          replied_on: input.repliedOn,
          rectified: input.rectified,
          status: input.rectified ? 'rectified' : 'refused',
          updated_at: now(),
        });
        if (!ok) throw conflict('文书已被他人处理，请刷新后重试');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.letter.reply',
          targetType: 'rights_letter',
          targetId: id,
          orgId: l.org_id,
          outcome: 'success',
          detail: { rectified: input.rectified },
        });
      });
      return service.get(actor, id);
    },

    /** 建议书: a county-level or higher union escalates a refused or overdue 提示函/意见书 of its subtree. */
    async escalate(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; addressee: string; demands: string; replyDays: number }) {
      const issuer = await rightsRepository.org(db, actor.orgId);
      const newId = await db.transaction().execute(async (trx) => {
        const l = await letterOrThrow(trx, actor, id);
        if (issuer.type !== 'county' && issuer.type !== 'city') throw new AppError('FORBIDDEN', '建议书由县级以上工会发出');
        if (l.kind === 'proposal') throw new AppError('CONFLICT', '建议书不能再提请');
        const overdue = l.status === 'issued' && l.reply_due_on < today(now());
        if (l.status !== 'refused' && !overdue) throw new AppError('CONFLICT', '用人单位拒不整改或逾期未回复的，才能提请建议书');
        const ok = await repo.update(trx, id, input.version, { status: 'escalated', updated_at: now() });
        if (!ok) throw conflict('文书已被他人处理，请刷新后重试');
        const place = issuer.name.replace(/(总工会|工会)$/, '');
        return issueIn(trx, actor, meta, issuer, {
          kind: 'proposal',
          parentId: id,
          employerName: l.employer_name,
          addressee: `${place}${input.addressee}`,
          subject: `${l.employer_name}违反劳动法律法规`,
          facts: l.facts,
          legalBasis: `《中华人民共和国工会法》第二十二条、${l.legal_basis}`,
          demands: input.demands,
          workers: l.workers,
          replyDays: input.replyDays,
        });
      });
      return service.get(actor, newId);
    },

    /** The answer of 劳动监察 / 人社 / 法院 / 检察院 to a 建议书. */
    async answer(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; answer: string; answeredOn: string }) {
      await db.transaction().execute(async (trx) => {
        const l = await letterOrThrow(trx, actor, id);
        if (l.kind !== 'proposal') throw new AppError('CONFLICT', '提示函、意见书请登记用人单位的回复');
        if (l.status !== 'issued') throw new AppError('CONFLICT', '已登记答复');
        const ok = await repo.update(trx, id, input.version, { answer: input.answer, answered_on: input.answeredOn, status: 'answered', updated_at: now() });
        if (!ok) throw conflict('文书已被他人处理，请刷新后重试');
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'rights.letter.answer',
          targetType: 'rights_letter',
          targetId: id,
          orgId: l.org_id,
          outcome: 'success',
        });
      });
      return service.get(actor, id);
    },
  };

  function document(l: Row, parent?: Row): LetterDoc {
    return { issuer: l.org_name, docNo: l.doc_no, title: l.title, addressee: l.addressee, paragraphs: paragraphs(l, parent), issuedOn: l.issued_on };
  }

  return service;
}

export type Letters = ReturnType<typeof createLetters>;
