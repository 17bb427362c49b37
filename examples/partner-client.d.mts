// Types for partner-client.mjs (so TypeScript callers, e.g. the tests, can import it).
export interface SignRequestInput {
  method: string;
  /** The path with its query, exactly as in the request line. */
  path: string;
  body?: unknown;
  keyId: string;
  secret: string;
  /** Milliseconds since the epoch, or a Date; default now. */
  now?: number | Date;
  /** 16-64 characters [A-Za-z0-9_-]; default 32 random hex characters. */
  nonce?: string;
}
export interface SignedRequest {
  headers: Record<string, string>;
  /** The exact body that was signed ('' when none): send this. */
  body: string;
}
export function signRequest(input: SignRequestInput): SignedRequest;

interface Connection {
  baseUrl: string;
  keyId: string;
  secret: string;
}
export interface PartnerApplication {
  id: string;
  partnerRef: string;
  status: 'pending' | 'awaiting_release' | 'approved' | 'rejected' | 'withdrawn';
  statusLabel: string;
}
export interface PartnerOutcome extends PartnerApplication {
  memberNo: string | null;
  rejectReason: string | null;
  submittedAt: string;
  reviewedAt: string | null;
}
export function submitJoin(input: Connection & { application: Record<string, unknown> }): Promise<PartnerApplication>;
export function getOutcome(input: Connection & { partnerRef: string }): Promise<PartnerOutcome>;
