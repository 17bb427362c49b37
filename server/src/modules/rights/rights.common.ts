// What every part of 维权 shares: the actor's name on a timeline, dates in China time, masking of
// workers' names in letters, and the sensitive-field helpers (encrypted + blind-indexed + masked like the roll).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chinaDay } from '../../platform/china-time.js';
import { notFound } from '../../platform/errors.js';
import type { EnterprisesService } from '../enterprises/enterprises.service.js';
import type { ModuleContext } from '../module-context.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { maskPhone } from '../../platform/crypto.js';
import type { StaffActor } from '../../platform/context.js';
import { maskIdNumber } from '../../platform/validators.js';
import { ID_DOMAIN, PHONE_DOMAIN } from '../members/members.people.js';

export const actorName = (a: StaffActor) => `${a.displayName}（${a.username}）`;
export const today = (now: Date) => chinaDay(now);
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
/** `like` pattern for a user's text (escapes % _ \). */
export const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** 张三 → 张*, 欧阳娜娜 → 欧***: how a letter names a worker. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** Replaces every listed worker's name in a text with its masked form (longest names first). */
export function maskNamesIn(text: string, names: string[]): string {
  let out = text;
  for (const n of [...names].sort((a, b) => b.length - a.length)) if (n) out = out.split(n).join(maskName(n));
  return out;
}

export const sealPhone = (c: FieldCrypto, phone: string | undefined | null) =>
  phone
    ? { phone_enc: c.encrypt(phone), phone_bidx: c.blindIndex(phone, PHONE_DOMAIN), phone_masked: maskPhone(phone) }
    : { phone_enc: null, phone_bidx: null, phone_masked: null };

export const sealId = (c: FieldCrypto, idNumber: string | undefined | null) =>
  idNumber
    ? { id_enc: c.encrypt(idNumber), id_bidx: c.blindIndex(`resident_id:${idNumber}`, ID_DOMAIN), id_masked: maskIdNumber(idNumber) }
    : { id_enc: null, id_bidx: null, id_masked: null };

/** Period filter: [from, to] days in China time → [fromTs, toTs) instants. */
export function periodBounds(f: { from?: string; to?: string }) {
  return {
    fromTs: f.from ? new Date(`${f.from}T00:00:00+08:00`) : undefined,
    toTs: f.to ? new Date(Date.parse(`${f.to}T00:00:00+08:00`) + 86_400_000) : undefined,
  };
}

/** What the rights parts are built from: the module context and the enterprise register (its service, never its tables). */
export type RightsCtx = ModuleContext & { enterprises: Pick<EnterprisesService, 'findInScope'> };

/**
 * The employer of a consultation, case or check-up: an enterprise record of the register in the
 * caller's scope (its name is the record's), or the name as typed.
 */
export async function employerOf(
  ctx: RightsCtx,
  db: Kysely<DB> | Transaction<DB>,
  actor: StaffActor,
  input: { enterpriseId?: string; employerName?: string | null },
) {
  if (!input.enterpriseId) return { enterpriseId: null, name: input.employerName ?? null };
  const e = await ctx.enterprises.findInScope(db, actor, input.enterpriseId);
  if (!e) throw notFound('企业');
  return { enterpriseId: e.id, name: e.name };
}
