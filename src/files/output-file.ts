import { closeSync, lstatSync, openSync, realpathSync, statSync, type Stats, writeSync } from "node:fs";
import { dirname } from "node:path";
import { AtomicFile } from "./atomic-write.js";
import { makeFolders } from "./folders.js";
import { FileRefusal, stampOf } from "./text-file.js";

// A file the user names for msi2imds to write (a report with -o, the baseline with --update-baseline). A new
// or regular file is replaced whole, parent folders made; a symbolic link is written through to its target,
// which keeps the link; an existing device or FIFO is written to as it is (`-o /dev/null` as root must not
// replace the real one). Nothing the user pointed at is replaced by something else: a dangling link is
// refused, and at the rename the target must still be the file found at the start.

export interface OutputFile {
  write(text: string): void;
  /** Puts the file in place (or closes the device); throws, with nothing replaced, if it cannot. */
  commit(): void;
  abort(): void;
}

export function openOutputFile(path: string): OutputFile {
  const entry = statOrUndefined(lstatSync, path);
  if (entry === undefined) {
    makeFolders(dirname(path));
    return replacing(path, undefined);
  }
  const existing = entry.isSymbolicLink() ? statOrUndefined(statSync, path) : entry;
  if (existing === undefined) throw new FileRefusal("dangling symbolic link; not replaced by a file");
  if (existing.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
  if (!existing.isFile()) return writingThrough(path);
  return replacing(entry.isSymbolicLink() ? realpathSync(path) : path, existing);
}

function replacing(target: string, existing: Stats | undefined): OutputFile {
  const file = new AtomicFile(target, {
    mode: existing?.mode ?? 0o644,
    owner: existing,
    expected: existing ? { stamp: stampOf(existing) } : { absent: true },
  });
  return { write: (text) => file.write(text), commit: () => file.commit(), abort: () => file.abort() };
}

function writingThrough(path: string): OutputFile {
  const fd = openSync(path, "w");
  return {
    write: (text) => {
      const bytes = Buffer.from(text, "utf8");
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    },
    commit: () => closeSync(fd),
    abort: () => closeSync(fd),
  };
}

function statOrUndefined(stat: (path: string) => Stats, path: string): Stats | undefined {
  try {
    return stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
