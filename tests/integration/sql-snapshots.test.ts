// Every repository query, as the SQL it sends, snapshotted beside its repository
// (`<module>.repository.sql`). A change to a query shows up in review as plain SQL; CI fails
// when a query changes without its snapshot (vitest does not write snapshots under CI=true).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepository } from '../../server/src/modules/audit/audit.repository.js';
import { auditTargetsRepository } from '../../server/src/modules/audit/audit.targets.repository.js';
import {
  accountsRepository,
  rolesRepository,
  sessionsRepository,
  smsCodesRepository,
  workersRepository,
} from '../../server/src/modules/auth/auth.repository.js';
import { orgsRepository } from '../../server/src/modules/orgs/orgs.repository.js';
import { membersRepository } from '../../server/src/modules/members/members.repository.js';
import { membersEditRepository } from '../../server/src/modules/members/members.edit.repository.js';
import { messagesRepository } from '../../server/src/modules/messages/messages.repository.js';
import { joiningRepository } from '../../server/src/modules/joining/joining.repository.js';
import { membersExportRepository } from '../../server/src/modules/members/members.export.repository.js';
import { matchingRepository } from '../../server/src/modules/matching/matching.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The applicant columns of the sample application both join statements insert. */
const SAMPLE_APPLICANT = {
  applicant_name: '王建国',
  applicant_id_type: 'resident_id',
  applicant_id_enc: 'enc',
  applicant_id_bidx: 'ib',
  applicant_id_masked: '3209**********0011',
  applicant_sex: 'M',
  applicant_birth_date: '1990-01-01',
  applicant_phone_enc: 'penc',
  applicant_phone_bidx: 'pb-snapshot',
  applicant_phone_masked: '139****0001',
  applicant_extra: '{}',
  person_id: null,
  target_org_id: '1',
} as const;
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const capture = (calls: Parameters<typeof captureSql>[1]) => captureSql(t, calls);

const now = new Date('2026-11-21T00:00:00Z');

