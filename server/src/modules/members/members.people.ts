// The stored form of a person: encrypted identity and phones, blind indexes, masked copies,
// pinyin for search. One mapping for every way a person is written (H5, partner, staff, import).
import { pinyin } from 'pinyin-pro';
import { maskPhone, type FieldCrypto } from '../../platform/crypto.js';
import { maskIdNumber } from '../../platform/validators.js';
import type { PersonInput } from './members.schema.js';

/** Blind-index domains: the phone domain is shared with worker accounts so a worker finds their person. */
export const ID_DOMAIN = 'id';
export const PHONE_DOMAIN = 'phone';

export function pinyinOf(name: string) {
  const syllables = pinyin(name.replace(/·/g, ''), { toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  return {
    initials: syllables
      .map((s) => [...s][0] ?? '') // code points: a name may hold a character outside the BMP
      .join('')
      .toLowerCase(),
    full: syllables.join('').toLowerCase().replace(/\s+/g, ''),
  };
}

// Names repeat a lot in a real roll; pinyin is the costliest step of preparing a row.
const pinyinCache = new Map<string, { initials: string; full: string }>();
function cachedPinyin(name: string) {
  let v = pinyinCache.get(name);
  if (!v) {
    if (pinyinCache.size >= 200_000) pinyinCache.clear();
    v = pinyinOf(name);
    pinyinCache.set(name, v);
  }
  return v;
}

export function personRecord(c: FieldCrypto, p: PersonInput, workerId: string | null) {
  const py = cachedPinyin(p.name);
  return {
    id_type: p.idType,
    id_enc: c.encrypt(p.idNumber),
    id_bidx: c.blindIndex(`${p.idType}:${p.idNumber}`, ID_DOMAIN),
    id_last4: p.idNumber.slice(-4),
    id_masked: maskIdNumber(p.idNumber),
    name: p.name,
    name_initials: py.initials,
    name_pinyin: py.full,
    sex: p.sex,
    birth_date: p.birthDate,
    ethnicity: p.ethnicity ?? null,
    phone_enc: c.encrypt(p.phone),
    phone_bidx: c.blindIndex(p.phone, PHONE_DOMAIN),
    phone_masked: maskPhone(p.phone),
    education: p.education ?? null,
    political_status: p.politicalStatus ?? null,
    hukou_type: p.hukouType ?? null,
    hukou_region: p.hukouRegion ?? null,
    emergency_contact_name: p.emergencyContactName ?? null,
    emergency_contact_phone_enc: p.emergencyContactPhone ? c.encrypt(p.emergencyContactPhone) : null,
    emergency_contact_phone_masked: p.emergencyContactPhone ? maskPhone(p.emergencyContactPhone) : null,
    worker_id: workerId,
  };
}

/** A person's own columns (identity, contact, background), in the order the bulk paths send them. */
export const PERSON_COLUMNS = [
  ['id_type', 'text'],
  ['id_enc', 'text'],
  ['id_bidx', 'text'],
  ['id_last4', 'text'],
  ['id_masked', 'text'],
  ['name', 'text'],
  ['name_initials', 'text'],
  ['name_pinyin', 'text'],
  ['sex', 'text'],
  ['birth_date', 'date'],
  ['ethnicity', 'text'],
  ['phone_enc', 'text'],
  ['phone_bidx', 'text'],
  ['phone_masked', 'text'],
  ['education', 'text'],
  ['political_status', 'text'],
  ['hukou_type', 'text'],
  ['hukou_region', 'text'],
  ['emergency_contact_name', 'text'],
  ['emergency_contact_phone_enc', 'text'],
  ['emergency_contact_phone_masked', 'text'],
] as const;
