import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { inspectOfficeZip, MAX_OFFICE_INFLATED_BYTES, MAX_OFFICE_ZIP_ENTRIES } from './office-zip.ts';

/** Builds a ZIP in memory the way a real zipper writes it (central directory, deflate). */
async function zip(entries: Array<[string, Buffer | string]>, comment?: string): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of entries)
    if (name.endsWith('/')) z.addEmptyDirectory(name);
    else z.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name);
  z.end({ forceZip64Format: false, comment: comment ?? '' });
  const chunks: Buffer[] = [];
  for await (const chunk of z.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const PACKAGE: Array<[string, string]> = [
  ['[Content_Types].xml', `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`],
  ['_rels/.rels', `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`],
  ['docProps/core.xml', `${XML}<cp:coreProperties/>`],
];
const docx = (...extra: Array<[string, Buffer | string]>) =>
  zip([...PACKAGE, ['word/document.xml', `${XML}<w:document><w:body/></w:document>`], ...extra]);

describe('inspectOfficeZip', () => {
  it('accepts Word, Excel and PowerPoint packages, images and directories included', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(await inspectOfficeZip(await docx(['word/media/', ''], ['word/media/image1.png', png]))).toEqual({
      kind: 'docx',
    });
    expect(await inspectOfficeZip(await zip([...PACKAGE, ['xl/workbook.xml', `${XML}<workbook/>`]]))).toEqual({
      kind: 'xlsx',
    });
    expect(await inspectOfficeZip(await zip([...PACKAGE, ['ppt/presentation.xml', `${XML}<p/>`]]))).toEqual({
      kind: 'pptx',
    });
  });

  it('refuses the issue #20 probe: an executable and a page, the required names only in the comment', async () => {
    const probe = await zip(
      [
        ['run.exe', Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(64)])],
        ['evil.html', '<html><script>alert(1)</script></html>'],
      ],
      '[Content_Types].xml word/document.xml',
    );
    expect(probe.includes('word/document.xml')).toBe(true); // the old name search was satisfied
    expect(await inspectOfficeZip(probe)).toMatchObject({ refused: expect.stringMatching(/run\.exe/) });
    const namesOnly = await zip([['notes.txt', 'hello']], '[Content_Types].xml _rels/.rels word/document.xml');
    expect(await inspectOfficeZip(namesOnly)).toMatchObject({ refused: expect.stringMatching(/missing/) });
  });

  it.each([
    ['an executable', 'word/tool.exe', Buffer.from('MZ')],
    ['an executable by content', 'word/media/image2.png', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)])],
    ['an ELF binary by content', 'customXml/item9.xml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])],
    ['HTML by name', 'word/page.htm', Buffer.from('<p>x</p>')],
    ['HTML by content', 'word/settings.xml', Buffer.from('  <!DOCTYPE html><html><script>x</script>')],
    ['a script', 'word/run.ps1', Buffer.from('Start-Process calc')],
    ['a nested archive by name', 'word/embeddings/data.zip', Buffer.from('not really')],
    ['a nested archive by content', 'word/embeddings/oleObject1.bin', Buffer.from('504b030414000000', 'hex')],
    ['a nested 7z', 'word/media/x.dat', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])],
    ['macros', 'word/vbaProject.bin', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])],
  ])('refuses a document carrying %s', async (_what, name, data) => {
    expect(await inspectOfficeZip(await docx([name, data]))).toHaveProperty('refused');
  });

  it('refuses a package whose entries inflate beyond the cap, and one with too many entries', async () => {
    const bomb = await docx(['word/media/zeros.bin', Buffer.alloc(MAX_OFFICE_INFLATED_BYTES + 1024 * 1024)]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await inspectOfficeZip(bomb)).toMatchObject({ refused: expect.stringMatching(/inflates to more than/) });
    const many = await docx(
      ...Array.from({ length: MAX_OFFICE_ZIP_ENTRIES }, (_, i): [string, string] => [`customXml/item${i}.xml`, XML]),
    );
    expect(await inspectOfficeZip(many)).toMatchObject({ refused: expect.stringMatching(/entries/) });
  }, 60_000);

  it('refuses two main parts, a missing package part, duplicates and what is no ZIP at all', async () => {
    const both = await docx(['xl/workbook.xml', `${XML}<workbook/>`]);
    expect(await inspectOfficeZip(both)).toHaveProperty('refused');
    const noRels = await zip([PACKAGE[0]!, ['word/document.xml', XML]]);
    expect(await inspectOfficeZip(noRels)).toMatchObject({ refused: expect.stringMatching(/_rels/) });
    expect(await inspectOfficeZip(Buffer.from('504b030414000000', 'hex'))).toHaveProperty('refused');
  });
});
