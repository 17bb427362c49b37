// The audit trail in people's words: a Chinese label for every action string the server writes, and
// for every kind of object a row names. Pure data (no imports), read by the audit list (server) and by
// the console's 审计日志 filter (web/admin imports this file). `audit.labels.unit.test.ts` scans
// server/src and fails when an action the code writes has no label here.

export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  // sign-in and accounts
  'auth.login': '登录',
  'auth.logout': '退出登录',
  'auth.password_change': '修改密码',
  'worker.login': '职工登录',
  'account.create': '新建账号',
  'account.update': '编辑账号',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'account.unlock': '解锁账号',
  'account.reset_password': '重置密码',
  // refusals by the 三员 duty matrix (`${target.type}.${action}`, duty-guard.ts)
  'account.grant': '分配角色',
  'account.edit': '修改账号信息',
  'account.end_session': '强制下线',
  'account.define_role': '维护角色',
  'role.create': '新建角色',
  'role.update': '编辑角色',
  'role.delete': '删除角色',
  'role.define_role': '维护角色',
  'session.revoke': '强制下线',
  'audit.verify': '校验审计日志',
  // organisations
  'org.create': '新增组织',
  'org.update': '编辑组织',
  'org.move': '移动组织',
  'org.dissolve': '撤销组织',
  // the roll
  'member.reveal': '查看会员完整信息',
  'member.export': '导出会员名册',
  'member.export_full': '导出会员名册（完整信息）',
  'member.import': '批量导入会员',
  'member.import.errors': '下载导入错误报告',
  'member.identity_change': '更正会员身份信息',
  'member.link_worker': '关联职工账号',
  'member.retain': '保留会籍',
  'member.restore': '恢复会籍',
  'member.leave': '办理离会',
  'member.add': '新增会员',
  'member.edit': '修改会员信息',
  'member.correct_identity': '更正会员姓名或证件号码',
  'member.transfer': '办理会籍转接',
  // the worker's own changes from the H5 (modules/profile)
  'member.change_request': '提交信息变更申请',
  'member.change_withdraw': '撤回信息变更申请',
  'member.change_approve': '信息变更审核通过',
  'member.change_refuse': '信息变更审核不通过',
  'worker.phone_change': '职工更换手机号',
  'worker.close': '职工注销账号',
  // joining
  'join.submit': '提交入会申请',
  'join.withdraw': '撤回入会申请',
  'join.approve': '入会审核通过',
  'join.reject': '入会审核不通过',
  'join.release': '办理会籍转出',
  'campaign.create': '新建入会活动',
  'partner.create': '新建合作平台',
  'partner.disable': '停用合作平台',
  'partner.enable': '启用合作平台',
  'partner.rotate_secret': '更换合作平台密钥',
  'partner.auth': '合作平台签名校验',
  'match_list.create': '上传比对名单',
  'match_list.delete': '删除比对名单',
  'match_list.expire': '比对名单到期清除',
  'match_list.export_not_yet': '导出未入会人员',
  // services
  'service_type.create': '新建服务事项',
  'service_type.update': '编辑服务事项',
  'service_type.disable': '停用服务事项',
  'service_type.enable': '启用服务事项',
  'application.submit': '提交服务申请',
  'application.submit_on_behalf': '代为提交服务申请',
  'application.resubmit': '补正后重新提交',
  'application.withdraw': '撤回服务申请',
  'application.approve': '审批通过',
  'application.return': '退回补正',
  'application.reject': '审批不予通过',
  'application.transfer': '转办',
  'application.lottery': '名额抽签',
  'application.remind': '超期提醒',
  'application.batch_approve': '批量通过服务申请',
  'application.export': '导出服务申请',
  'application.attachment_upload': '上传申请材料',
  'application.attachment_expire': '清理未使用的材料',
  // hardship files (`hardship.${action}`, hardship.service.ts HARDSHIP_ACTIONS)
  'hardship.submit': '提交建档申请',
  'hardship.edit': '修改困难职工档案',
  'hardship.first_approve': '基层初审通过',
  'hardship.first_reject': '基层初审驳回',
  'hardship.visit': '入户核实',
  'hardship.county_approve': '县级审核通过',
  'hardship.county_reject': '县级审核驳回',
  'hardship.objection_upheld': '公示异议成立',
  'hardship.objection_dismissed': '公示异议不成立',
  'hardship.establish': '建档',
  'hardship.review_continue': '年度复核：继续帮扶',
  'hardship.review_close': '年度复核：解困脱困',
  'hardship.aid': '发放帮扶资金',
  'hardship.pairing': '结对帮扶',
  'hardship.pairing_visit': '结对走访',
  'hardship.reveal': '查看档案完整信息',
  'hardship.export': '导出困难职工档案',
  'hardship.remind': '年度复核提醒',
  // aid funds
  'aid.budget.create': '新建资金预算',
  'aid.budget.adjust': '调整资金预算',
  'aid.disburse': '发放帮扶资金',
  'aid.reverse': '冲正发放记录',
  'aid.ledger.export': '导出资金台账',
  // activities
  'activity.create': '新建活动',
  'activity.update': '编辑活动',
  'activity.publish': '发布活动',
  'activity.close': '结束报名',
  'activity.cancel': '取消活动',
  'activity.draw': '活动抽签',
  'activity.enroll': '活动报名',
  'activity.enroll.cancel': '取消报名',
  'activity.enroll.review': '审核报名',
  'activity.enroll.promote': '候补转正',
  'activity.enroll.attendance': '登记出勤',
  'activity.roster.export': '导出报名名单',
  'activity.certificate.issue': '颁发证书',
  'activity.childcare.attendance': '暑托班考勤',
  'activity.contest.round': '竞赛轮次',
  'activity.contest.scores': '录入竞赛成绩',
  'activity.contest.score_sheet': '导出成绩表',
  'activity.quiz.import': '导入题库',
  'activity.quiz.start': '开始答题',
  'activity.quiz.submit': '提交答卷',
  'activity.training.session': '新建培训场次',
  'activity.training.checkin': '培训签到',
  // working calendar
  'holiday.add': '新增节假日',
  'holiday.remove': '删除节假日',
};

