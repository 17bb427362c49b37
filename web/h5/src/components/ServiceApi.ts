// The worker side of 职工服务 (docs/api/applications.md): types of the service catalogue and of the
// worker's applications, the status tags, and the raw-body upload of an attachment.
import { api, ApiError } from '../../../shared/api';

export type FieldType = 'text' | 'textarea' | 'number' | 'amount' | 'date' | 'select' | 'id_number' | 'phone' | 'file';

export interface FormField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
  placeholder?: string;
}

export type AttachmentKind = 'image' | 'pdf';

export interface AttachmentDef {
  key: string;
  label: string;
  required: boolean;
  kinds: AttachmentKind[];
  maxCount: number;
}

export interface ServiceSummary {
  id: string;
  code: string;
  name: string;
  category: string;
  description: string;
  applicantScope: 'member' | 'worker';
  applicantScopeLabel: string;
  canApply: boolean;
  whyNot: string | null;
}

export interface ServiceDetail extends Omit<ServiceSummary, 'applicantScopeLabel'> {
  applicantScopeLabel?: string;
  form: FormField[];
  attachments: AttachmentDef[];
  steps: { key: string; name: string; levelLabel: string; kind: 'review' | 'lottery' }[];
  membership: { orgId: string; orgName: string } | null;
  needsOrg: boolean;
}

/** An uploaded file as the server describes it. */
export interface UploadedFile {
  id: string;
  name: string;
  kind: AttachmentKind;
  mime?: string;
  size: number;
  /** Set for files already on an application (GET /api/worker/attachments/:id). */
  url?: string;
}

export type ApplicationStatus = 'in_review' | 'returned' | 'approved' | 'rejected' | 'withdrawn' | 'not_selected';

export interface ApplicationSummary {
  id: string;
  no: string;
  serviceType: { id: string; code: string; name: string };
  status: ApplicationStatus;
  statusLabel: string;
  currentStep: { key: string; name: string } | null;
  submittedAt: string;
  updatedAt: string;
}

export interface TimelineEvent {
  id: string;
  action: string;
  actionLabel: string;
  stepKey: string | null;
  stepName: string | null;
  actorName: string | null;
  orgName: string | null;
  comment: string | null;
  at: string;
}

export type FieldValue = string | number;

export interface Application extends ApplicationSummary {
  org: { id: string; name: string };
  handlingOrg: { id: string; name: string } | null;
  values: Record<string, FieldValue | null>;
  form: FormField[];
  attachmentDefs: AttachmentDef[];
  steps: { key: string; name: string; levelLabel: string; kind: string; state: 'done' | 'current' | 'pending' | 'skipped' }[];
  attachments: (UploadedFile & { defKey: string; url: string })[];
  requestedAmount: string | null;
  grantedAmount: string | null;
  returnReason: string | null;
  rejectReason: string | null;
  canWithdraw: boolean;
  canResubmit: boolean;
  version: number;
  timeline: TimelineEvent[];
}

export const STATUS_TAG: Record<ApplicationStatus, 'primary' | 'warning' | 'success' | 'danger' | 'default'> = {
  in_review: 'primary',
  returned: 'warning',
  approved: 'success',
  rejected: 'danger',
  withdrawn: 'default',
  not_selected: 'default',
};

export const KIND_MIME: Record<AttachmentKind, ('image/jpeg' | 'image/png' | 'application/pdf')[]> = {
  image: ['image/jpeg', 'image/png'],
  pdf: ['application/pdf'],
};

/** The server's upload limit (docs/api/applications.md). */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

export function errorText(err: unknown, fallback = '网络连接失败，请稍后重试'): string {
  return err instanceof ApiError ? err.message : fallback;
}

/** Uploads one file as the raw request body (`POST /api/worker/attachments?name=`); the server checks its bytes. */
export async function uploadAttachment(file: File, mime: string): Promise<UploadedFile> {
  const body = file.type === mime ? file : new Blob([file], { type: mime });
  try {
    // The server refuses control, zero-width and bidi characters in any string; a phone's file name
    // is only a label, so they are dropped here rather than failing the upload (and it is cut by
    // characters, never inside a surrogate pair).
    const name = file.name.replace(
      /[\u0000-\u001f\u007f\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '',
    );
    return await api<UploadedFile>('POST', '/worker/attachments', body, { name: Array.from(name).slice(-120).join('') || '附件' });
  } catch (err) {
    if (err instanceof ApiError && err.status === 413) throw new ApiError(413, err.code, `文件不能超过 ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB`, err.fields);
    throw err;
  }
}

/** 1000 → "1,000.00 元"; the server's strings are already two-decimal 元. */
export function formatYuan(amount: string | number): string {
  const [int, dec = '00'] = String(amount).split('.');
  return `${(int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec.padEnd(2, '0').slice(0, 2)} 元`;
}
