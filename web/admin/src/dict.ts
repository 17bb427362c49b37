// Labels of the members / joining vocabularies (mirrors server/src/modules/members/members.schema.ts
// and joining.schema.ts), for filters and forms. Rows from the server carry their own labels.

export const EMPLOYMENT_FORMS: { value: string; label: string }[] = [
  { value: 'standard', label: '标准劳动关系' },
  { value: 'truck_driver', label: '货车司机' },
  { value: 'ride_hailing', label: '网约车司机' },
  { value: 'courier', label: '快递员' },
  { value: 'food_delivery', label: '外卖配送员' },
  { value: 'other_gig', label: '其他新就业形态' },
];

export const employmentFormLabel = (v: string) => EMPLOYMENT_FORMS.find((f) => f.value === v)?.label ?? v;

export const MEMBER_STATUSES: { value: string; label: string; tag: 'success' | 'warning' | 'info' | 'danger' }[] = [
  { value: 'active', label: '在会', tag: 'success' },
  { value: 'retained', label: '保留会籍', tag: 'warning' },
  { value: 'transferred_out', label: '已转出', tag: 'info' },
  { value: 'left', label: '已退会', tag: 'danger' },
];

export const memberStatusTag = (v: string) => MEMBER_STATUSES.find((s) => s.value === v)?.tag ?? 'info';

export const JOIN_STATUS_TAGS: Record<string, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  pending: 'primary',
  awaiting_release: 'warning',
  approved: 'success',
  rejected: 'danger',
  withdrawn: 'info',
};

export const JOIN_STATUSES: { value: string; label: string }[] = [
  { value: 'pending', label: '待审核' },
  { value: 'awaiting_release', label: '待原工会转出' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '未通过' },
  { value: 'withdrawn', label: '已撤回' },
];

export const CHANNELS: Record<string, string> = {
  h5: '手机申请',
  qr: '扫码入会',
  partner: '合作平台一键入会',
  import: '批量导入',
  staff: '工作人员录入',
  transfer: '会籍转接',
};

export const channelLabel = (v: string) => CHANNELS[v] ?? v;

export const HISTORY_TYPES: Record<string, string> = {
  join: '入会',
  transfer_out: '转出',
  transfer_in: '转入',
  retain: '保留会籍',
  restore: '恢复会籍',
  leave: '退会',
};

export const SEX_LABELS: Record<string, string> = { M: '男', F: '女' };
