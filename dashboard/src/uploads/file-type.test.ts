import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, inspectUpload, safeFileName } from './file-type.ts';

async function zip(entries: Array<[string, string]>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of entries) z.addBuffer(Buffer.from(data), name);
  z.end();
  const chunks: Buffer[] = [];
  for await (const chunk of z.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('inspectUpload', () => {
  it('recognises PDF, PNG, JPEG and Office documents by content', async () => {
    expect(await inspectUpload(Buffer.from('%PDF-1.7\n'))).toMatchObject({ type: { mimeType: 'application/pdf' } });
    expect(await inspectUpload(Buffer.from('89504e470d0a1a0a00', 'hex'))).toMatchObject({
      type: { mimeType: 'image/png' },
    });
    expect(await inspectUpload(Buffer.from('ffd8ffe000104a464946', 'hex'))).toMatchObject({
      type: { mimeType: 'image/jpeg' },
    });
    const docx = await zip([
      ['[Content_Types].xml', '<?xml version="1.0"?><Types/>'],
      ['_rels/.rels', '<?xml version="1.0"?><Relationships/>'],
      ['word/document.xml', '<?xml version="1.0"?><w:document/>'],
    ]);
    expect(await inspectUpload(docx)).toMatchObject({ type: { extension: 'docx' } });
  });

  it('refuses HTML, scripts, plain ZIPs, names without a package, and SVG whatever their name', async () => {
    expect(await inspectUpload(Buffer.from('<html><script>alert(1)</script>'))).toHaveProperty('refused');
    expect(
      await inspectUpload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')),
    ).toHaveProperty('refused');
    expect(await inspectUpload(Buffer.from('504b030414000000', 'hex'))).toHaveProperty('refused');
    // The old check passed this: both names present as bytes, but no package inside.
    const fake = Buffer.concat([
      Buffer.from('504b0304', 'hex'),
      Buffer.from('....[Content_Types].xml....word/document.xml....'),
    ]);
    expect(await inspectUpload(fake)).toHaveProperty('refused');
    expect(await inspectUpload(await zip([['a.txt', 'x']]))).toHaveProperty('refused');
    expect(await inspectUpload(Buffer.from('MZ\x90\x00'))).toHaveProperty('refused');
    expect(await inspectUpload(Buffer.alloc(0))).toHaveProperty('refused');
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
