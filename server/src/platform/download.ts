// File answers: a Chinese file name (RFC 6266 / 5987 with an ASCII fallback), never cached.
import type { FastifyReply } from 'fastify';
import { XLSX_TYPE } from './spreadsheet.js';

/** `content-disposition` for a download with a Chinese file name. */
export function attachment(fileName: string, asciiFallback: string, kind: 'attachment' | 'inline' = 'attachment'): string {
  return `${kind}; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export interface Download {
  body: Buffer | Uint8Array | NodeJS.ReadableStream;
  contentType: string;
  fileName: string;
  asciiName: string;
}

/** Sends a file (or a stream) with its type and name; `private, no-store`: these files hold personal data. */
export function sendDownload(reply: FastifyReply, f: Download, kind: 'attachment' | 'inline' = 'attachment') {
  return reply
    .header('content-type', f.contentType)
    .header('content-disposition', attachment(f.fileName, f.asciiName, kind))
    .header('cache-control', 'private, no-store')
    .send(f.body);
}

/** A spreadsheet export (streamed or built), with its row count in `x-row-count` when known. */
export function sendXlsx(
  reply: FastifyReply,
  out: { fileName: string; asciiName: string; rows?: number; stream?: NodeJS.ReadableStream; buffer?: Buffer | Uint8Array },
) {
  if (out.rows !== undefined) void reply.header('x-row-count', String(out.rows));
  return sendDownload(reply, { body: (out.stream ?? out.buffer)!, contentType: XLSX_TYPE, fileName: out.fileName, asciiName: out.asciiName });
}
