import { closeSync, fsyncSync, openSync, realpathSync, renameSync, unlinkSync, writeSync, fchmodSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { describeFsError, encodeText, type TextFile } from "./text-file.js";

/**
 * Writes beside the target and renames over it, so a crash leaves either the old file or the new one,
 * never half of each. The mode is set before the rename so the file is never seen with another one.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(temp, "wx", 0o600);
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fchmodSync(fd, mode & 0o7777);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(temp); } catch { /* never created or already renamed */ }
    throw error;
  }
}

/** Writes new text for a file read with readCandidate, keeping its encoding, BOM and mode. */
export function writeTextFileAtomic(path: string, original: TextFile, text: string): void {
  writeFileAtomic(path, encodeText(text, original), original.mode);
}

/**
 * Writes fixed text back over a file read earlier, as `fix --write` and `lint --fix` both must: through a
 * symbolic link to its target (a rename would replace the link), never into a file without write bits
 * (tests and CI often run as root, where the write would succeed), after `refuse` had its say on the target.
 * Returns why nothing was written, or undefined.
 */
export function writeBackText(path: string, original: TextFile, text: string, refuse?: (target: string) => string | undefined): string | undefined {
  if ((original.mode & 0o222) === 0) return "read-only file (no write permission bits)";
  try {
    const target = realpathSync(path);
    const refusal = refuse?.(target);
    if (refusal) return refusal;
    writeTextFileAtomic(target, original, text);
    return undefined;
  } catch (error) {
    return describeFsError(error);
  }
}
