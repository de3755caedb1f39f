import { inspectOfficeZip, type OfficeKind } from './office-zip.ts';

/** Interpretation material file types the dashboard accepts, checked by content (magic bytes), not by name. */
export type AllowedFileType = { mimeType: string; extension: string; label: string };

const PDF: AllowedFileType = { mimeType: 'application/pdf', extension: 'pdf', label: 'PDF' };
const PNG: AllowedFileType = { mimeType: 'image/png', extension: 'png', label: 'PNG' };
const JPEG: AllowedFileType = { mimeType: 'image/jpeg', extension: 'jpg', label: 'JPEG' };
const OFFICE: Record<OfficeKind, AllowedFileType> = {
  docx: {
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
    label: 'DOCX',
  },
  xlsx: {
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
    label: 'XLSX',
  },
  pptx: {
    mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extension: 'pptx',
    label: 'PPTX',
  },
};

/** The accepted types as the refusal names them. */
export const ACCEPTED_FILE_TYPES_TEXT = 'PDF、DOCX、XLSX、PPTX、PNG、JPEG';

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);
}

/** What {@link inspectUpload} found: the checked type, or why the file is refused. */
export type UploadVerdict = { type: AllowedFileType } | { refused: string };

/**
 * Checks an upload by its content: PDF, PNG and JPEG by their signatures; a ZIP only when it opens as an Office
 * document that passes {@link inspectOfficeZip} (required parts, no executables, HTML, macros or nested archives,
 * capped inflated size). Anything else (HTML, SVG, scripts, plain ZIPs, renamed executables) is refused.
 */
export async function inspectUpload(buf: Buffer): Promise<UploadVerdict> {
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { type: PDF }; // %PDF-
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { type: PNG };
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { type: JPEG };
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) {
    const verdict = await inspectOfficeZip(buf);
    return 'kind' in verdict ? { type: OFFICE[verdict.kind] } : verdict;
  }
  return { refused: 'unknown content' };
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
