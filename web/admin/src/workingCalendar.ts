// The city's working calendar (放假日 and 调休上班日), loaded once per page load for the
// 剩余N个工作日 lines, so the console counts working days the way the server set the due dates.
import { ref } from 'vue';
import { api } from '../../shared/api';

export interface WorkingCalendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

const calendar = ref<WorkingCalendar | null>(null);
let loading: Promise<void> | null = null;

/** Monday–Friday until the calendar arrives (and if it cannot be read); then the real one. */
export function useWorkingCalendar() {
  loading ??= api<{ holidays: string[]; workdays: string[] }>('GET', '/api/working-calendar')
    .then((r) => {
      calendar.value = { holidays: new Set(r.holidays), workdays: new Set(r.workdays) };
    })
    .catch(() => {
      loading = null;
    });
  return calendar;
}
