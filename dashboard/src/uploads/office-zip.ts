import yauzl from 'yauzl';

/** Entries an Office file may hold; a real .docx has tens, a large .pptx a few hundred. */
export const MAX_OFFICE_ZIP_ENTRIES = 2_000;
/** Total inflated size an Office upload may reach (the upload itself is at most 10 MB): stops zip bombs. */
export const MAX_OFFICE_INFLATED_BYTES = 64 * 1024 * 1024;
/** Bytes of each entry looked at for executable, archive and HTML signatures. */
const SNIFF_BYTES = 16;

/** The Office Open XML kinds the dashboard accepts, by the main part each must contain. */
export const OFFICE_KINDS = {
  docx: 'word/document.xml',
  xlsx: 'xl/workbook.xml',
  pptx: 'ppt/presentation.xml',
} as const;
/** An Office Open XML kind. */
export type OfficeKind = keyof typeof OFFICE_KINDS;

/** Parts every OOXML package has (ECMA-376 part 2, Open Packaging Conventions). */
const REQUIRED_PACKAGE_PARTS = ['[Content_Types].xml', '_rels/.rels'];

/** Names an Office document never needs and that run code, render as a page or hide another archive. */
const REFUSED_NAME =
  /\.(?:exe|dll|com|scr|pif|msi|msp|cpl|sys|drv|ocx|bat|cmd|ps1|psm1|vbs|vbe|js|jse|mjs|wsf|wsh|hta|lnk|reg|jar|class|sh|bash|elf|so|dylib|app|apk|html?|xhtml|shtml|mht(?:ml)?|zip|rar|7z|gz|tgz|bz2|xz|tar|cab|iso|dmg|arj|lzh|zst)$/i;

/** Content signatures refused inside the package, whatever the entry is called. */
const REFUSED_CONTENT: ReadonlyArray<readonly [string, (head: Buffer) => boolean]> = [
  ['Windows executable', (b) => b[0] === 0x4d && b[1] === 0x5a], // MZ
  ['ELF executable', (b) => b.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))],
  ['Mach-O executable', (b) => [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(b.readUInt32BE(0))],
  ['shell script', (b) => b[0] === 0x23 && b[1] === 0x21], // #!
  ['ZIP archive', (b) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05 || b[2] === 0x07)],
  ['RAR archive', (b) => b.subarray(0, 4).toString('latin1') === 'Rar!'],
  ['7z archive', (b) => b.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))],
  ['gzip archive', (b) => b[0] === 0x1f && b[1] === 0x8b],
  ['HTML', (b) => /^\s*<(?:!doctype\s+html|html|script)/i.test(b.toString('latin1'))],
];

/** What {@link inspectOfficeZip} found: the kind, or why the file is refused. */
export type OfficeZipVerdict = { kind: OfficeKind } | { refused: string };

function head(buf: Buffer): Buffer {
  return buf.length >= 4 ? buf : Buffer.concat([buf, Buffer.alloc(4 - buf.length)]);
}

/**
 * Opens an uploaded ZIP by its central directory (what Word and Excel read, not names in a comment or in stray
 * local headers) and checks that it is an Office document: the package parts and exactly one main part of a known
 * kind present, at most {@link MAX_OFFICE_ZIP_ENTRIES} entries, no macros, no executable, script, HTML or nested
 * archive by name or by content, and every entry inflated (sizes checked against the directory) within
 * {@link MAX_OFFICE_INFLATED_BYTES} in total.
 */
export async function inspectOfficeZip(buf: Buffer): Promise<OfficeZipVerdict> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true });
  } catch (error) {
    return { refused: `not a readable ZIP: ${(error as Error).message}` };
  }
  try {
    if (zip.entryCount > MAX_OFFICE_ZIP_ENTRIES)
      return { refused: `${zip.entryCount} entries (at most ${MAX_OFFICE_ZIP_ENTRIES})` };
    const names = new Set<string>();
    let inflated = 0;
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (names.has(name.toLowerCase())) return { refused: `entry ${name} appears twice` };
      names.add(name.toLowerCase());
      if (name.endsWith('/')) continue;
      if (REFUSED_NAME.test(name)) return { refused: `entry ${name} is not part of an Office document` };
      if (/(?:^|\/)vbaProject\.bin$/i.test(name)) return { refused: 'the document contains macros' };
      // Declared sizes first (cheap), then the real inflated bytes: a lying directory is caught while reading.
      if (inflated + entry.uncompressedSize > MAX_OFFICE_INFLATED_BYTES)
        return { refused: `inflates to more than ${MAX_OFFICE_INFLATED_BYTES / 1024 / 1024} MB` };
      const stream = await zip.openReadStreamPromise(entry);
      let first: Buffer | undefined;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          first ??= chunk.subarray(0, SNIFF_BYTES);
          inflated += chunk.length;
          if (inflated > MAX_OFFICE_INFLATED_BYTES) {
            stream.destroy();
            return { refused: `inflates to more than ${MAX_OFFICE_INFLATED_BYTES / 1024 / 1024} MB` };
          }
        }
      } catch (error) {
        return { refused: `entry ${name} is damaged: ${(error as Error).message}` };
      }
      if (first && first.length > 0) {
        const bad = REFUSED_CONTENT.find(([, test]) => test(head(first)));
        if (bad) return { refused: `entry ${name} is a ${bad[0]}` };
      }
    }
    for (const part of REQUIRED_PACKAGE_PARTS)
      if (!names.has(part.toLowerCase())) return { refused: `${part} missing: not an Office document` };
    const kinds = (Object.entries(OFFICE_KINDS) as Array<[OfficeKind, string]>).filter(([, main]) =>
      names.has(main.toLowerCase()),
    );
    if (kinds.length !== 1) return { refused: 'no single Word, Excel or PowerPoint main part' };
    return { kind: kinds[0]![0] };
  } catch (error) {
    return { refused: `not a readable ZIP: ${(error as Error).message}` };
  } finally {
    zip.close();
  }
}
