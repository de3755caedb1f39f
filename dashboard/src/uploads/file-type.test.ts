import { describe, expect, it } from 'vitest';
import { attachmentDisposition, detectFileType, safeFileName } from './file-type.ts';

describe('detectFileType', () => {
  it('recognises PDF, PNG, JPEG and DOCX by content', () => {
    expect(detectFileType(Buffer.from('%PDF-1.7\n'))?.mimeType).toBe('application/pdf');
    expect(detectFileType(Buffer.from('89504e470d0a1a0a00', 'hex'))?.mimeType).toBe('image/png');
    expect(detectFileType(Buffer.from('ffd8ffe000104a464946', 'hex'))?.mimeType).toBe('image/jpeg');
    const docx = Buffer.concat([
      Buffer.from('504b0304', 'hex'),
      Buffer.from('....[Content_Types].xml....word/document.xml....'),
    ]);
    expect(detectFileType(docx)?.extension).toBe('docx');
  });

  it('refuses HTML, scripts, plain ZIPs and SVG whatever their name', () => {
    expect(detectFileType(Buffer.from('<html><script>alert(1)</script>'))).toBeUndefined();
    expect(detectFileType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBeUndefined();
    expect(detectFileType(Buffer.from('504b030414000000', 'hex'))).toBeUndefined();
    expect(detectFileType(Buffer.from('MZ\x90\x00'))).toBeUndefined();
    expect(detectFileType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('file names', () => {
  it('strips paths and control characters and fixes the extension', () => {
    expect(safeFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(safeFileName('C:\\x\\政策"解读\n.pdf', 'pdf')).toBe('政策解读.pdf');
    expect(safeFileName('', 'png')).toBe('file.png');
  });

  it('builds an attachment header with an ASCII fallback and the UTF-8 name', () => {
    expect(attachmentDisposition('政策.pdf')).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''%E6%94%BF%E7%AD%96.pdf`,
    );
  });
});
