import { ElMessage } from 'element-plus';

/** Copies text, telling the user the outcome. Plain-HTTP pages have no clipboard API: falls back to a selected text area. */
export async function copyText(text: string, done = '已复制'): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    if (!ok) {
      ElMessage.warning('无法自动复制，请手动选择链接复制');
      return;
    }
  }
  ElMessage.success(done);
}
