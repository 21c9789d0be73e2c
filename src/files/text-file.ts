import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { languageOf } from "../core/language.js";

// Reading files for analysis: raw bytes first (the prefilter needs nothing more), text only for
// candidates, and every reason a file cannot be handled said in words.

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
/**
 * A notebook keeps its cells' outputs, images in base64 among them, which are never read: a few plots take it
 * past the limit a generated bundle is kept out by, while its code is a few kilobytes.
 */
const NOTEBOOK_MAX_FILE_BYTES = 32 * 1024 * 1024;

/** The size limit for the file at `path`, given the run's. */
export function maxBytesOf(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): number {
  return languageOf(path) === "notebook" ? Math.max(maxBytes, NOTEBOOK_MAX_FILE_BYTES) : maxBytes;
}

/** Opening a FIFO for reading waits for a writer; without blocking it opens, and reading it (below) fails. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * Reads a whole file into a buffer that is reused by the next call (copy what must outlive it); undefined
 * when it holds more than `maxBytes`. Most files fit the buffer and are read to their end with no fstat (its
 * Stats and Dates cost more than the call); a larger one is sized once. Reads name their position, so a
 * pipe fails at once (ESPIPE) and keeps its data. Synchronous on purpose: for many small files it beats the
 * thread pool's chunked reads.
 */
function readAll(fd: number, maxBytes: number): Buffer | undefined {
  const limit = maxBytes + 1; // one byte more than allowed tells a file that is too large
  let length = 0;
  let sized = false;
  for (;;) {
    if (length === limit) return undefined;
    if (length === scratch.length) {
      let size = length * 2;
      if (!sized) {
        sized = true;
        const stat = fstatSync(fd);
        if (stat.size > maxBytes) return undefined;
        size = Math.max(size, stat.size + 1);
      }
      const larger = Buffer.allocUnsafe(Math.min(size, limit));
      scratch.copy(larger, 0, 0, length);
      scratch = larger;
    }
    const wanted = Math.min(scratch.length, limit) - length;
    const n = readSync(fd, scratch, length, wanted, length);
    length += n;
    // A file gives what it holds up to its end: less than asked for is the end, without a read to see it.
    if (n < wanted) return scratch.subarray(0, length);
  }
}

/**
 * What a file was when it was read: a write-back puts its mode and owner on the new file, and refuses when
 * the file on disk is no longer this one (replaced, edited, turned into a link) by the time of the rename.
 */
export interface FileStamp {
  mode: number;
  uid: number;
  gid: number;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export function stampOf(stats: Stats): FileStamp {
  const { mode, uid, gid, dev, ino, size, mtimeMs } = stats;
  return { mode, uid, gid, dev, ino, size, mtimeMs };
}

export interface TextFile {
  /** The text without its BOM, line endings exactly as in the file. */
  text: string;
  bom: boolean;
  /** How the file is written back: UTF-8, or UTF-16 behind its BOM (Windows PowerShell's own default). */
  encoding: "utf-8" | "utf-16le" | "utf-16be";
  stamp: FileStamp;
}

const decoders = {
  "utf-8": new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }),
  "utf-16le": new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true }),
  "utf-16be": new TextDecoder("utf-16be", { fatal: true, ignoreBOM: true }),
};

