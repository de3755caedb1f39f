import iconv from 'iconv-lite';
import jschardet from 'jschardet';

/** Bytes scanned for a `<meta charset>` or XML declaration; HTML5 says the declaration sits in the first 1024. */
const DECLARATION_SCAN_BYTES = 4096;
/** Bytes given to the byte-level detector: enough for a confident guess, cheap on 5 MB pages. */
const DETECTOR_SAMPLE_BYTES = 64 * 1024;

/** How the charset used for decoding was chosen. */
export type EncodingEvidence = 'bom' | 'utf8-valid' | 'header' | 'meta' | 'xml-declaration' | 'detected' | 'ascii';

/** A decoded document. */
export interface DecodedText {
  text: string;
  /** Decoder used, normalised: `utf-8`, `gb18030` (for GB2312/GBK/GB18030), `big5`, `utf-16le`, … */
  encoding: string;
  evidence: EncodingEvidence;
  /** What the server or document claimed, if anything (lower case). */
  declared?: string;
  /** True when a declaration existed and the content contradicted it. */
  declarationLied: boolean;
}

/**
 * Frequent Chinese characters (simplified and traditional). Scoring a trial decoding by how many of its
 * characters are common tells GBK from Big5 when the bytes are valid in both: a wrong guess yields rare glyphs.
 */
const COMMON_HANZI = new Set(
  Array.from(
    '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切敢愿欢' +
      '們這個來說為國會時學對過後麼還發當實從兩長現樣將與點開問頭進種裡體電東動經業區處應關認資話聽讓氣張親專傳預協鄉報參單險勞壓雙職辦養醫療記時間歲們產務員機構轉條設級統價標準際廣灣門車書無見網縣鎮們費種貧農給護險醫藥護農總領導議論聯讀變題調響顯場聲臺灣視頻爾嗎邊',
  ),
);

/** Encodings the crawler decodes, keyed by the labels sites use. GB2312 and GBK pages are decoded as GB18030, their superset. */
function normaliseLabel(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (!l) return undefined;
  if (['utf8', 'utf-8', 'unicode-1-1-utf-8'].includes(l)) return 'utf-8';
  if (
    [
      'gb2312',
      'gbk',
      'gb18030',
      'x-gbk',
      'gb_2312-80',
      'gb_2312',
      'cp936',
      'euc-cn',
      'csgb2312',
      'chinese',
      'windows-936',
      'hz-gb-2312',
    ].includes(l)
  )
    return 'gb18030';
  if (['big5', 'big5-hkscs', 'x-x-big5', 'cn-big5', 'csbig5', 'cp950'].includes(l)) return 'big5';
  if (['utf-16', 'utf-16le', 'ucs-2'].includes(l)) return 'utf-16le';
  if (l === 'utf-16be') return 'utf-16be';
  if (['iso-8859-1', 'latin1', 'us-ascii', 'ascii', 'windows-1252', 'cp1252'].includes(l)) return 'windows-1252';
  return iconv.encodingExists(l) ? l : undefined;
}

/** The charset parameter of a Content-Type header. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return match?.[1]?.toLowerCase();
}

/** `<meta charset>`, `<meta http-equiv content="…charset=…">` or `<?xml … encoding="…"?>` in the first bytes. */
export function sniffDeclaredCharset(
  bytes: Uint8Array,
): { charset: string; from: 'meta' | 'xml-declaration' } | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, DECLARATION_SCAN_BYTES)).toString(
    'latin1',
  );
  const xml = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml?.[1]) return { charset: xml[1].toLowerCase(), from: 'xml-declaration' };
  const meta = /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  if (meta?.[1]) return { charset: meta[1].toLowerCase(), from: 'meta' };
  return undefined;
}

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/**
 * The text when the bytes are strictly valid UTF-8 (any GBK/Big5 text of more than a couple of characters fails),
 * else undefined. Returns the strict decoding itself, so valid pages are decoded once, not checked then decoded.
 */
