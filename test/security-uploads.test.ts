// Issue #20 "Also", uploads: an Office file is opened and checked entry by entry (the probe zip with run.exe and
// evil.html and the required names only in its comment, a 1 MB file inflating to 1 GiB, a directory that lies about
// sizes), and RFC 5987 `filename*` names come out right.
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, seedIssue, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

/** One entry of a hand-built ZIP: stored bytes, or raw-deflate bytes with the inflated size and CRC they stand for. */
interface ZipEntry {
  name: string;
  data?: Buffer;
  deflated?: { bytes: Buffer; size: number; crc: number };
  /** Written into the headers instead of the real inflated size (a lying directory). */
  declaredSize?: number;
}

/**
 * Writes a ZIP by the format (APPNOTE 4.3): local headers, data, central directory, end record. Hand-built so a
 * test can make what no zipper makes: a 1 GiB entry from repeated deflate blocks, a directory that lies.
 */
function buildZip(entries: ZipEntry[], comment = ''): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.deflated ? 8 : 0;
    const body = e.deflated ? e.deflated.bytes : (e.data ?? Buffer.alloc(0));
    const size = e.declaredSize ?? (e.deflated ? e.deflated.size : body.length);
    const crc = e.deflated ? e.deflated.crc : crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt16LE(0x21, 14);
    dir.writeUInt32LE(crc >>> 0, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(dir, name);
    offset += local.length + name.length + body.length;
  }
  const dirBytes = Buffer.concat(central);
  const commentBytes = Buffer.from(comment, 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...parts, dirBytes, end, commentBytes]);
}

/**
 * `totalBytes` of zeros as raw deflate, from one sync-flushed 1 MiB piece repeated (each piece ends byte-aligned and
 * only refers back to zeros) and an empty final block: 1 GiB is about 1 MB, built in milliseconds.
 */
function deflatedZeros(totalBytes: number): ZipEntry['deflated'] {
  const pieceBytes = 1024 * 1024;
  const piece = deflateRawSync(Buffer.alloc(pieceBytes), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const pieces = totalBytes / pieceBytes;
  let crc = 0;
  const zeros = Buffer.alloc(pieceBytes);
  for (let i = 0; i < pieces; i++) crc = crc32(zeros, crc);
  return {
    bytes: Buffer.concat([...Array<Buffer>(pieces).fill(piece), Buffer.from([0x03, 0x00])]),
    size: totalBytes,
    crc,
  };
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const PACKAGE: ZipEntry[] = [
  { name: '[Content_Types].xml', data: Buffer.from(`${XML}<Types/>`) },
  { name: '_rels/.rels', data: Buffer.from(`${XML}<Relationships/>`) },
];
const DOCUMENT: ZipEntry = { name: 'word/document.xml', data: Buffer.from(`${XML}<w:document/>`) };

let t: TestDashboard;
let spokesperson: ApiClient;
let responseId: number;

beforeAll(async () => {
  t = await startTestDashboard();
  spokesperson = await ApiClient.login(t.url, t.users.spokesperson);
  const { issue } = await seedIssue(t.db, { title: '养老金调整', mentions: [{ title: '养老金', body: '调整' }] });
  responseId = (await spokesperson.post('/api/responses', { issueId: issue.id, body: '口径' })).body.id as number;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

function upload(bytes: Buffer, name: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return spokesperson.request('POST', `/api/responses/${responseId}/files`, form);
}

/** A multipart body written by hand, so the Content-Disposition parameters are exactly what a client sent. */
function uploadWithDisposition(bytes: Buffer, disposition: string) {
  const boundary = '----yq-upload-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\n`, 'utf8'),
    Buffer.from('Content-Type: application/octet-stream\r\n\r\n'),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return fetch(`${t.url}/api/responses/${responseId}/files`, {
    method: 'POST',
    headers: {
      Cookie: spokesperson.cookie,
      'x-csrf-token': spokesperson.csrf,
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
  });
}

describe('Office uploads are checked by content', () => {
  it('refuses the probe: run.exe and evil.html, the required names only in the comment', async () => {
    const probe = buildZip(
      [
        { name: 'run.exe', data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) },
        { name: 'evil.html', data: Buffer.from('<html><script>alert(document.cookie)</script></html>') },
      ],
      '[Content_Types].xml _rels/.rels word/document.xml',
    );
    const res = await upload(probe, '通知.docx');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('FILE_TYPE_REFUSED');
  });

  it('refuses a 1 MB file inflating to 1 GiB, and a directory that lies about the size', async () => {
    const zeros = deflatedZeros(1024 * 1024 * 1024);
    const bomb = buildZip([...PACKAGE, DOCUMENT, { name: 'word/media/image1.png', deflated: zeros }]);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const res = await upload(bomb, 'bomb.docx');
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(/inflates to more than 64 MB/);
    const liar = buildZip([
      ...PACKAGE,
      DOCUMENT,
      { name: 'word/media/image1.png', deflated: zeros, declaredSize: 4096 },
    ]);
    const lied = await upload(liar, 'liar.docx');
    expect(lied.status).toBe(415);
    expect((await spokesperson.get(`/api/responses/${responseId}`)).body.materials).toEqual([]);
  }, 60_000);

  it('accepts a real Word package and a spreadsheet, by content', async () => {
    const docx = await upload(buildZip([...PACKAGE, DOCUMENT]), 'policy.bin');
    expect(docx.status).toBe(201);
    expect(docx.body.mimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.body.fileName).toBe('policy.bin.docx');
    const xlsx = await upload(
      buildZip([...PACKAGE, { name: 'xl/workbook.xml', data: Buffer.from(`${XML}<workbook/>`) }]),
      '待遇标准.xlsx',
    );
    expect(xlsx.status).toBe(201);
    expect(xlsx.body.fileName).toBe('待遇标准.xlsx');
  });
});

describe('upload file names', () => {
  const docx = buildZip([...PACKAGE, DOCUMENT]);

  it('decodes an RFC 5987 filename* name (政策解读.docx)', async () => {
    const res = await uploadWithDisposition(
      docx,
      `filename="policy.docx"; filename*=UTF-8''${encodeURIComponent('政策解读.docx')}`,
    );
    expect(res.status).toBe(201);
    const material = (await res.json()) as { id: number; fileName: string };
    expect(material.fileName).toBe('政策解读.docx');
    const file = await fetch(`${t.url}/api/materials/${material.id}/file`, {
      headers: { Cookie: spokesperson.cookie },
    });
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="____.docx"; filename*=UTF-8''${encodeURIComponent('政策解读.docx')}`,
    );
  });

  it('keeps a raw UTF-8 filename as browsers send it', async () => {
    const res = await uploadWithDisposition(docx, 'filename="养老保险 问答.docx"');
    expect(res.status).toBe(201);
    expect(((await res.json()) as { fileName: string }).fileName).toBe('养老保险 问答.docx');
  });
});
