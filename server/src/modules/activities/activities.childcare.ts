// 暑托班: the child's details on enrollment (name, birth date → age 6–12 on the activity's start,
// school; the guardian is the member), one class per child per season (DB-unique), daily attendance
// recorded by staff, and the rule that under 70 % attendance last season bars the child this season.
import { isUniqueViolation } from '../../db/errors.js';
import { z } from 'zod';
import { dateField, idField } from '../../platform/fields.js';
import type { StaffActor, RequestMeta } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import { sm3 } from '../../platform/crypto.js';
import { auditActor } from '../audit/audit.service.js';
import type { ActivitiesCore, ActivityTypePlugin, EnrollContext, Trx } from './activities.plugins.js';
import * as repo from './activity-types.repository.js';
import { ageOn, attendanceSufficient, CHILD_MAX_AGE, CHILD_MIN_AGE, previousSeasonOf, ratePercent, seasonOf } from './activity-types.rules.js';

const isoDay = dateField();

export const childcareDetails = z.strictObject({
  child: z.strictObject(
    {
      name: z
        .string({ error: '请填写孩子姓名' })
        .trim()
        .min(1, '请填写孩子姓名')
        .max(30, '孩子姓名不能超过 30 个字')
        .regex(/^[^\d<>]+$/, '孩子姓名不能含数字或尖括号'),
      birthDate: isoDay,
      school: z.string({ error: '请填写就读学校' }).trim().min(2, '请填写就读学校').max(60, '学校名称不能超过 60 个字'),
    },
    { error: '请填写孩子信息' },
  ),
});
type Details = z.infer<typeof childcareDetails>;

/** Who the child is across seasons: name + birth date + guardian. */
export const childKeyOf = (name: string, birthDate: string, guardianPersonId: string) => sm3(`child|${name}|${birthDate}|${guardianPersonId}`);

