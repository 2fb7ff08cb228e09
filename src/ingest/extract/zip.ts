import { DocumentSkipped } from './types.js';

/** One entry of a zip file's central directory. */
export interface ZipEntry {
  name: string;
  compressedBytes: number;
  /** What the directory says the entry inflates to. */
  uncompressedBytes: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** A 32-bit size field set to this means the real size is in a ZIP64 record. */
const ZIP64_MARKER = 0xffffffff;

/**
 * Lists a zip file's entries from its central directory, without inflating
 * anything, so a zip bomb is caught by its declared sizes before any library
 * expands it. Throws DocumentSkipped when the directory cannot be read.
 */
export function zipEntries(buffer: Buffer): ZipEntry[] {
  // The end-of-directory record is in the last 22 bytes plus at most a 64 KB comment.
  let end = -1;
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at -= 1) {
    if (buffer.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new DocumentSkipped('not a readable zip file (no central directory; the file is truncated or corrupt)');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k += 1) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== DIRECTORY_ENTRY)
      throw new DocumentSkipped('not a readable zip file (its central directory is corrupt)');
    const compressedBytes = buffer.readUInt32LE(at + 20);
    const uncompressedBytes = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    // Word never needs ZIP64 (4 GB entries); a file that uses it is refused rather than trusted.
    if (uncompressedBytes === ZIP64_MARKER || compressedBytes === ZIP64_MARKER) throw new DocumentSkipped(`declares a ZIP64 entry (${name}) larger than 4 GB`);
    entries.push({ name, compressedBytes, uncompressedBytes });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
