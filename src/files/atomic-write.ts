import {
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { describeFsError, encodeText, FileRefusal, type FileStamp, type TextFile } from "./text-file.js";

// Every file msi2imds writes goes through here: written beside the target and renamed over it, so a crash
// leaves either the old file or the new one, never half of each. Mode and owner are set before the rename,
// so the file is never seen with others. Just before the rename the target is checked to be still what the
// caller saw (a user's edit, a `git pull` or a planted link in between is refused, never overwritten).
// Temp files are named `.<name>.msi2imds-<pid>.tmp`: removed on SIGINT/SIGTERM (removeTempFiles), and a
// later run removes those of processes that are gone.

/** What the target must still be at the rename: absent, or the file stamped (and, when given, these bytes). */
export type Expected = { absent: true } | { stamp: FileStamp; content?: Buffer };

export interface AtomicFileOptions {
  mode: number;
  /** Owner and group to keep (a root run must not hand a user's file to root). */
  owner?: { uid: number; gid: number } | undefined;
  expected?: Expected | undefined;
}

const TEMP_NAME = /^\..*\.msi2imds-(\d+)\.tmp$/;

/** Temp files this process has open, removed if it is told to stop. */
const liveTemps = new Set<string>();
/** Folders already cleared of stale temp files in this run. */
const clearedFolders = new Set<string>();

/** Removes this process's temp files: for a signal handler, before the process ends. */
export function removeTempFiles(): void {
  for (const temp of liveTemps) unlinkQuietly(temp);
  liveTemps.clear();
}

/** A file written in pieces and put in place whole by commit(), or not at all. */
export class AtomicFile {
  private readonly fd: number;
  private readonly temp: string;
  private done = false;

  constructor(
    readonly path: string,
    private readonly options: AtomicFileOptions,
  ) {
    const folder = dirname(path);
    removeStaleTemps(folder);
    this.temp = join(folder, `.${basename(path)}.msi2imds-${process.pid}.tmp`);
    this.fd = openTemp(this.temp);
  }

  write(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
  }

  commit(): void {
    try {
      // chown clears set-id bits: the owner first, then the mode.
      if (this.options.owner) keepOwner(this.fd, this.options.owner);
      fchmodSync(this.fd, this.options.mode & 0o7777);
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.done = true;
      if (this.options.expected) checkStillExpected(this.path, this.options.expected);
      renameSync(this.temp, this.path);
      liveTemps.delete(this.temp);
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
    if (liveTemps.delete(this.temp)) unlinkQuietly(this.temp);
  }
}

/** Opens a new temp file; one of this pid left by an earlier process (the pid was reused) is replaced. */
function openTemp(temp: string): number {
  if (liveTemps.has(temp)) throw new Error(`${temp} is already being written by this process`);
  let fd: number;
  try {
    fd = openSync(temp, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    unlinkSync(temp);
    fd = openSync(temp, "wx", 0o600);
  }
  liveTemps.add(temp);
  return fd;
}

/** Temp files of processes that no longer run (killed before they could clean up), once per folder. */
function removeStaleTemps(folder: string): void {
  if (clearedFolders.has(folder)) return;
  clearedFolders.add(folder);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return; // the open that follows says what is wrong with the folder
  }
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    const path = join(folder, name);
    try {
      if (lstatSync(path).isFile()) unlinkSync(path);
    } catch {
      // gone already, or not ours to remove
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function keepOwner(fd: number, owner: { uid: number; gid: number }): void {
  const now = fstatSync(fd);
  if (now.uid === owner.uid && now.gid === owner.gid) return;
  try {
    fchownSync(fd, owner.uid, owner.gid);
  } catch {
    throw new FileRefusal(`owned by ${owner.uid}:${owner.gid}, an owner this user cannot give the new file`);
  }
}

/** Throws a FileRefusal unless the target is still what the caller saw. */
function checkStillExpected(path: string, expected: Expected): void {
  let now: ReturnType<typeof lstatSync>;
  try {
    now = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    if ("absent" in expected) return;
    throw new FileRefusal("was deleted since it was read");
  }
  if ("absent" in expected) throw new FileRefusal("appeared while it was being written");
  if (now.isSymbolicLink()) throw new FileRefusal("was replaced by a symbolic link since it was read");
  if (!now.isFile()) throw new FileRefusal("is no longer a regular file");
  const { stamp, content } = expected;
  if (now.dev !== stamp.dev || now.ino !== stamp.ino)
    throw new FileRefusal("was replaced by another file since it was read");
  if (now.size !== stamp.size || now.mtimeMs !== stamp.mtimeMs || (content && !sameContent(path, content)))
    throw new FileRefusal("was changed since it was read (run again to fix the new version)");
}

function sameContent(path: string, content: Buffer): boolean {
  const fd = openSync(path, "r");
  try {
    // One byte more than expected tells a file that grew.
    const now = Buffer.allocUnsafe(content.length + 1);
    let length = 0;
    while (length < now.length) {
      const n = readSync(fd, now, length, now.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return length === content.length && now.subarray(0, length).equals(content);
  } finally {
    closeSync(fd);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already renamed
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicFileOptions): void {
  const file = new AtomicFile(path, options);
  try {
    file.write(data);
  } catch (error) {
    file.abort();
    throw error;
  }
  file.commit();
}

/**
 * Writes fixed text back over a file read earlier with readCandidate, as `fix --write` and `lint --fix`
 * both must: in its encoding with its BOM, mode and owner; through a symbolic link to its target (a rename
 * would replace the link); never into a file without write bits (tests and CI often run as root, where the
 * write would succeed); after `refuse` had its say on the target; and only if the file is still the one
 * read. Returns why nothing was written, or undefined.
 */
export function writeBackText(
  path: string,
  original: TextFile,
  text: string,
  refuse?: (target: string) => string | undefined,
): string | undefined {
  const { stamp } = original;
  if ((stamp.mode & 0o222) === 0) return "read-only file (no write permission bits)";
  try {
    const target = realpathSync(path);
    const refusal = refuse?.(target);
    if (refusal) return refusal;
    writeFileAtomic(target, encodeText(text, original), {
      mode: stamp.mode,
      owner: stamp,
      expected: { stamp, content: encodeText(original.text, original) },
    });
    return undefined;
  } catch (error) {
    return describeFsError(error);
  }
}
