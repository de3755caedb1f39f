/** Interpretation material file types the dashboard accepts, checked by content (magic bytes), not by name. */
export type AllowedFileType = { mimeType: string; extension: string; label: string };

const PDF: AllowedFileType = { mimeType: 'application/pdf', extension: 'pdf', label: 'PDF' };
const PNG: AllowedFileType = { mimeType: 'image/png', extension: 'png', label: 'PNG' };
const JPEG: AllowedFileType = { mimeType: 'image/jpeg', extension: 'jpg', label: 'JPEG' };
const DOCX: AllowedFileType = {
  mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  extension: 'docx',
  label: 'DOCX',
};

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
}

/**
 * A DOCX is a ZIP whose entries include `word/document.xml` and `[Content_Types].xml`; any other ZIP (or a
 * renamed executable) is refused. Entry names appear in the local headers and the central directory.
 */
function isDocx(buf: Buffer): boolean {
  if (!startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return false;
  return buf.includes('word/document.xml', 0, 'latin1') && buf.includes('[Content_Types].xml', 0, 'latin1');
}

/** The detected type of `buf`, or undefined when it is none of PDF, DOCX, PNG, JPEG. */
export function detectFileType(buf: Buffer): AllowedFileType | undefined {
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return PDF; // %PDF-
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return JPEG;
  if (isDocx(buf)) return DOCX;
  return undefined;
}

/** A file name safe to echo back in Content-Disposition (no path, no control characters), at most 120 chars. */
export function safeFileName(name: string, extension: string): string {
  const base =
    name
      .replace(/^.*[\\/]/, '')
      .replace(/[\u0000-\u001f\u007f"\\]/g, '')
      .trim()
      .slice(0, 120) || 'file';
  return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}

/** Content-Disposition: attachment with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/[%;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