export const childcarePlugin: ActivityTypePlugin = {
  type: 'childcare',
  detailsSchema: childcareDetails,

  async reserve(trx: Trx, ctx: EnrollContext) {
    const { child } = ctx.details as Details;
    const startsOn = ctx.activity.startsOn ?? ctx.batch.startsOn ?? ctx.now.toISOString().slice(0, 10);
    const age = ageOn(child.birthDate, startsOn);
    if (age < CHILD_MIN_AGE || age > CHILD_MAX_AGE) {
      throw invalid(
        { 'details.child.birthDate': `孩子在开班日（${startsOn}）应为 ${CHILD_MIN_AGE} 至 ${CHILD_MAX_AGE} 周岁，现为 ${age} 周岁` },
        `暑托班只接收 ${CHILD_MIN_AGE} 至 ${CHILD_MAX_AGE} 周岁的孩子（开班日 ${startsOn} 时 ${age} 周岁）`,
      );
    }
    const key = childKeyOf(child.name, child.birthDate, ctx.personId);

    const last = previousSeasonOf('childcare', startsOn);
    const a = await repo.seasonAttendance(trx, last, key);
    if (!attendanceSufficient(a.present, a.days)) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${child.name} 上一期暑托班（${last.slice(0, 4)} 年）出勤率 ${ratePercent(a.present, a.days)}%（${a.present}/${a.days} 天），低于 70%，本期不能报名`,
        { 'details.child': '上一期出勤率低于 70%' },
      );
    }

    const season = seasonOf('childcare', startsOn);
    await repo.releaseChildrenOfGuardian(trx, ctx.activity.id, ctx.personId, ctx.now);
    await repo.releaseStaleChildren(trx, season, key, ctx.now);
    const taken = await repo.childInSeason(trx, season, key);
    if (taken) {
      throw new AppError('CONFLICT', `${child.name} 本期已报名「${taken.title}」${taken.batch_title}，每个孩子每期只能报一个班`);
    }
    try {
      await repo.insertChild(trx, {
        activityId: ctx.activity.id,
        batchId: ctx.batch.id,
        guardianPersonId: ctx.personId,
        season,
        childKey: key,
        name: child.name,
        birthDate: child.birthDate,
        school: child.school,
      });
    } catch (err) {
      // A concurrent enrollment of the same child won the unique index.
      if (isUniqueViolation(err)) throw new AppError('CONFLICT', `${child.name} 本期已报名其他班级，每个孩子每期只能报一个班`);
      throw err;
    }
  },
};

export const attendanceBody = z.strictObject({
  day: isoDay,
  records: z
    .array(z.strictObject({ childId: idField('孩子'), present: z.boolean({ error: '请标明是否出勤' }) }))
    .min(1, '请至少记录一名孩子')
    .max(2000, '一次至多记录 2000 名孩子'),
});

export function createChildcareService(core: ActivitiesCore) {
  const { ctx } = core;
  const db = ctx.database.db;

  async function childcareActivity(trx: Trx, actor: StaffActor, id: string) {
    const activity = await core.activityForStaff(trx, actor, id);
    if (activity.type !== 'childcare') throw new AppError('NOT_FOUND', '暑托班活动不存在或无权访问');
    return activity;
  }

  return {
    async children(actor: StaffActor, activityId: string) {
      return db.transaction().execute(async (trx) => {
        const activity = await childcareActivity(trx, actor, activityId);
        const rows = await repo.childrenOfActivity(trx, activity.id);
        const startsOn = activity.startsOn ?? '';
        return {
          items: rows.map((r) => {
            const days = Number(r.days ?? 0);
            const present = Number(r.present ?? 0);
            return {
              childId: r.id,
              enrollmentId: r.enrollment_id,
              enrollmentStatus: r.status,
              batchId: r.batch_id,
              batchTitle: r.batch_title,
              name: r.name,
              birthDate: r.birth_date,
              age: startsOn ? ageOn(r.birth_date, startsOn) : null,
              school: r.school,
              guardianName: r.guardian_name,
              attendance: { present, days, rate: ratePercent(present, days) },
            };
          }),
        };
      });
    },

    async recordAttendance(actor: StaffActor, meta: RequestMeta, activityId: string, body: z.infer<typeof attendanceBody>) {
      return db.transaction().execute(async (trx) => {
        const activity = await childcareActivity(trx, actor, activityId);
        if ((activity.startsOn && body.day < activity.startsOn) || (activity.endsOn && body.day > activity.endsOn)) {
          throw invalid({ day: `考勤日期应在活动日期（${activity.startsOn ?? ''} 至 ${activity.endsOn ?? ''}）之内` });
        }
        const ids = [...new Set(body.records.map((r) => r.childId))];
        if (ids.length !== body.records.length) throw invalid({ records: '同一名孩子重复记录' });
        const known = new Set(await repo.liveChildIds(trx, activity.id, ids));
        const unknown = ids.filter((id) => !known.has(id));
        if (unknown.length) throw invalid({ records: `孩子编号 ${unknown.join('、')} 不在本活动中` });
        const at = ctx.clock.now();
        await repo.upsertAttendance(
          trx,
          body.records.map((r) => ({ childId: r.childId, day: body.day, present: r.present, recordedBy: actor.accountId, at })),
        );
        await ctx.audit.append(trx, {
          ...auditActor(actor, meta),
          action: 'activity.childcare.attendance',
          targetType: 'activity',
          targetId: activity.id,
          orgId: activity.orgId,
          outcome: 'success',
          detail: { day: body.day, present: body.records.filter((r) => r.present).length, absent: body.records.filter((r) => !r.present).length },
        });
        return { saved: body.records.length };
      });
    },

    async attendanceOfDay(actor: StaffActor, activityId: string, day: string) {
      return db.transaction().execute(async (trx) => {
        const activity = await childcareActivity(trx, actor, activityId);
        const rows = await repo.attendanceOfDay(trx, activity.id, day);
        return { day, items: rows.map((r) => ({ childId: r.id, name: r.name, batchId: r.batch_id, present: r.present ?? null })) };
      });
    },
  };
}
