// 阵地 in the console: row shapes, colours by type, labels.
export interface StationRow {
  id: string;
  type: string;
  typeName: string;
  name: string;
  address: string;
  longitude: number;
  latitude: number;
  hours: { allDay: boolean; days: ({ open: string; close: string } | null)[] };
  hoursText: string[];
  openNow: boolean;
  facilities: { code: string; name: string }[];
  stars: number | null;
  status: string;
  statusName: string;
  contactName: string | null;
  contactPhone: string | null;
  description: string | null;
  org: { id: string; name: string };
  acceptedAt: string | null;
  ratedYear: number | null;
  nextInspectionOn: string | null;
  version: number;
}

export interface StationPhoto {
  id: string;
  inspectionId: string | null;
  name: string;
  caption: string | null;
  width: number;
  height: number;
  size: number;
  url: string;
  thumbUrl: string;
  at: string;
}

export interface StationDetail extends StationRow {
  photos: StationPhoto[];
  standard: { requiredFacilities: string[]; items: { code: string; name: string; maxScore: number }[]; custom: boolean };
  missingFacilities: { code: string; name: string }[];
  inspections: {
    id: string;
    kind: string;
    kindName: string;
    year: number;
    passed: boolean;
    scores: { code: string; name: string; score: number; maxScore: number }[];
    total: number | null;
    stars: number | null;
    missing: { code: string; name: string }[];
    inspector: string;
    note: string | null;
    at: string;
    photos: StationPhoto[];
  }[];
  visits: {
    total: number;
    perMonth: { month: string; count: number }[];
    perDay: { day: string; count: number }[];
    perHour: { hour: number; count: number }[];
    bySource: { source: string; name: string; count: number }[];
    byService: { service: string; name: string; count: number }[];
    recent: { id: string; source: string; service: string | null; note: string | null; at: string; worker: string | null; consultationId: string | null }[];
    recentShown: boolean;
  };
}

export interface StationDictionary {
  types: { code: string; name: string; color: string }[];
  facilities: { code: string; name: string }[];
  services: { code: string; name: string }[];
  statuses: { code: string; name: string }[];
}

export const STATUS_TAG: Record<string, 'info' | 'success' | 'warning' | 'danger'> = {
  planning: 'info',
  operating: 'success',
  paused: 'warning',
  closed: 'danger',
};
export const TYPE_COLORS: Record<string, string> = {
  home: '#c8161d',
  outdoor: '#d97706',
  driver: '#2f80ed',
  carnation: '#d6478f',
  palace: '#8e5bd8',
  center: '#19a974',
  rest: '#0f9d9a',
  other: '#6b7280',
};
export const stars = (n: number | null) => (n ? '★'.repeat(n) + '☆'.repeat(5 - n) : '未评星');

/** Photo limits the server holds (stations.photos.ts PHOTO_LIMITS): shown next to the upload buttons. */
export const PHOTO_HINT = 'JPG 或 PNG，单张不超过 10 MB，每个阵地最多 60 张';

/** Uploads photos one by one to `url`; answers how many went in and the first refusal. */
export async function uploadPhotos(url: string, files: File[], upload: (url: string, f: File, q: Record<string, string>) => Promise<unknown>) {
  let done = 0;
  for (const f of files) {
    try {
      await upload(url, f, { name: f.name });
      done++;
    } catch (e) {
      return { done, error: e };
    }
  }
  return { done, error: null };
}
