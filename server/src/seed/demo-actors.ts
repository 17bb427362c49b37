// Who the demo seed acts as: the request metadata of its audit rows and a demo staff account as the
// services see a signed-in actor (its roles' permissions), so the demo data goes through the services.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { RequestMeta, StaffActor } from '../platform/context.js';
import { isPermission, type Permission } from '../platform/permissions.js';
import { accountsRepository } from '../modules/auth/auth.repository.js';

export const DEMO_META: RequestMeta = { ip: '127.0.0.1', requestId: 'demo-seed', userAgent: '演示数据' };

/** The demo account as an actor; null when the account is not there. */
export async function demoStaff(db: Kysely<DB>, username: string): Promise<StaffActor | null> {
  const a = await accountsRepository.findByUsername(db, username);
  if (!a) return null;
  const roles = await accountsRepository.rolesOf(db, [a.id]);
  return {
    type: 'staff',
    accountId: a.id,
    username: a.username,
    displayName: a.display_name,
    orgId: a.org_id,
    orgPath: a.org_path,
    permissions: new Set<Permission>(roles.flatMap((r) => r.permissions).filter(isPermission)),
    sessionId: 'demo-seed',
  };
}
