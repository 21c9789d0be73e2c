import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describeFsError, encodeText, type TextFile } from "./text-file.js";

// Every file msi2imds writes goes through here: written beside the target and renamed over it, so a crash
// leaves either the old file or the new one, never half of each. The mode is set before the rename, so the
// file is never seen with another one.

/** A file written in pieces and put in place whole by commit(), or not at all. */
export class AtomicFile {
  private readonly fd: number;
  private readonly temp: string;
  private done = false;

  constructor(
    readonly path: string,
    private readonly mode: number,
  ) {
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    this.fd = openSync(this.temp, "wx", 0o600);
  }

  write(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
  }

  commit(): void {
    try {
      fchmodSync(this.fd, this.mode & 0o7777);
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.done = true;
      renameSync(this.temp, this.path);
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** Drops what was written; the target is as it was. */
  abort(): void {
    if (!this.done) {
      this.done = true;
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    try {
      unlinkSync(this.temp);
    } catch {
      // never created, or already renamed
    }
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): void {
  const file = new AtomicFile(path, mode);
  try {
    file.write(data);
  } catch (error) {
    file.abort();
    throw error;
  }
  file.commit();
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
export function writeBackText(
  path: string,
  original: TextFile,
  text: string,
  refuse?: (target: string) => string | undefined,
): string | undefined {
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
