// What the main thread and the screening thread share (see screen.ts): the shape of a request, and the
// layout of the memory the verdicts come back in, which the main thread reads without its event loop.

/** Files per batch: enough that a message costs little beside the reads, few enough to balance the threads. */
export const BATCH_FILES = 64;
/** Batches that can be on their way at once, each with a slot of its own. */
export const SLOTS = 8;

/** Indices into the control array: set once the thread can take batches; files the thread has finished. */
export const READY = 0;
export const PROGRESS = 1;
export const stateIndex = (slot: number): number => 2 + slot;
export const CONTROL_LENGTH = stateIndex(SLOTS);

/** A slot's life: free → queued (sent) → claimed by the thread → done; or queued → free, taken back by main. */
export const FREE = 0;
export const QUEUED = 1;
export const CLAIMED = 2;
export const DONE = 3;

/** One byte per file of a slot's batch. */
export const LOOK = 0;
export const CLEAR = 1;

/** Memory the two threads share for one screening run. */
export interface ScreenMemory {
  control: Int32Array;
  verdicts: Uint8Array;
}

export function allocateScreenMemory(): ScreenMemory {
  return {
    control: new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * Int32Array.BYTES_PER_ELEMENT)),
    verdicts: new Uint8Array(new SharedArrayBuffer(SLOTS * BATCH_FILES)),
  };
}

export interface ScreenRequest {
  slot: number;
  paths: string[];
  /** For each path, the pattern set to screen it with (see `sets`). */
  setIds: number[];
  /** Sets not sent before: a set's patterns cross once per run. */
  newSets: [id: number, patterns: RegExp[]][];
}
