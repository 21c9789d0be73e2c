import { setFlagsFromString } from "node:v8";

// V8 first compiles WebAssembly with Liftoff, then recompiles the hot functions with TurboFan on background
// threads. The grammars' parse tables are huge functions: TurboFan took 38 s of CPU for the Bash grammar and
// 2.5 s for C#, with Liftoff alone 20 ms and 60 ms, and parsing stays as fast for the files lint reads. The
// flag holds for the whole process, and V8 refuses a code cache made under other flags: TypeScript's cache
// is therefore read and written with the flag already set (codemod/ts.ts), whichever loads first.

let set = false;

/** Compiles every WebAssembly module of this process with Liftoff only. Call before the first compiles. */
export function compileWebAssemblyWithLiftoffOnly(): void {
  if (set) return;
  setFlagsFromString("--liftoff-only");
  set = true;
}