/** UTF-16 is told by its BOM; without one, its NUL bytes make it a binary file. */
function utf16Of(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (bytes.length < 2) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

export function decodeText(
  bytes: Uint8Array,
  stamp: FileStamp,
): { ok: true; file: TextFile } | { ok: false; reason: string } {
  const utf16 = utf16Of(bytes);
  if (!utf16 && bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: "binary file" };
  const bom = utf16 !== undefined || (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
  const encoding = utf16 ?? "utf-8";
  let text: string;
  try {
    text = decoders[encoding].decode(bom ? bytes.subarray(utf16 ? 2 : 3) : bytes);
  } catch {
    return { ok: false, reason: utf16 ? "invalid UTF-16" : "invalid UTF-8" };
  }
  // Data that happens to start like a UTF-16 BOM (or UTF-32, which has NUL halves) is no text either.
  if (utf16 && text.slice(0, 4096).includes("\0")) return { ok: false, reason: "binary file" };
  return { ok: true, file: { text, bom, encoding, stamp } };
}

/** The bytes of `text` written as `file` was: its encoding, its BOM. */
export function encodeText(text: string, file: Pick<TextFile, "bom" | "encoding">): Buffer {
  if (file.encoding === "utf-8")
    return file.bom ? Buffer.concat([UTF8_BOM, Buffer.from(text, "utf8")]) : Buffer.from(text, "utf8");
  const littleEndian = Buffer.from(text, "utf16le");
  return file.encoding === "utf-16le"
    ? Buffer.concat([UTF16LE_BOM, littleEndian])
    : Buffer.concat([UTF16BE_BOM, littleEndian.swap16()]);
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);
const UTF16BE_BOM = Buffer.from([0xfe, 0xff]);

export type Candidate =
  | { kind: "text"; file: TextFile }
  /** The prefilter found nothing there: the file is not decoded. */
  | { kind: "no-match" }
  | { kind: "unreadable"; reason: string; tooLarge?: true }
  | { kind: "undecodable"; reason: string };

const NO_MATCH: Candidate = Object.freeze({ kind: "no-match" });

/** What fix and lint do with every file: raw bytes, the prefilter, and text only for a file that can match. */
export function readCandidate(
  path: string,
  prefilter: (bytes: Buffer) => boolean,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Candidate {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return { kind: "unreadable", reason: describeFsError(error) };
  }
  try {
    const bytes = readWhole(fd, maxBytes);
    return "kind" in bytes ? bytes : decide(bytes, prefilter, () => stampOf(fstatSync(fd)));
  } finally {
    closeSync(fd);
  }
}

/** The same for bytes already read (standard input): read-write for its owner, as a new file would be. */
export function bytesCandidate(
  bytes: Buffer,
  prefilter: (bytes: Buffer) => boolean,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Candidate {
  if (bytes.length > maxBytes)
    return {
      kind: "unreadable",
      reason: `larger than the ${formatBytes(maxBytes)} limit (${formatBytes(bytes.length)})`,
      tooLarge: true,
    };
  return decide(bytes, prefilter, () => STDIN_STAMP);
}

/** Standard input is never written back: a stamp no file on disk matches. */
const STDIN_STAMP: FileStamp = Object.freeze({
  mode: 0o644,
  uid: -1,
  gid: -1,
  dev: -1,
  ino: -1,
  size: -1,
  mtimeMs: -1,
});

const NOT_A_FILE: Candidate = Object.freeze({ kind: "unreadable", reason: "not a regular file" });

/** The file's bytes, or why there are none. Only a file that reads as empty or too large is asked what it is. */
function readWhole(fd: number, maxBytes: number): Buffer | Candidate {
  try {
    const bytes = readAll(fd, maxBytes);
    if (bytes === undefined || bytes.length === 0) {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return NOT_A_FILE;
      if (bytes === undefined)
        return { kind: "unreadable", reason: tooLargeReason(maxBytes, stat.size), tooLarge: true };
    }
    return bytes;
  } catch (error) {
    return isRegularFile(fd) ? { kind: "unreadable", reason: describeFsError(error) } : NOT_A_FILE;
  }
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return true; // the read's own error says more
  }
}

/** The prefilter on a file's bytes; its stamp is asked for only when it is decoded. */
function decide(bytes: Buffer, prefilter: (bytes: Buffer) => boolean, stamp: () => FileStamp): Candidate {
  if (utf16Of(bytes)) {
    // The patterns are ASCII: the prefilter reads a UTF-16 file in UTF-8, as it reads every other file. One
    // that is no UTF-16 text after all is reported only where its bytes match, as any undecodable file is.
    const decoded = decodeText(bytes, stamp());
    if (decoded.ok)
      return prefilter(Buffer.from(decoded.file.text, "utf8")) ? { kind: "text", file: decoded.file } : NO_MATCH;
    return prefilter(bytes) ? { kind: "undecodable", reason: decoded.reason } : NO_MATCH;
  }
  if (!prefilter(bytes)) return NO_MATCH;
  const decoded = decodeText(bytes, stamp());
  return decoded.ok ? { kind: "text", file: decoded.file } : { kind: "undecodable", reason: decoded.reason };
}

/** A file msi2imds will not read or write, with the reason in words as its message. */
export class FileRefusal extends Error {}

/** Limits for the files msi2imds reads on its own: generous for what they hold, far from a disk's worth. */
export const SMALL_FILE_LIMITS = {
  config: 1024 * 1024,
  gitignore: 1024 * 1024,
  /** Lock files: nothing a project commits is that large. */
  manifest: 32 * 1024 * 1024,
  baseline: 64 * 1024 * 1024,
  scanReport: 256 * 1024 * 1024,
  /** lint --cache: findings of every candidate file of a large tree. */
  cache: 256 * 1024 * 1024,
} as const;

/**
 * A file msi2imds reads on its own (config, baseline, .gitignore, a manifest, a saved report) as UTF-8: a
 * regular file of at most `maxBytes`, else a FileRefusal. A FIFO or device is refused at once (the open
 * does not wait for a writer), so a config linked to /dev/zero or a FIFO is an error, not a hang.
 */
export function readSmallTextFile(path: string, maxBytes: number): string {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new FileRefusal(`not a regular file (${kindOf(stat)})`);
    if (stat.size > maxBytes) throw new FileRefusal(tooLargeReason(maxBytes, stat.size));
    const bytes = readAll(fd, maxBytes);
    // It grew past the limit while being read.
    if (bytes === undefined) throw new FileRefusal(tooLargeReason(maxBytes, maxBytes + 1));
    return bytes.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}

function tooLargeReason(maxBytes: number, size: number): string {
  return `larger than the ${formatBytes(maxBytes)} limit (${formatBytes(size)})`;
}

export function describeFsError(error: unknown): string {
  if (error instanceof FileRefusal) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "not a directory";
    case "ENOSPC":
      return "no space left on device";
    case "EROFS":
      return "read-only file system";
    case "ELOOP":
      return "symbolic link loop";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    default:
      return code ? `cannot read (${code})` : `cannot read (${String((error as Error)?.message ?? error)})`;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}
