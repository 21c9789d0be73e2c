import type { Prefilter } from "./prefilter.js";
import { readCandidate } from "../files/text-file.js";

// What the main thread and the screening thread share (see screen.ts): the rule for a clear file, the
// shape of a request, and the memory the verdicts come back in, which the main thread reads without its
// event loop.

/** Files per batch: enough that a message costs little beside the reads, few enough to balance the threads. */
export const BATCH_FILES = 64;
/** Batches that can be on their way at once, each with a slot of its own. */
export const SLOTS = 8;

/** Indices into the control array: set while the thread takes batches; files the thread has finished. */
export const READY = 0;
export const PROGRESS = 1;
export const stateIndex = (slot: number): number => 2 + slot;
const CONTROL_LENGTH = stateIndex(SLOTS);

/**
 * A slot's state is the ticket of the batch in it and where that batch is: free → queued (sent) → claimed
 * by the thread → done, or queued → free when the main thread takes it back. The ticket is what makes a
 * request that arrives after its batch was taken back find nothing to claim, even once the slot holds
 * another batch.
 */
export const FREE = 0;
export const QUEUED = 1;
export const CLAIMED = 2;
export const DONE = 3;
export const slotState = (ticket: number, phase: number): number => (ticket << 2) | phase;
export const phaseOf = (state: number): number => state & 3;
/** Tickets run from 1 and wrap before the state would reach the sign bit. */
export const nextTicket = (ticket: number): number => (ticket % (2 ** 29 - 1)) + 1;

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
  ticket: number;
  paths: string[];
  /** For each path, the pattern set to screen it with (-1: not read), as numbered in `newSets` now or before. */
  setIds: number[];
  /** Sets not sent before: a set's patterns cross once per run. */
  newSets: [id: number, patterns: RegExp[]][];
}

/**
 * Clear: read cleanly, and the prefilter found nothing. Anything else (a match, unreadable, too large,
 * undecodable, a failure) is left for the reader of the file to see for itself.
 */
export function isClear(path: string, prefilter: Prefilter, maxFileBytes: number): boolean {
  try {
    return readCandidate(path, prefilter, maxFileBytes).kind === "no-match";
  } catch {
    return false;
  }
}
