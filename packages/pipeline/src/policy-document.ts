// Reading an uploaded draft policy: .docx through mammoth, .pdf through unpdf (pdf.js), plain text as UTF-8 or
// GB18030. The type is decided by the bytes, not the name, so a renamed file is read for what it is.
import { NonRetryableError } from '@yuqing/core';

/** Largest draft read, in bytes (drafts are text; a bigger file is a scan or carries attachments). */
export const MAX_POLICY_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** Longest text kept from a draft, in characters. */
export const MAX_POLICY_TEXT_CHARS = 200_000;

/** The draft types Yuqing reads. */
export type PolicyDocumentType = 'docx' | 'pdf' | 'txt';

/** Accepted types as the error message names them. */
export const POLICY_DOCUMENT_TYPES_TEXT = '.docx、.pdf、.txt';

function unsupported(detail: string): NonRetryableError {
  return new NonRetryableError(
    'UNSUPPORTED_FILE_TYPE',
    `只支持 ${POLICY_DOCUMENT_TYPES_TEXT} 格式的政策文件 (unsupported file: ${detail})`,
  );
}

/** Decodes text as UTF-8, else GB18030 (Chinese drafts saved by older Windows editors); null when neither fits. */
function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }
}

/**
 * The type of a draft from its bytes: a ZIP holding word/document.xml is .docx, `%PDF-` is .pdf, a .txt (or
 * nameless) file that decodes as UTF-8 or GB18030 without NUL bytes is .txt. Anything else (a .doc, an image, a
 * spreadsheet, an .svg) is refused with `UNSUPPORTED_FILE_TYPE`.
 */
export function detectPolicyDocumentType(bytes: Uint8Array, fileName = ''): PolicyDocumentType {
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    // A .docx names its main part in the ZIP's central directory; .xlsx and .pptx do not have word/document.xml.
    if (Buffer.from(bytes).includes('word/document.xml')) return 'docx';
    throw unsupported(`${fileName || 'ZIP'} is not a Word .docx`);
  }
  // Text is taken only when it says it is text: an .svg, .html or .csv decodes as text too, yet is no draft.
  if ((fileName === '' || /\.(txt|text)$/i.test(fileName)) && decodeText(bytes) !== null) return 'txt';
  throw unsupported(fileName || 'unknown type');
}

/** A PDF line holding only a page number, bare or between dashes. */
const PAGE_NUMBER_LINE = /^\s*[-—－]?\s*\d{1,4}\s*[-—－]?\s*$/u;
/** The word a government document's title ends with (…的意见, …的通知). */
const TITLE_END =
  /(?:意见|通知|办法|规定|决定|方案|细则|条例|批复|复函|函|规划|纲要|公告|通告|指引|说明)[（(]?[^）)]{0,12}[）)]?$/u;

/** The text of a draft policy (.docx, .pdf or .txt), line breaks between paragraphs. */
export async function readPolicyDocument(bytes: Uint8Array, fileName = ''): Promise<string> {
  if (bytes.byteLength > MAX_POLICY_DOCUMENT_BYTES)
    throw new NonRetryableError('FILE_TOO_LARGE', `政策文件超过 ${MAX_POLICY_DOCUMENT_BYTES / 1024 / 1024} MB`);
  const type = detectPolicyDocumentType(bytes, fileName);
  let text: string;
  if (type === 'docx') {
    const { default: mammoth } = await import('mammoth');
    try {
      text = (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
    } catch (error) {
      throw new NonRetryableError('UNREADABLE_DOCUMENT', `无法读取 Word 文件：${(error as Error).message}`);
    }
  } else if (type === 'pdf') {
    const { extractText, getDocumentProxy } = await import('unpdf');
    try {
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      const pages = (await extractText(pdf, { mergePages: false })).text;
      // A line that is only a number is a page's footer (- 3 -, 135): it would split the clause running over the page.
      text = pages
        .join('\n')
        .split('\n')
        .filter((line) => !PAGE_NUMBER_LINE.test(line))
        .join('\n');
    } catch (error) {
      throw new NonRetryableError('UNREADABLE_DOCUMENT', `无法读取 PDF 文件：${(error as Error).message}`);
    }
  } else {
    text = decodeText(bytes) ?? '';
  }
  text = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
  if (text.length === 0)
    throw new NonRetryableError('EMPTY_DOCUMENT', '文件中没有可读取的文字（扫描件请先做文字识别）');
  return text.slice(0, MAX_POLICY_TEXT_CHARS);
}

/**
 * The draft's title: its first short line without Markdown marks (the web copies some offices save keep them),
 * joined with the next line when that one finishes a title broken over two lines, else the file name without its
 * extension.
 */
export function policyTitle(text: string, fileName = ''): string {
  const lines = text.split('\n').slice(0, 6);
  for (const [i, line] of lines.entries()) {
    const t = line.replace(/[*#_>`]/g, '').trim();
    if (t.length >= 4 && t.length <= 80 && !/[。；]$/.test(t)) {
      // A PDF breaks a long title over two lines: the second finishes it with 意见, 通知 ….
      const next = (lines[i + 1] ?? '').trim();
      if (!TITLE_END.test(t) && TITLE_END.test(next) && t.length + next.length <= 80 && !/[。；：:]/.test(next))
        return t + next;
      return t;
    }
  }
  return fileName.replace(/\.[^.]+$/, '') || '政策文件';
}
