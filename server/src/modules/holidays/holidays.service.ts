// The city-wide working-day calendar: the State Council's holidays and 调休 working weekends,
// kept in `holidays`, loaded once and cached for the SLA arithmetic (platform/working-days.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AppDeps, RequestMeta, StaffActor } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { addWorkingDays, calendarOf, weekdayOf, type WorkingCalendar } from '../../platform/working-days.js';
import { auditActor, type AuditService } from '../audit/audit.service.js';
import { holidaysRepository as repo, type Executor } from './holidays.repository.js';
import { OFFICIAL_SCHEDULES, officialDays } from './holidays.official.js';
import type { AddHolidayInput } from './holidays.schema.js';

// Another server process may change the calendar too (PostgreSQL deployments): reload now and then.
const CACHE_MS = 10 * 60_000;

/** Start-up seed: the published schedules' days that are not in the table yet. */
export async function ensureHolidays(db: Kysely<DB>) {
  await repo.insertMissing(db, officialDays());
}

export function createHolidaysService(deps: AppDeps & { audit: AuditService }) {
  const db: Kysely<DB> = deps.database.db;
  let cached: { cal: WorkingCalendar; until: number } | null = null;
  // Bumped by every change, so a load that raced a change is not kept.
  let generation = 0;

  /**
   * The calendar, from the cache or loaded through `exec` — pass the transaction when inside one
   * (PGlite has a single connection).
   */
  async function calendar(exec: Executor = db): Promise<WorkingCalendar> {
    const now = Date.now();
    if (cached && cached.until > now) return cached.cal;
    const gen = generation;
    const cal = calendarOf(await repo.calendarDays(exec));
    if (gen === generation) cached = { cal, until: now + CACHE_MS };
    return cal;
  }

  const changed = () => {
    generation++;
    cached = null;
  };

  // Writes change the whole city's SLAs: only the city union's (root) accounts may make them.
  const checkCityWide = (actor: StaffActor) => {
    if (actor.orgPath.split('/').filter(Boolean).length !== 1) {
      throw new AppError('FORBIDDEN', '节假日安排全市统一，仅市总工会的系统管理员可以修改');
    }
  };

  return {
    calendar,

    /** The calendar's special days, sorted ('YYYY-MM-DD'): what the console needs to count working days. */
    async calendarDays() {
      const cal = await calendar();
      return { holidays: [...cal.holidays].sort(), workdays: [...cal.workdays].sort() };
    },

    /** The SLA due time: `days` working days after `from` by the calendar. */
    async addWorkingDays(exec: Executor, from: Date, days: number): Promise<Date> {
      return addWorkingDays(from, days, await calendar(exec));
    },

    async listYear(year: number) {
      const rows = await repo.listYear(db, year);
      return {
        year,
        items: rows.map((r) => ({
          day: r.day,
          kind: r.kind,
          name: r.name,
          weekday: weekdayOf(r.day),
          updatedAt: r.updated_at.toISOString(),
          edited: r.updated_by !== null,
        })),
        notice: OFFICIAL_SCHEDULES[year]?.notice ?? null,
      };
    },

    async add(actor: StaffActor, meta: RequestMeta, input: AddHolidayInput) {
      checkCityWide(actor);
      const dow = weekdayOf(input.day);
      if (input.kind === 'workday' && dow !== 0 && dow !== 6) {
        throw new AppError('VALIDATION_FAILED', '调休上班日只能是周六或周日', { kind: '调休上班日只能是周六或周日' });
      }
      const at = deps.clock.now();
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await repo.add(trx, { ...input, updated_at: at, updated_by: actor.accountId });
          if (!row) {
            const had = await repo.existing(trx, input.day);
            throw new AppError('CONFLICT', `${input.day} 已设置为${had?.name ?? ''}，请先删除再添加`);
          }
          await deps.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'holiday.add',
            targetType: 'holiday',
            targetId: input.day,
            orgId: actor.orgId,
            outcome: 'success',
            detail: { kind: input.kind, name: input.name },
          });
          return { day: row.day, kind: row.kind, name: row.name };
        });
      } finally {
        changed();
      }
    },

    async remove(actor: StaffActor, meta: RequestMeta, day: string) {
      checkCityWide(actor);
      const at = deps.clock.now();
      try {
        await db.transaction().execute(async (trx) => {
          const row = await repo.remove(trx, day, at, actor.accountId);
          if (!row) throw notFound('该日期的节假日设置');
          await deps.audit.append(trx, {
            ...auditActor(actor, meta),
            action: 'holiday.remove',
            targetType: 'holiday',
            targetId: day,
            orgId: actor.orgId,
            outcome: 'success',
            detail: { kind: row.kind, name: row.name },
          });
        });
      } finally {
        changed();
      }
    },
  };
}

export type HolidaysService = ReturnType<typeof createHolidaysService>;
