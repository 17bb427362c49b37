// The establishment flow (基层审核 → 公示 → 县级审批 → 建档), the yearly review and its daily
// due-reminder job. Split out of hardship.service.ts.
import { chinaDay } from '../../platform/china-time.js';
import type { RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { ModuleContext } from '../module-context.js';
import type { AidService } from '../aid/aid.service.js';
import { hardshipRepository } from './hardship.repository.js';
import { NOTICE_MIN_DAYS, REVIEW_REMIND_DAYS, actorName, addDays, countyPathOf, dayNumber, fileNo, plusYear } from './hardship.common.js';
import type { HardshipCore } from './hardship.core.js';

export function createHardshipFlow(ctx: ModuleContext & { aid: AidService }, core: HardshipCore) {
  const { db, now, transition, fileLabel, toUnion, toCounty } = core;
  return {
    firstReview(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; action: 'approve' | 'reject'; comment?: string }) {
      if (input.action === 'reject' && !input.comment) throw invalid({ comment: '驳回须填写理由' });
      return transition(actor, meta, id, {
        version: input.version,
        from: ['submitted'],
        to: input.action === 'approve' ? 'visiting' : 'rejected',
        action: input.action === 'approve' ? 'first_approve' : 'first_reject',
        comment: input.comment ?? null,
        patch: input.action === 'reject' ? { reject_reason: input.comment ?? null } : {},
        // Four eyes (decision 045): who submitted or edited the file does not pass it (sending it back stays open).
        extra: async (trx) => {
          if (input.action !== 'approve') return;
          const events = await hardshipRepository.events(trx, id);
          if (events.some((e) => (e.action === 'submit' || e.action === 'edit') && e.actor_id === actor.accountId))
            throw new AppError('FORBIDDEN', '不能审批本人提交的事项：提交或修改档案的账号不能作基层初审，请由本级另一账号或上级工会初审');
        },
        notify: (f) =>
          input.action === 'approve'
            ? { staff: toCounty(f, '困难职工档案通过基层初审', `${fileLabel(f)}已通过基层初审，入户核实后报县级审核。`) }
            : { staff: toUnion(f, '困难职工档案基层初审驳回', `${fileLabel(f)}未通过基层初审，驳回理由见档案。`) },
      });
    },

    visit(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; visitedOn: string; visitors: string; findings: string; photos?: string[] },
    ) {
      if (input.visitedOn > chinaDay(now())) throw invalid({ visitedOn: '核实日期不能晚于今天' });
      return transition(actor, meta, id, {
        version: input.version,
        from: ['visiting'],
        to: 'county_review',
        action: 'visit',
        comment: `${input.visitedOn} ${input.visitors}：${input.findings}`,
        extra: async (trx) => {
          await hardshipRepository.insertVisit(trx, {
            file_id: id,
            visited_on: input.visitedOn,
            visitors: input.visitors,
            findings: input.findings,
            photos: JSON.stringify(input.photos ?? []),
            recorded_by: actorName(actor),
            at: now(),
          });
        },
        notify: (f) => ({ staff: toCounty(f, '困难职工档案待县级审核', `${fileLabel(f)}已完成入户核实，请进行县级审核。`) }),
      });
    },

    countyReview(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; action: 'approve' | 'reject'; comment?: string; noticeStart?: string; noticeEnd?: string },
    ) {
      if (input.action === 'reject' && !input.comment) throw invalid({ comment: '驳回须填写理由' });
      if (input.action === 'approve') {
        if (!input.noticeStart || !input.noticeEnd) throw invalid({ noticeStart: '请填写公示起止日期' });
        if (dayNumber(input.noticeEnd) - dayNumber(input.noticeStart) + 1 < NOTICE_MIN_DAYS) {
          throw invalid({ noticeEnd: `公示期不少于 ${NOTICE_MIN_DAYS} 天` });
        }
        if (input.noticeStart < chinaDay(now())) throw invalid({ noticeStart: '公示开始日期不能早于今天' });
      }
      return transition(actor, meta, id, {
        version: input.version,
        from: ['county_review'],
        to: input.action === 'approve' ? 'notice' : 'rejected',
        action: input.action === 'approve' ? 'county_approve' : 'county_reject',
        comment:
          input.action === 'approve' ? `公示 ${input.noticeStart} 至 ${input.noticeEnd}${input.comment ? `；${input.comment}` : ''}` : (input.comment ?? null),
        check: (f) => {
          // The county-level union (or the city above it) reviews, not the grassroots or the town.
          if (!countyPathOf(f.org_path).startsWith(actor.orgPath)) throw new AppError('FORBIDDEN', '困难职工档案须由县级工会审核');
        },
        patch: input.action === 'approve' ? { notice_start: input.noticeStart!, notice_end: input.noticeEnd! } : { reject_reason: input.comment ?? null },
        notify: (f) =>
          input.action === 'approve'
            ? {
                staff: toUnion(
                  f,
                  '困难职工档案进入公示',
                  `${fileLabel(f)}已通过县级审核，公示期 ${input.noticeStart} 至 ${input.noticeEnd}。请组织公示，登记异议；公示期满后办理建档。`,
                ),
              }
            : { staff: toUnion(f, '困难职工档案县级审核驳回', `${fileLabel(f)}未通过县级审核，驳回理由见档案。`) },
      });
    },

    objection(
      actor: StaffActor,
      meta: RequestMeta,
      id: string,
      input: { version: number; raisedBy: string; content: string; outcome: 'upheld' | 'dismissed'; handling?: string },
    ) {
      const upheld = input.outcome === 'upheld';
      return transition(actor, meta, id, {
        version: input.version,
        from: ['notice'],
        ...(upheld && { to: 'submitted' as const }),
        action: upheld ? 'objection_upheld' : 'objection_dismissed',
        comment: `${input.raisedBy}：${input.content}${input.handling ? `（处理：${input.handling}）` : ''}`,
        patch: upheld ? { notice_start: null, notice_end: null } : {},
        extra: async (trx) => {
          await hardshipRepository.insertObjection(trx, {
            file_id: id,
            raised_by: input.raisedBy,
            content: input.content,
            outcome: input.outcome,
            handling: input.handling ?? null,
            recorded_by: actorName(actor),
            at: now(),
          });
        },
        // The objection itself (who raised it, what it says) stays on the file: the head is not told who objected.
        notify: (f) =>
          upheld
            ? {
                staff: toUnion(f, '公示异议成立，档案退回重审', `${fileLabel(f)}公示期间的异议经核实成立，档案已退回待基层初审，请核实后修改并重新初审。`),
                worker: {
                  title: '困难职工建档申请需补充核实',
                  body: `您家庭的困难职工建档申请（${fileNo(f.id)}）在公示期间需要重新核实，${f.org_name}将与您联系补充或更正材料。`,
                },
              }
            : { staff: toUnion(f, '公示异议已登记（不成立）', `${fileLabel(f)}公示期间的异议经核实不成立，公示期满（${f.notice_end}）后可办理建档。`) },
      });
    },

    establish(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; comment?: string }) {
      const today = chinaDay(now());
      return transition(actor, meta, id, {
        version: input.version,
        from: ['notice'],
        to: 'established',
        action: 'establish',
        comment: input.comment ?? null,
        check: (f) => {
          if (!f.notice_end || today <= f.notice_end) throw new AppError('CONFLICT', `公示期至 ${f.notice_end ?? '—'} 结束，公示期满后方可建档`);
        },
        patch: { established_at: now(), review_due_on: plusYear(today) },
        notify: (f) => ({
          staff: toUnion(f, '困难职工档案已建档', `${fileLabel(f)}已建档，年度复核到期日 ${plusYear(today)}。`),
          worker: {
            title: '您家庭已建立困难职工档案',
            body: `您家庭的困难职工档案（${fileNo(f.id)}）已由${f.org_name}建档，工会将按规定开展帮扶；档案每年复核一次，下次复核时间 ${plusYear(today)}。`,
          },
        }),
      });
    },

    yearlyReview(actor: StaffActor, meta: RequestMeta, id: string, input: { version: number; decision: 'continue' | 'close'; reason: string }) {
      const close = input.decision === 'close';
      return transition(actor, meta, id, {
        version: input.version,
        from: ['established'],
        ...(close && { to: 'closed' as const }),
        action: close ? 'review_close' : 'review_continue',
        comment: input.reason,
        patch: (f) => (close ? { closed_at: now(), closed_reason: input.reason } : { review_due_on: plusYear(f.review_due_on ?? chinaDay(now())) }),
        extra: async (trx) => {
          const year = Number(chinaDay(now()).slice(0, 4));
          await hardshipRepository.insertReview(trx, {
            file_id: id,
            year,
            decision: input.decision,
            reason: input.reason,
            reviewed_by: actorName(actor),
            at: now(),
          });
        },
        notify: (f) =>
          close
            ? {
                staff: toUnion(f, '困难职工档案解困脱困', `${fileLabel(f)}经年度复核解困脱困，档案已结档。`),
                worker: {
                  title: '您家庭已解困脱困',
                  body: `经年度复核，您家庭的困难职工档案（${fileNo(f.id)}）已办理解困脱困。如再遇困难，可随时联系${f.org_name}。`,
                },
              }
            : {},
      });
    },

    /**
     * Messages the union's hardship:write staff about established files whose yearly review falls due
     * within REVIEW_REMIND_DAYS or is overdue: once per file and review year, claimed in
     * hardship_review_reminders (daily job; tests call it directly).
     */
    async sendReviewReminders() {
      const today = chinaDay(now());
      const until = addDays(today, REVIEW_REMIND_DAYS);
      let sent = 0;
      for (;;) {
        const batch = await hardshipRepository.reviewsDueUnreminded(db, until, 200);
        if (!batch.length) break;
        for (const f of batch) {
          const due = f.review_due_on!;
          const reviewYear = Number(due.slice(0, 4));
          const ok = await db.transaction().execute(async (trx) => {
            const claimed = await hardshipRepository.claimReviewReminder(trx, {
              file_id: f.id,
              review_year: reviewYear,
              due_on: due,
              org_id: f.org_id,
              sent_at: now(),
            });
            if (!claimed) return false;
            const when = due < today ? `已于 ${due} 到期，请尽快复核` : `将于 ${due} 到期，请在到期前完成复核`;
            await ctx.messages.sendToStaff(
              trx,
              { orgId: f.org_id, permission: 'hardship:write' },
              {
                title: `年度复核提醒：困难职工档案 ${fileNo(f.id)}`,
                body: `${f.head_name}的困难职工档案（${fileNo(f.id)}）${reviewYear} 年度复核${when}（继续帮扶或解困脱困）。`,
                link: `/admin/#/hardship/${f.id}`,
                category: 'hardship',
              },
            );
            await ctx.audit.append(trx, {
              actorType: 'system',
              actorId: null,
              actorName: '系统',
              action: 'hardship.remind',
              targetType: 'hardship_file',
              targetId: f.id,
              orgId: f.org_id,
              outcome: 'success',
              detail: { reviewYear, dueOn: due },
            });
            return true;
          });
          if (ok) sent++;
        }
        if (batch.length < 200) break;
      }
      return sent;
    },
  };
}