function strictUtf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // A page cut at the size limit may end inside a multi-byte sequence: judge everything but the tail.
    if (bytes.length > 8) {
      try {
        strictUtf8.decode(bytes.subarray(0, lastCharBoundary(bytes)));
        return decodeWith(bytes, 'utf-8');
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

function lastCharBoundary(bytes: Uint8Array): number {
  let end = bytes.length;
  for (let i = 0; i < 4 && end > 0; i++) {
    const b = bytes[end - 1]!;
    if (b < 0x80) break;
    end--;
    if (b >= 0xc0) break;
  }
  return end;
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

/**
 * Plausibility of a trial decoding: share of CJK characters that are common, minus replacement characters.
 * Higher is better; comparable across candidates for the same bytes.
 */
export function decodingScore(text: string): number {
  let cjk = 0;
  let common = 0;
  let bad = 0;
  const limit = Math.min(text.length, DETECTOR_SAMPLE_BYTES);
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) bad++;
    else if (c >= 0x4e00 && c <= 0x9fff) {
      cjk++;
      if (COMMON_HANZI.has(text[i]!)) common++;
    } else if ((c >= 0xe000 && c <= 0xf8ff) || (c >= 0x3400 && c <= 0x4dbf)) bad += 0.5; // private use / rare extension A: typical of a wrong guess
  }
  if (cjk === 0) return -bad;
  return common / cjk - (4 * bad) / Math.max(cjk, 1);
}

function detectorGuess(bytes: Uint8Array): string | undefined {
  const sample = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, DETECTOR_SAMPLE_BYTES));
  const guess = jschardet.detect(sample);
  return normaliseLabel(guess.encoding ?? undefined);
}

/**
 * Decodes a response body. Order of evidence: BOM; strictly valid UTF-8 with non-ASCII bytes (content wins over
 * any declaration, since legacy CJK text is practically never valid UTF-8); the declaration (header, then
 * `<meta>`/XML declaration) when the trial decoding is plausible; otherwise byte-level detection (jschardet plus a
 * frequent-character score over GB18030 and Big5 trial decodings).
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedText {
  const headerLabel = charsetFromContentType(contentType);
  const sniffed = sniffDeclaredCharset(bytes);
  const declaredRaw = headerLabel ?? sniffed?.charset;
  const declared = normaliseLabel(headerLabel) ?? normaliseLabel(sniffed?.charset);
  const declaredFrom: EncodingEvidence =
    headerLabel && normaliseLabel(headerLabel) ? 'header' : (sniffed?.from ?? 'header');
  const base = declaredRaw === undefined ? {} : { declared: declaredRaw };

  const bom = bomEncoding(bytes);
  if (bom) {
    const text = decodeWith(bytes.subarray(bom.length), bom.encoding);
    return {
      text,
      encoding: bom.encoding,
      evidence: 'bom',
      ...base,
      declarationLied: declared !== undefined && declared !== bom.encoding,
    };
  }
  if (isAscii(bytes)) {
    return {
      text: Buffer.from(bytes).toString('latin1'),
      encoding: declared && declared !== 'utf-16le' && declared !== 'utf-16be' ? declared : 'utf-8',
      evidence: 'ascii',
      ...base,
      declarationLied: false,
    };
  }
  const utf8 = strictUtf8Text(bytes);
  if (utf8 !== undefined) {
    return {
      text: utf8,
      encoding: 'utf-8',
      evidence: 'utf8-valid',
      ...base,
      declarationLied: declared !== undefined && declared !== 'utf-8' && declared !== 'windows-1252',
    };
  }
  // Not UTF-8: weigh the declaration against the content.
  const candidates = new Map<string, string>();
  if (declared && declared !== 'utf-8') candidates.set(declared, decodeWith(bytes, declared));
  const guess = detectorGuess(bytes);
  for (const enc of [guess, 'gb18030', 'big5']) {
    if (enc && enc !== 'utf-8' && !candidates.has(enc)) candidates.set(enc, decodeWith(bytes, enc));
  }
  // UTF-8 with a few broken sequences (a truncated upload, a bad byte) still reads best as UTF-8, with U+FFFD
  // where the bytes were broken; legacy CJK decoded as UTF-8 is almost all U+FFFD and scores far below.
  candidates.set('utf-8', decodeWith(bytes, 'utf-8'));
  let best: { enc: string; text: string; score: number } | undefined;
  for (const [enc, text] of candidates) {
    // The declaration gets a small bonus: it only loses when the content clearly reads better another way.
    const score = decodingScore(text) + (enc === declared ? 0.15 : 0) + (enc === guess ? 0.05 : 0);
    if (!best || score > best.score) best = { enc, text, score };
  }
  const chosen = best ?? { enc: 'gb18030', text: decodeWith(bytes, 'gb18030'), score: 0 };
  const evidence: EncodingEvidence = declared === chosen.enc ? declaredFrom : 'detected';
  return {
    text: chosen.text,
    encoding: chosen.enc,
    evidence,
    ...base,
    declarationLied: declared !== undefined && declared !== chosen.enc,
  };
}
