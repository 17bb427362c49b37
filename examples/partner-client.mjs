// gonghui partner client (一键入会): signs requests to the partner API. Plain Node 20, no dependencies.
//
// Usage:
//   GONGHUI_URL=http://127.0.0.1:3000 GONGHUI_KEY_ID=ghk_… GONGHUI_SECRET=… node examples/partner-client.mjs
//       submits a demo driver (synthetic ID number) and prints the outcome
//   … node examples/partner-client.mjs submit application.json   submit { partnerRef, person, employment, targetOrgId? }
//   … node examples/partner-client.mjs status <partnerRef>       read the outcome (status, memberNo once approved)
//
// Signing: canonical = METHOD \n path-with-query \n timestamp \n nonce \n hex(SM3(raw body)),
// X-GH-Signature = base64url(HMAC-SM3(secret, canonical)). Send exactly the body you signed.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

/**
 * Signs one request. `body` is an object (sent as JSON), a string (sent as is) or absent.
 * Returns the headers to send and the exact body string that was signed ('' when none).
 */
export function signRequest({ method, path, body, keyId, secret, now = Date.now(), nonce = randomBytes(16).toString('hex') }) {
  const raw = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = String(Math.floor(Number(now instanceof Date ? now.getTime() : now) / 1000));
  const bodyHash = createHash('sm3').update(raw, 'utf8').digest('hex');
  const canonical = `${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`;
  const signature = createHmac('sm3', secret).update(canonical, 'utf8').digest('base64url');
  const headers = {
    'X-GH-Key': keyId,
    'X-GH-Timestamp': timestamp,
    'X-GH-Nonce': nonce,
    'X-GH-Signature': signature,
    ...(raw && { 'Content-Type': 'application/json' }),
  };
  return { headers, body: raw };
}

async function call({ baseUrl, keyId, secret, method, path, body }) {
  const signed = signRequest({ method, path, body, keyId, secret });
  const res = await fetch(new URL(path, baseUrl), { method, headers: signed.headers, ...(signed.body && { body: signed.body }) });
  const json = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(`${res.status} ${json?.error?.message ?? res.statusText}`);
    err.status = res.status;
    err.body = json;
    throw err;
  }
  return json;
}

/** Submits a join application: { partnerRef, person, employment, targetOrgId? } → { id, partnerRef, status, statusLabel }. */
export function submitJoin({ baseUrl, keyId, secret, application }) {
  return call({ baseUrl, keyId, secret, method: 'POST', path: '/api/partner/v1/join-applications', body: application });
}

/** Reads the outcome: { id, partnerRef, status, statusLabel, memberNo, rejectReason, submittedAt, reviewedAt }. */
export function getOutcome({ baseUrl, keyId, secret, partnerRef }) {
  return call({ baseUrl, keyId, secret, method: 'GET', path: `/api/partner/v1/join-applications/${encodeURIComponent(partnerRef)}` });
}

/** A synthetic resident ID (GB 11643 checksum; region 3299xx does not exist): for trying the API only. */
function demoResidentId(n) {
  const body = `329901${'19900101'}${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

async function main() {
  const baseUrl = process.env.GONGHUI_URL;
  const keyId = process.env.GONGHUI_KEY_ID;
  const secret = process.env.GONGHUI_SECRET;
  if (!baseUrl || !keyId || !secret) {
    console.error('请设置 GONGHUI_URL、GONGHUI_KEY_ID、GONGHUI_SECRET / set GONGHUI_URL, GONGHUI_KEY_ID, GONGHUI_SECRET');
    process.exit(2);
  }
  const [command, arg] = process.argv.slice(2);
  const opts = { baseUrl, keyId, secret };
  if (command === 'status' && arg) {
    console.log(JSON.stringify(await getOutcome({ ...opts, partnerRef: arg }), null, 2));
  } else if (command === 'submit' && arg) {
    const { readFile } = await import('node:fs/promises');
    const application = JSON.parse(await readFile(arg, 'utf8'));
    console.log(JSON.stringify(await submitJoin({ ...opts, application }), null, 2));
  } else if (!command) {
    const n = Math.floor(Math.random() * 1000);
    const application = {
      partnerRef: `demo-driver-${n}`,
      person: { idNumber: demoResidentId(n), name: '测试司机', phone: `139${String(80_000_000 + n)}` },
      employment: { employerName: '示例货运平台', employmentForm: 'truck_driver', isMigrantWorker: true },
    };
    console.log('submit →', JSON.stringify(await submitJoin({ ...opts, application }), null, 2));
    console.log('status →', JSON.stringify(await getOutcome({ ...opts, partnerRef: application.partnerRef }), null, 2));
  } else {
    console.error('用法 / usage: node examples/partner-client.mjs [submit <file.json> | status <partnerRef>]');
    process.exit(2);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err.message);
    if (err.body) console.error(JSON.stringify(err.body, null, 2));
    process.exit(1);
  });
}