/** The objects audit rows point at (`target_type`). */
export const AUDIT_TARGET_LABELS: Readonly<Record<string, string>> = {
  account: '账号',
  role: '角色',
  session: '会话',
  org: '组织',
  worker: '职工',
  person: '人员',
  membership: '会员',
  member_change_request: '信息变更申请',
  member_roll: '会员名册',
  join_application: '入会申请',
  campaign: '入会活动',
  partner: '合作平台',
  import_job: '导入任务',
  match_list: '比对名单',
  service_type: '服务事项',
  application: '服务申请',
  application_attachment: '申请材料',
  hardship_file: '困难职工档案',
  hardship_family_member: '家庭成员',
  aid_budget: '资金预算',
  aid_disbursement: '资金发放',
  activity: '活动',
  activity_enrollment: '活动报名',
  lottery_draw: '抽签',
  training_session: '培训场次',
  holiday: '节假日',
};

/**
 * Actions written from a template (`prefix${variable}`): the values each template can take, so the
 * unit test can check every one has a label.
 */
export const AUDIT_DYNAMIC_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'member.${input.action}': ['member.retain', 'member.restore', 'member.leave'],
  'join.${input.action}': ['join.approve', 'join.reject'],
  'application.${input.action}': ['application.approve', 'application.return', 'application.reject', 'application.transfer'],
  'hardship.${t.action}': [
    'hardship.submit',
    'hardship.edit',
    'hardship.first_approve',
    'hardship.first_reject',
    'hardship.visit',
    'hardship.county_approve',
    'hardship.county_reject',
    'hardship.objection_upheld',
    'hardship.objection_dismissed',
    'hardship.establish',
    'hardship.review_continue',
    'hardship.review_close',
    'hardship.aid',
  ],
  'hardship.${action}': ['hardship.pairing', 'hardship.pairing_visit', 'hardship.visit', 'hardship.aid'],
  '${target.type}.${action}': [
    ...['create', 'grant', 'edit', 'disable', 'enable', 'reset_password', 'unlock', 'end_session'].map((a) => `account.${a}`),
    'role.define_role',
  ],
  // app.ts: the failure row of a refused write names the route itself
  '${req.method} ${req.routeOptions.url ?? req.url}': [],
};

/** The Chinese words for an action; a refused request (`POST /api/…`) is 接口访问; else the code itself. */
export function auditActionLabel(action: string): string {
  const label = AUDIT_ACTION_LABELS[action];
  if (label) return label;
  if (/^[A-Z]+ \//.test(action)) return '接口访问';
  return action;
}

/** 账号「张三」, 服务申请「SQ00000002」, or 会员 #12 where the object has no name to show. */
export function auditTargetText(type: string | null, id: string | null, name: string | null): string {
  if (!type && !id) return '—';
  const kind = type ? (AUDIT_TARGET_LABELS[type] ?? '记录') : '记录';
  if (name) return `${kind}「${name}」`;
  return id ? `${kind} #${id}` : kind;
}
