// Reads one entry of a zip archive (a .docx) through its central directory, with node:zlib only.
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
/** The end record is 22 bytes plus a comment of at most 65535. */
const MAX_END_RECORD_BYTES = 22 + 0xffff;

/** Names of the archive's entries. */
export function zipEntryNames(zip: Buffer): string[] {
  return centralEntries(zip).map((e) => e.name);
}

/** The uncompressed bytes of `name`, or undefined when the archive has no such entry. */
export function readZipEntry(zip: Buffer, name: string): Buffer | undefined {
  const entry = centralEntries(zip).find((e) => e.name === name);
  if (!entry) return undefined;
  if (zip.readUInt32LE(entry.localOffset) !== LOCAL_FILE_HEADER) throw new Error(`zip: bad local header for ${name}`);
  const start =
    entry.localOffset + 30 + zip.readUInt16LE(entry.localOffset + 26) + zip.readUInt16LE(entry.localOffset + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`zip: unsupported compression method ${entry.method} for ${name}`);
}

function centralEntries(zip: Buffer): { name: string; method: number; compressedSize: number; localOffset: number }[] {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - MAX_END_RECORD_BYTES); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('zip: no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error('zip: bad central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}
