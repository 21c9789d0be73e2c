import { resolve } from "node:path";
import { openOutputFile, type OutputFile } from "../files/output-file.js";
import { describeFsError } from "../files/text-file.js";

// The one way a report leaves msi2imds: to stdout, or with -o/--output to a file that is written whole or
// not at all (files/output-file.ts: through links, devices and FIFOs written to, never replaced by a file).
// A report that went to a file is announced by one line on stderr.

export interface Output {
  write(text: string): void;
  /**
   * Puts the report in place. "fallback": the file could not be opened and the report went to stdout
   * instead; "failed": the file could not be written, and what was written is dropped. Either way the run
   * exits 2.
   */
  close(summary?: string): "written" | "fallback" | "failed";
  /** The run failed before the end: nothing is put in place. */
  abort(): void;
}

const CHUNK = 1 << 16;

export function say(line: string): void {
  process.stderr.write(`msi2imds: ${line}\n`);
}

/** Gathers small pieces into writes of a useful size. */
function stdoutOutput(): Output {
  let pending = "";
  const flush = () => {
    if (pending) process.stdout.write(pending);
    pending = "";
  };
  return {
    write(text) {
      pending += text;
      if (pending.length >= CHUNK) flush();
    },
    close() {
      flush();
      return "written";
    },
    abort: flush,
  };
}

/** Where the report goes: stdout, or `output` (relative to cwd), opened at the first write. */
export function openOutput(output: string | undefined, cwd = process.cwd()): Output {
  if (output === undefined) return stdoutOutput();
  let sink: OutputFile | "stdout" | undefined;
  const fallback = stdoutOutput();
  let failure: unknown;
  const open = (): OutputFile | "stdout" => {
    if (sink) return sink;
    try {
      sink = openOutputFile(resolve(cwd, output));
    } catch (error) {
      say(`cannot write ${output}: ${describeFsError(error)}; the report follows on stdout`);
      sink = "stdout";
    }
    return sink;
  };
  return {
    write(text) {
      const to = open();
      if (to === "stdout") return fallback.write(text);
      if (failure !== undefined) return;
      try {
        to.write(text);
      } catch (error) {
        failure = error;
      }
    },
    close(summary) {
      const to = open();
      if (to === "stdout") {
        fallback.close();
        return "fallback";
      }
      try {
        if (failure !== undefined) throw failure;
        to.commit();
      } catch (error) {
        to.abort();
        say(`cannot write ${output}: ${describeFsError(error)}`);
        return "failed";
      }
      say(`${summary ? `${summary}; ` : ""}report written to ${output}`);
      return "written";
    },
    abort() {
      if (sink === "stdout") fallback.abort();
      else sink?.abort();
    },
  };
}

/** A whole report: to its output, or to stdout when the file cannot be written, so that nothing is lost. */
export function emitReport(text: string, output: string | undefined, summary: string, cwd = process.cwd()): boolean {
  const out = openOutput(output, cwd);
  out.write(text);
  const closed = out.close(summary);
  if (closed === "failed") {
    say("the report follows on stdout");
    process.stdout.write(text);
  }
  return closed === "written";
}