describe('repository SQL snapshots', () => {
  it('orgs', async () => {
    const sqlText = await capture({
      findInScope: (db) => orgsRepository.findInScope(db, '/1/', '3'),
      findInScopeForUpdate: (db) => orgsRepository.findInScopeForUpdate(db, '/1/', '3'),
      findById: (db) => orgsRepository.findById(db, '3'),
      findByPath: (db) => orgsRepository.findByPath(db, '/1/'),
      root: (db) => orgsRepository.root(db),
      children: (db) => orgsRepository.children(db, '/1/', '1'),
      search: (db) => orgsRepository.search(db, '/1/', { q: '东台', type: 'town', status: 'active', limit: 20, offset: 0 }),
      'search (unions that take members)': (db) =>
        orgsRepository.search(db, '/1/', {
          q: '',
          types: ['grassroots', 'joint_grassroots', 'village', 'industry_federation'],
          status: 'active',
          limit: 20,
          offset: 0,
        }),
      namesByIds: (db) => orgsRepository.namesByIds(db, ['1', '3']),
      countChildren: (db) => orgsRepository.countChildren(db, '1', 'active'),
      countDescendants: (db) => orgsRepository.countDescendants(db, '/1/'),
      nextId: (db) => orgsRepository.nextId(db),
      insert: (db) => orgsRepository.insert(db, { id: '999999', parent_id: '1', path: '/1/999999/', depth: 1, type: 'industry_federation', name: '快照测试' }),
      update: (db) => orgsRepository.update(db, '3', 1, { name: '改名' }),
      rewriteSubtree: (db) => orgsRepository.rewriteSubtree(db, '/1/3/', '/1/5/3/', 1),
      rewritePathPrefix: (db) => orgsRepository.rewritePathPrefix(db, 'memberships', 'org_path', '/1/3/', '/1/5/3/'),
      rewriteCopiedPaths: (db) => orgsRepository.rewriteCopiedPaths(db, '/1/3/', '/1/5/3/'),
      allPaths: (db) => orgsRepository.allPaths(db),
    });
    await expect(sqlText).toMatchFileSnapshot('../../server/src/modules/orgs/orgs.repository.sql');
  });

  it('auth', async () => {
    const sqlText = await capture({
      'accounts.findByUsername': (db) => accountsRepository.findByUsername(db, 'city_admin'),
      'accounts.findById': (db) => accountsRepository.findById(db, '1'),
      'accounts.findInScope': (db) => accountsRepository.findInScope(db, '/1/', '1'),
      'accounts.list': (db) => accountsRepository.list(db, '/1/', { q: 'admin', orgId: '1', status: 'active', limit: 20, offset: 0 }),
      'accounts.insert': (db) =>
        accountsRepository.insert(db, { username: 'snap', display_name: '快照', org_id: '1', password_hash: 'x', must_change_password: true }),
      'accounts.update': (db) => accountsRepository.update(db, '1', 1, { display_name: '改名' }),
      'accounts.claimLoginAttempt': (db) => accountsRepository.claimLoginAttempt(db, '1', { threshold: 5, now, lockUntil: now }),
      'accounts.clearFailedLogins': (db) => accountsRepository.clearFailedLogins(db, '1'),
      'accounts.recordLogin': (db) => accountsRepository.recordLogin(db, '1', now, '127.0.0.1'),
      'accounts.recentPasswordHashes': (db) => accountsRepository.recentPasswordHashes(db, '1', 5),
      'accounts.addPasswordHistory': (db) => accountsRepository.addPasswordHistory(db, '1', 'h', 5),
      'accounts.rolesOf': (db) => accountsRepository.rolesOf(db, ['1']),
      'accounts.roleOrgsOf': (db) => accountsRepository.roleOrgsOf(db, '1'),
      'accounts.summary': (db) => accountsRepository.summary(db, '/1/', now),
      'accounts.locked': (db) => accountsRepository.locked(db, '/1/', now, 5),
      'accounts.setRoles': (db) => accountsRepository.setRoles(db, '1', ['1']),
      'accounts.rolesDefinedOutside': (db) => accountsRepository.rolesDefinedOutside(db, '/1/3/'),
      'accounts.removeRoles': (db) => accountsRepository.removeRoles(db, '1', ['1']),
      'roles.listVisible': (db) => rolesRepository.listVisible(db, '/1/'),
      'roles.findVisible': (db) => rolesRepository.findVisible(db, '/1/', '1'),
      'roles.findVisibleMany': (db) => rolesRepository.findVisibleMany(db, '/1/', ['1', '2']),
      'roles.holdersOutside': (db) => rolesRepository.holdersOutside(db, '1', '/1/'),
      'roles.findByCode': (db) => rolesRepository.findByCode(db, 'leader'),
      'roles.insert': (db) => rolesRepository.insert(db, { code: 'snap_role', name: '快照角色', description: '', permissions: ['org:read'], org_id: '1' }),
      'roles.update': (db) => rolesRepository.update(db, '1', { name: '改名' }),
      'roles.delete': (db) => rolesRepository.delete(db, '999999'),
      'sessions.insert': (db) =>
        sessionsRepository.insert(db, {
          id: 'snap',
          subject_type: 'staff',
          account_id: '1',
          worker_id: null,
          csrf_token: 'c',
          ip: null,
          user_agent: null,
          created_at: now,
          last_seen_at: now,
          expires_at: now,
          ended_at: null,
          end_reason: null,
        }),
      'sessions.findLiveWorker': (db) => sessionsRepository.findLiveWorker(db, 'snap'),
      'sessions.findLiveStaff': (db) => sessionsRepository.findLiveStaff(db, 'snap'),
      'sessions.findLiveWorker+touch': (db) => sessionsRepository.findLiveWorker(db, 'snap', { at: now, idleSince: now, touchBefore: now }),
      'sessions.findLiveStaff+touch': (db) => sessionsRepository.findLiveStaff(db, 'snap', { at: now, idleSince: now, touchBefore: now }),
      'sessions.end': (db) => sessionsRepository.end(db, 'snap', now, 'logout'),
      'sessions.endAllOfAccount': (db) => sessionsRepository.endAllOfAccount(db, '1', now, 'account_disabled'),
      'sessions.endOthersOfAccount': (db) => sessionsRepository.endOthersOfAccount(db, '1', 'snap', now, 'password_changed'),
      'sessions.listLiveStaff': (db) => sessionsRepository.listLiveStaff(db, '/1/', { accountId: '1', now, idleSince: now, limit: 20, offset: 0 }),
      'sessions.findStaffInScope': (db) => sessionsRepository.findStaffInScope(db, '/1/', 'snap'),
      'workers.findByPhoneIndex': (db) => workersRepository.findByPhoneIndex(db, 'bidx'),
      'workers.findById': (db) => workersRepository.findById(db, '1'),
      'workers.upsertByPhone': (db) => workersRepository.upsertByPhone(db, { phone_enc: 'e', phone_bidx: 'b', phone_masked: 'm', last_login_at: now }),
      'smsCodes.countSince': (db) => smsCodesRepository.countSince(db, { phoneBidx: 'b', ip: '127.0.0.1', since: now }),
      'smsCodes.latest': (db) => smsCodesRepository.latest(db, 'b', 'worker_login'),
      'smsCodes.insert': (db) =>
        smsCodesRepository.insert(db, { phone_bidx: 'b', purpose: 'worker_login', code_hash: 'h', ip: '127.0.0.1', created_at: now, expires_at: now }),
      'smsCodes.lockPhone': (db) => smsCodesRepository.lockPhone(db, 'b'),
      'smsCodes.spend': (db) => smsCodesRepository.spend(db, { phoneBidx: 'b', purpose: 'worker_login', codeHash: 'h', at: now, maxAttempts: 5 }),
    });
    await expect(sqlText).toMatchFileSnapshot('../../server/src/modules/auth/auth.repository.sql');
  });

  it('audit', async () => {
    const sqlText = await capture({
      lockChain: (db) => auditRepository.lockChain(db),
      tryLockChain: (db) => auditRepository.tryLockChain(db, 16),
      lockAnchoring: (db) => auditRepository.lockAnchoring(db),
      head: (db) => auditRepository.head(db),
      nextId: (db) => auditRepository.nextId(db),
      list: (db) =>
        auditRepository.list(
          db,
          { orgPath: '/1/', includeUnscoped: true },
          { action: 'org', actor: 'admin', outcome: 'success', from: now, to: now, limit: 20, offset: 0 },
        ),
      recent: (db) => auditRepository.recent(db, { orgPath: '/1/', includeUnscoped: true }, { outcome: 'failure', since: now, limit: 8 }),
      latestOfAction: (db) => auditRepository.latestOfAction(db, 'audit.verify'),
      batchAfter: (db) => auditRepository.batchAfter(db, '10', 2000),
      deferredBatchAfter: (db) => auditRepository.deferredBatchAfter(db, '10', 2000),
      hasUnsealed: (db) => auditRepository.hasUnsealed(db),
      unsealed: (db) => auditRepository.unsealed(db, 1000),
      sealerLag: (db) => auditRepository.sealerLag(db),
      seal: (db) => auditRepository.seal(db, [{ id: '1', prev_hash: '0'.repeat(64), hash: 'a'.repeat(64), seq: '1' }]).catch(() => 0),
      headsForAnchor: (db) => auditRepository.headsForAnchor(db),
      legacyHeads: (db) => auditRepository.legacyHeads(db),
      lastUnkeyedRows: (db) => auditRepository.lastUnkeyedRows(db),
      insertLegacyHeads: (db) =>
        auditRepository.insertLegacyHeads(db, [{ chain: 0, last_id: '1', last_seq: null, last_hash: 'a'.repeat(64), mac: 'b'.repeat(64) }]),
    });
    await expect(sqlText).toMatchFileSnapshot('../../server/src/modules/audit/audit.repository.sql');
  });

  it('audit targets', async () => {
    const sqlText = await capture({
      names: (db) =>
        auditTargetsRepository.names(db, [
          { type: 'account', id: '1' },
          { type: 'org', id: '1' },
          { type: 'membership', id: '1' },
        ]),
    });
    await expect(sqlText).toMatchFileSnapshot('../../server/src/modules/audit/audit.targets.repository.sql');
  });

  it('members', async () => {
    const person = {
      id_type: 'resident_id' as const,
      id_enc: 'e',
      id_bidx: 'snap-bidx',
      id_last4: '1234',
      id_masked: '3299**********1234',
      name: '快照',
      name_initials: 'kz',
      name_pinyin: 'kuaizhao',
      sex: 'M' as const,
      birth_date: '1990-01-01',
      ethnicity: null,
      phone_enc: 'p',
      phone_bidx: 'pb',
      phone_masked: '139****0000',
      education: null,
      political_status: null,
      hukou_type: null,
      hukou_region: null,
      emergency_contact_name: null,
      emergency_contact_phone_enc: null,
      emergency_contact_phone_masked: null,
      worker_id: null,
    };
    const sqlText = await capture({
      personByIdIndex: (db) => membersRepository.personByIdIndex(db, 'b'),
      personById: (db) => membersRepository.personById(db, '1'),
      personByIdIndexForUpdate: (db) => membersRepository.personByIdIndexForUpdate(db, 'b'),
      insertPersonIfAbsent: (db) => membersRepository.insertPersonIfAbsent(db, person),
      updateIdentity: (db) => membersRepository.updateIdentity(db, '1', { name: '张三', name_initials: 'zs', name_pinyin: 'zhangsan' }),
      setMemberNo: (db) => membersRepository.setMemberNo(db, '1', '320981260000001'),
      setWorker: (db) => membersRepository.setWorker(db, '1', null),
      linkWorkerIfFree: (db) => membersRepository.linkWorkerIfFree(db, '1', '1'),
      personsByWorker: (db) => membersRepository.personsByWorker(db, '1'),
      peopleByPhone: (db) => membersRepository.peopleByPhone(db, 'pb'),
      rollRecordByIdIndex: (db) => membersRepository.rollRecordByIdIndex(db, 'b'),
      nextMemberSeq: (db) => membersRepository.nextMemberSeq(db, '32098126'),
      setModelWorker: (db) => membersRepository.setModelWorker(db, '1', true),
      liveMembership: (db) => membersRepository.liveMembership(db, '1'),
      membershipForUpdate: (db) => membersRepository.membershipForUpdate(db, '1'),
      updateMembership: (db) => membersRepository.updateMembership(db, '1', 1, { status: 'retained' }),
      membershipInScope: (db) => membersRepository.membershipInScope(db, '/1/', '1'),
      sensitiveOf: (db) => membersRepository.sensitiveOf(db, '1').catch(() => null),
      // The roll's search shapes (decision 012; their plans at a million members are in the decision).
      'roll (surname, county scope, default order)': (db) =>
        membersRepository.roll(db, '/1/2/', { status: ['active', 'retained'], search: { kind: 'name', value: '王' }, limit: 20, offset: 0 }),
      'roll (full name)': (db) => membersRepository.roll(db, '/1/', { search: { kind: 'name', value: '王建国' }, limit: 20, offset: 0 }),
      'roll (one pinyin letter)': (db) => membersRepository.roll(db, '/1/', { search: { kind: 'pinyin', value: 'w' }, limit: 20, offset: 0 }),
      'roll (two letters of initials)': (db) => membersRepository.roll(db, '/1/', { search: { kind: 'pinyin', value: 'wj' }, limit: 20, offset: 0 }),
      'roll (initials)': (db) => membersRepository.roll(db, '/1/', { search: { kind: 'pinyin', value: 'wjg' }, limit: 20, offset: 0 }),
      'roll (pinyin initials or full pinyin)': (db) =>
        membersRepository.roll(db, '/1/', { search: { kind: 'pinyin', value: 'wangjianguo' }, limit: 20, offset: 0 }),
      'roll (phone)': (db) => membersRepository.roll(db, '/1/', { search: { kind: 'phone', bidx: 'b' }, limit: 20, offset: 0 }),
      'roll (last four of the ID or the phone)': (db) => membersRepository.roll(db, '/1/', { search: { kind: 'last4', value: '1234' }, limit: 20, offset: 0 }),
      'roll (sort by join date, page 3)': (db) => membersRepository.roll(db, '/1/', { sort: 'joined_asc', limit: 20, offset: 40 }),
      'roll (filters, sort by name)': (db) =>
        membersRepository.roll(db, '/1/', {
          employmentForm: 'courier',
          joinedFrom: '2026-01-01',
          joinedTo: '2026-12-31',
          isMigrantWorker: true,
          orgId: '1',
          sort: 'name',
          limit: 20,
          offset: 0,
        }),
      rollEstimate: (db) => membersRepository.rollEstimate(db, '/1/', { employmentForm: 'courier', isMigrantWorker: true, limit: 20, offset: 0 }),
      events: (db) => membersRepository.events(db, '1'),
      countLiveInOrg: (db) => membersRepository.countLiveInOrg(db, '1', ['active']),
      figures: (db) => membersRepository.figures(db, '/1/', '2026-01-01'),
    });
    await expect(sqlText).toMatchFileSnapshot('../../server/src/modules/members/members.repository.sql');
  });

  it('members edit', async () => {
    const sqlText = await capture({
      membershipInScopeForUpdate: (db) => membersEditRepository.membershipInScopeForUpdate(db, '/1/', '1'),
      personForUpdate: (db) => membersEditRepository.personForUpdate(db, '1'),
      updatePerson: (db) => membersEditRepository.updatePerson(db, '1', { name: '张三', name_initials: 'zs', name_pinyin: 'zhangsan' }).catch(() => null),
      updateMembership: (db) => membersEditRepository.updateMembership(db, '1', 1, { employer_name: '某公司' }),
      otherPersonWithPhone: (db) => membersEditRepository.otherPersonWithPhone(db, 'bidx', '1'),
      otherPersonWithId: (db) => membersEditRepository.otherPersonWithId(db, 'bidx', '1'),
      workerWithPhone: (db) => membersEditRepository.workerWithPhone(db, 'bidx'),
    });
    await expect(sqlText).toMatchFileSnapshot('../../server/src/modules/members/members.edit.repository.sql');
  });

  it('joining', async () => {
    const sqlText = await capture({
      byIdempotencyKey: (db) => joiningRepository.byIdempotencyKey(db, '1', 'k'),
      openWithSameId: (db) => joiningRepository.openWithSameId(db, 'b', '1'),
      byPartnerRef: (db) => joiningRepository.byPartnerRef(db, '1', 'ref'),
      byId: (db) => joiningRepository.byId(db, '1'),
      inScope: (db) => joiningRepository.inScope(db, '/1/', '1'),
      update: (db) => joiningRepository.update(db, '1', 1, { status: 'rejected', reject_reason: 'x' }),
      list: (db) =>
        joiningRepository.list(db, '/1/', {
          status: 'pending',
          overdueAt: new Date('2026-11-21T00:00:00Z'),
          campaignId: '1',
          orgId: '1',
          limit: 20,
          offset: 0,
        }),
      'list (release queue)': (db) => joiningRepository.list(db, '/1/', { releaseQueue: true, limit: 20, offset: 0 }),
      ofWorker: (db) => joiningRepository.ofWorker(db, '1'),
      counts: (db) => joiningRepository.counts(db, '/1/', new Date('2026-11-21T00:00:00Z')),
      pendingSummary: (db) => joiningRepository.pendingSummary(db, '/1/', new Date('2026-11-21T00:00:00Z'), new Date('2026-11-24T00:00:00Z')),
      campaignsInScope: (db) => joiningRepository.campaignsInScope(db, '/1/', { limit: 20, offset: 0 }),
      campaignInScope: (db) => joiningRepository.campaignInScope(db, '/1/', '1'),
      campaignByToken: (db) => joiningRepository.campaignByToken(db, 'token'),
      countScan: (db) => joiningRepository.countScan(db, '1'),
      campaignStats: (db) => joiningRepository.campaignStats(db, '1'),
      workerPhone: (db) => joiningRepository.workerPhone(db, '1'),
      submissionTarget: (db) => joiningRepository.submissionTarget(db, '1', 'pb'),
      'submitForWorker (checks, consent, message, deferred audit row)': (db) => {
        const at = new Date('2026-11-21T00:00:00Z');
        return joiningRepository.submitForWorker(
          db,
          { workerId: '1', idempotencyKey: 'k', targetOrgId: '1', within: null, transfer: false, ready: true, memberUnionTypes: ['grassroots'] },
          {
            ...SAMPLE_APPLICANT,
            campaign_id: null,
            channel: 'h5',
            details: '{"employmentForm":"courier"}',
            transfer_from_membership_id: null,
            worker_id: '1',
            partner_id: null,
            partner_ref: null,
            idempotency_key: 'k',
            submitted_at: at,
            due_at: at,
          },
          { text_version: 'v1', agreed_at: at, ip: '127.0.0.1' },
          [
            {
              name: 'notified',
              insert: messagesRepository.insertFrom(
                'app',
                { workerId: '1' },
                { title: 't', body: joiningRepository.withTargetName('b', 'a'), link: null, category: 'join' },
              ),
            },
          ],
        );
      },
      'submit (worker: consent, message, deferred audit row)': (db) => {
        const at = new Date('2026-11-21T00:00:00Z');
        return joiningRepository.submit(
          db,
          {
            ...SAMPLE_APPLICANT,
            target_org_path: '/1/',
            campaign_id: null,
            channel: 'h5',
            details: '{"employmentForm":"courier"}',
            transfer_from_membership_id: null,
            worker_id: null,
            partner_id: null,
            partner_ref: null,
            idempotency_key: null,
            submitted_at: at,
            due_at: at,
          },
          { worker_id: null, text_version: 'v1', agreed_at: at, ip: '127.0.0.1' },
          [
            { name: 'notified', insert: messagesRepository.insertFrom('app', { accountId: '1' }, { title: 't', body: 'b', link: null, category: 'join' }) },
            {
              name: 'audited',
              insert: auditRepository.deferredInsertFrom('app', {
                at,
                actor_type: 'worker',
                actor_id: null,
                actor_name: null,
                action: 'join.submit',
                target_type: 'join_application',
                org_id: '1',
                ip: null,
                request_id: null,
                outcome: 'success',
                detail: null,
              }),
            },
          ],
        );
      },
    });
    await expect(sqlText).toMatchFileSnapshot('../../server/src/modules/joining/joining.repository.sql');
  });

  it('messages', async () => {
    const sqlText = await capture({
      insert: (db) => messagesRepository.insert(db, { accountId: '1' }, { title: 't', body: 'b', link: null, category: 'system' }),
      page: (db) => messagesRepository.page(db, { accountId: '1' }, { unreadOnly: true, limit: 20, offset: 0 }),
      unreadCount: (db) => messagesRepository.unreadCount(db, { workerId: '1' }),
      markRead: (db) => messagesRepository.markRead(db, { workerId: '1' }, new Date('2026-11-21T00:00:00Z'), '1'),
      exists: (db) => messagesRepository.exists(db, { accountId: '1' }, '1'),
      activeStaffOf: (db) => messagesRepository.activeStaffOf(db, '21', 'application:handle'),
      insertForStaffOf: (db) => messagesRepository.insertForStaffOf(db, ['21', '22'], 'notice:read', { title: 't', body: 'b', link: null, category: 'notice' }),
      workerPhone: (db) => messagesRepository.workerPhone(db, '1'),
    });
    await expect(sqlText).toMatchFileSnapshot('../../server/src/modules/messages/messages.repository.sql');
  });

  it('members export and matching', async () => {
    const exportSql = await capture({
      count: (db) => membersExportRepository.count(db, '/1/', { status: ['active'], search: { kind: 'name', value: '张' } }),
      'page (first)': (db) => membersExportRepository.page(db, '/1/', {}, null, 2000, false),
      'page (after, full)': (db) => membersExportRepository.page(db, '/1/', { orgId: '3' }, { orgPath: '/1/3/', id: '10' }, 2000, true),
      orgNames: (db) => membersExportRepository.orgNames(db, ['1', '3']),
      liveByIdIndexes: (db) => membersExportRepository.liveByIdIndexes(db, ['a', 'b']),
    });
    await expect(exportSql).toMatchFileSnapshot('../../server/src/modules/members/members.export.repository.sql');
    const matchingSql = await capture({
      'insertList, insertRows, setCounts': async (db) => {
        const list = await matchingRepository.insertList(db, {
          org_id: '1',
          name: '名单',
          file_name: null,
          row_count: 1,
          invalid_count: 0,
          created_by: null,
          created_at: now,
          expires_at: now,
        });
        await matchingRepository.insertRows(db, list.id, [
          { row_no: 2, id_bidx: 'x', phone_bidx: null, name_masked: '张*', id_masked: null, phone_masked: null, plate_masked: null, invalid_reason: null },
        ]);
        await matchingRepository.setCounts(db, list.id, { rows: 1, invalid: 0 });
      },
      list: (db) => matchingRepository.list(db, '/1/', now, { orgId: '3', limit: 20, offset: 0 }),
      findInScope: (db) => matchingRepository.findInScope(db, '/1/', now, '1'),
      validRows: (db) => matchingRepository.validRows(db, '1', 0, 2000),
      invalidRows: (db) => matchingRepository.invalidRows(db, '1', 500),
      deleteList: (db) => matchingRepository.deleteList(db, '1'),
      deleteExpired: (db) => matchingRepository.deleteExpired(db, now),
    });
    await expect(matchingSql).toMatchFileSnapshot('../../server/src/modules/matching/matching.repository.sql');
  });
});
