// Client-side checks of a picked file before it is uploaded: the size limit and the real type,
// read from the first bytes (magic numbers), not from the name. The server checks both again.

export type SniffedType = 'image/jpeg' | 'image/png' | 'application/pdf';

/** 1.2 MB / 350 KB / 900 B. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** The type the first bytes say, or null for anything else. */
export async function sniffType(file: Blob): Promise<SniffedType | null> {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'image/png';
  if (head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) return 'application/pdf';
  return null;
}

/** 'JPG、PNG 图片或 PDF 文件' for what a slot takes. */
export function allowedText(accept: SniffedType[]): string {
  const parts = [];
  if (accept.includes('image/jpeg') || accept.includes('image/png')) parts.push('JPG、PNG 图片');
  if (accept.includes('application/pdf')) parts.push('PDF 文件');
  return parts.join('或');
}

/** A Chinese message when the file may not be uploaded, else null. */
export async function checkFile(file: File, accept: SniffedType[], maxBytes: number): Promise<string | null> {
  if (file.size === 0) return `“${file.name}”是空文件，请重新选择`;
  if (file.size > maxBytes) return `“${file.name}”有 ${formatSize(file.size)}，超过 ${formatSize(maxBytes)} 的上限，请压缩后重新上传`;
  const type = await sniffType(file);
  if (!type || !accept.includes(type)) return `“${file.name}”不是${allowedText(accept)}（按文件内容识别，改扩展名无效），请重新选择`;
  return null;
}
