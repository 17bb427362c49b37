import type { App, StaffActor } from '../../platform/context.js';
import { okResponse } from '../../platform/pagination.js';
import type { HolidaysService } from './holidays.service.js';
import { addHolidayBody, dayParam, holidayItem, workingCalendarResponse, yearQuery, yearResponse } from './holidays.schema.js';

const staff = (req: { actor: unknown }) => req.actor as StaffActor;
const tags = ['holidays'];
const added = holidayItem.pick({ day: true, kind: true, name: true });

// City-wide reference data: no org scope; reading and changing the table need holiday:manage; the
// calendar itself (which days count) is for every signed-in staff member (the console's SLA lines).
export function holidaysRoutes(app: App, holidays: HolidaysService) {
  app.get(
    '/api/working-calendar',
    {
      config: { access: 'staff' },
      schema: { tags, summary: '工作日历：放假日与调休上班日（供办理时限显示）', response: { 200: workingCalendarResponse } },
    },
    async () => holidays.calendarDays(),
  );

  app.get(
    '/api/holidays',
    { config: { access: 'holiday:manage' }, schema: { tags, summary: '一年的节假日与调休上班日', querystring: yearQuery, response: { 200: yearResponse } } },
    async (req) => holidays.listYear(req.query.year),
  );

  app.post(
    '/api/holidays',
    { config: { access: 'holiday:manage' }, schema: { tags, summary: '添加节假日或调休上班日（市总工会）', body: addHolidayBody, response: { 200: added } } },
    async (req) => holidays.add(staff(req), req.meta, req.body),
  );

  app.delete(
    '/api/holidays/:day',
    { config: { access: 'holiday:manage' }, schema: { tags, summary: '删除一天的节假日设置（市总工会）', params: dayParam, response: { 200: okResponse } } },
    async (req) => {
      await holidays.remove(staff(req), req.meta, req.params.day);
      return { ok: true as const };
    },
  );
}
