// 阵地: how rows are shown (labels, numbers, open-now).
import type { StationHours, StationStatus, StationType } from '../../db/schema-stations.js';
import { FACILITIES, STATUSES, facilityName, openAt, typeName } from './stations.constants.js';

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** China time (UTC+8): ISO weekday 1–7 and "HH:MM". */
export function chinaWeekdayMinute(d: Date): { weekday: number; hhmm: string } {
  const cst = new Date(d.getTime() + 8 * 3_600_000);
  const wd = cst.getUTCDay();
  return { weekday: wd === 0 ? 7 : wd, hhmm: cst.toISOString().slice(11, 16) };
}

/** "周一至周五 08:00–20:00" style lines; "24 小时开放" when all day. */
export function hoursText(h: StationHours): string[] {
  if (h.allDay) return ['24 小时开放'];
  const lines: string[] = [];
  let i = 0;
  while (i < 7) {
    const span = h.days[i];
    let j = i;
    while (j + 1 < 7 && JSON.stringify(h.days[j + 1]) === JSON.stringify(span)) j++;
    const label = i === j ? `周${WEEKDAYS[i]}` : `周${WEEKDAYS[i]}至周${WEEKDAYS[j]}`;
    lines.push(`${label} ${span ? `${span.open}–${span.close}` : '休息'}`);
    i = j + 1;
  }
  return lines;
}

interface Base {
  id: string;
  type: StationType;
  name: string;
  address: string;
  longitude: string;
  latitude: string;
  hours: StationHours;
  facilities: string[];
  stars: number | null;
  status: StationStatus;
  contact_phone: string | null;
  org_name: string;
}

export function presentBase(s: Base, now: Date) {
  const { weekday, hhmm } = chinaWeekdayMinute(now);
  return {
    id: s.id,
    type: s.type,
    typeName: typeName(s.type),
    name: s.name,
    address: s.address,
    longitude: Number(s.longitude),
    latitude: Number(s.latitude),
    hours: s.hours,
    hoursText: hoursText(s.hours),
    openNow: s.status === 'operating' && openAt(s.hours, weekday, hhmm),
    facilities: FACILITIES.filter((f) => s.facilities.includes(f.code)),
    stars: s.stars,
    status: s.status,
    statusName: STATUSES[s.status],
    contactPhone: s.contact_phone,
    orgName: s.org_name,
  };
}

export const facilityNames = (codes: string[]) => codes.map(facilityName);
