import type { Prefilter } from "./prefilter.js";
import {
  BATCH_FILES,
  CLAIMED,
  CLEAR,
  DONE,
  FREE,
  isClear,
  LOOK,
  nextTicket,
  phaseOf,
  PROGRESS,
  QUEUED,
  READY,
  SLOTS,
  slotState,
  stateIndex,
  type ScreenMemory,
  type ScreenRequest,
} from "./screen-protocol.js";
import { DEFAULT_MAX_FILE_BYTES } from "../files/text-file.js";

// Screening: which files are worth reading as text. A file is read and the prefilter run on its raw bytes;
// a file where nothing can match is "clear", and the steps after this one do not read it again.
//
// Reading a tree is mostly system calls (open, fstat, read, close), made one after another by one thread;
// rg is fast because it makes them on every core. Given a second thread (see screen-service.ts), batches
// of the walk's files are screened there while the main thread screens others. The main thread takes back
// any batch the thread has not begun when it needs it, and screens ahead rather than wait, so files come
// out in walk order whatever the thread does, and a thread that is slow, busy or gone costs only its help.
// Verdicts come back through shared memory: the main thread reads them without turning its event loop, so
// the walk and the steps after it stay synchronous.

export interface ScreenedFile<F> {
  file: F;
  /** Read, and the prefilter found nothing there: no need to read it again. */
  clear: boolean;
}

/**
 * The patterns a file is screened with, and the prefilter made of them. The same object for the same set: a
 * set crosses to the thread once.
 */
export interface PatternSet {
  patterns: RegExp[];
  prefilter: Prefilter;
}

/** A second thread's screening service, as the main thread reaches it. */
export interface ScreenChannel extends ScreenMemory {
  post(request: ScreenRequest): void;
}

export interface ScreenOptions {
  maxFileBytes?: number;
  /** The second thread, once there is one: asked for each batch. A channel serves one screening run. */
  channel?: () => ScreenChannel | undefined;
  /** How long a thread may finish no file before it is given up on (tests shorten it). */
  stallMs?: number;
}

/** Batches kept ahead of the one being handed on, so that the thread always has work waiting. */
const BATCHES_AHEAD = SLOTS;
/** How far ahead the main thread may screen while the thread finishes the batch it waits for. */
const MOST_AHEAD = 32;
/** Batches the thread may have waiting: it is never idle, and what it has not begun can be taken back. */
const MOST_OUTSTANDING = SLOTS / 2;
/** A thread that finishes no file in this long is given up on; its batch is screened by the main thread. */
const STALL_MS = 5000;
const WAIT_SLICE_MS = 20;

/** A batch on its way to the thread. */
interface Sent {
  slot: number;
  ticket: number;
}

interface Batch<F> {
  files: F[];
  /** Sent to the thread and not yet answered or taken back. */
  sent?: Sent | undefined;
  verdicts?: Uint8Array;
}

/**
 * `files` in the same order, each marked clear or not. `screenWith` names the pattern set a file is
 * screened with, or undefined for a file that is not read at all.
 */
export function* screenFiles<F extends { path: string }>(
  files: Iterable<F>,
  screenWith: (file: F) => PatternSet | undefined,
  options: ScreenOptions = {},
): Generator<ScreenedFile<F>> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const stream = files[Symbol.iterator]();
  let link: ThreadLink | undefined;
  const screenHere = (batch: Batch<F>) => {
    batch.sent = undefined;
    batch.verdicts = Uint8Array.from(batch.files, (file) => {
      const set = screenWith(file);
      return set && isClear(file.path, set.prefilter, maxFileBytes) ? CLEAR : LOOK;
    });
  };
  const nextBatch = (): Batch<F> | undefined => {
    const files = takeBatch(stream);
    if (files.length === 0) return undefined;
    const channel = options.channel?.();
    if (channel && link?.channel !== channel) link = new ThreadLink(channel, options.stallMs ?? STALL_MS);
    return { files, sent: link?.send(files, screenWith) };
  };
  /**
   * The thread's answer for a batch sent to it, if it has one; a batch it has not begun is taken back and
   * screened here.
   */
  const settled = (batch: Batch<F>): boolean => {
    const answer = link!.poll(batch.sent!);
    if (answer === "busy") return false;
    if (answer === "taken back") screenHere(batch);
    else [batch.sent, batch.verdicts] = [undefined, answer];
    return true;
  };

  const queue: Batch<F>[] = [];
  /** Work for the main thread while the thread finishes `head`: a batch of its own, a new one, one taken back. */
  const workedAhead = (head: Batch<F>): boolean => {
    const waiting = queue.filter((batch) => batch !== head && !batch.verdicts);
    const own = waiting.find((batch) => !batch.sent);
    if (own) {
      screenHere(own);
      return true;
    }
    if (queue.length < MOST_AHEAD) {
      const batch = nextBatch();
      if (batch) {
        queue.push(batch);
        return true;
      }
    }
    return waiting.some(settled);
  };

  try {
    for (;;) {
      // Without a thread, one batch at a time: nothing is gained by screening ahead.
      while (queue.length < (link ? BATCHES_AHEAD : 1)) {
        const batch = nextBatch();
        if (!batch) break;
        queue.push(batch);
      }
      const head = queue[0];
      if (!head) return;
      while (!head.verdicts) {
        if (!head.sent) screenHere(head);
        else if (settled(head) || workedAhead(head)) continue;
        else if (!link!.wait(head.sent)) screenHere(head); // given up on: the thread is stalled
      }
      queue.shift();
      for (let i = 0; i < head.files.length; i++) yield { file: head.files[i]!, clear: head.verdicts[i] === CLEAR };
    }
  } finally {
    stream.return?.(); // a loop that stops early closes the walk behind it
  }
}

function takeBatch<F>(stream: Iterator<F>): F[] {
  const batch: F[] = [];
  while (batch.length < BATCH_FILES) {
    const next = stream.next();
    if (next.done) break;
    batch.push(next.value);
  }
  return batch;
}

/** The main thread's side of one run's exchange with the thread: tickets, the sets it knows, whether it is alive. */
class ThreadLink {
  private readonly setIds = new Map<PatternSet, number>();
  private ticket = 0;
  private stalled = false;
  /** The batch last waited for, and when the thread last finished a file while it was. */
  private waitingFor = 0;
  private lastProgress = 0;
  private lastProgressAt = 0;

  constructor(
    readonly channel: ScreenChannel,
    private readonly stallMs: number,
  ) {}

  /** Sends a batch if the thread can take it now, else undefined (the main thread screens it). */
  send<F extends { path: string }>(
    files: readonly F[],
    screenWith: (file: F) => PatternSet | undefined,
  ): Sent | undefined {
    const { control } = this.channel;
    if (this.stalled || Atomics.load(control, READY) !== 1) return undefined;
    let free: number | undefined;
    let outstanding = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      const state = Atomics.load(control, stateIndex(slot));
      if (state === FREE) free ??= slot;
      else if (phaseOf(state) !== DONE) outstanding++;
    }
    if (free === undefined || outstanding >= MOST_OUTSTANDING) return undefined;
    this.ticket = nextTicket(this.ticket);
    const request: ScreenRequest = { slot: free, ticket: this.ticket, paths: [], setIds: [], newSets: [] };
    for (const file of files) {
      const set = screenWith(file);
      let id = set ? this.setIds.get(set) : -1;
      if (id === undefined) {
        id = this.setIds.size;
        this.setIds.set(set!, id);
        request.newSets.push([id, set!.patterns]);
      }
      request.paths.push(file.path);
      request.setIds.push(id);
    }
    if (request.setIds.every((id) => id === -1)) return undefined; // nothing in it is read
    Atomics.store(control, stateIndex(free), slotState(this.ticket, QUEUED));
    this.channel.post(request);
    return { slot: free, ticket: this.ticket };
  }

  /** The verdicts for a batch if the thread has finished it; a batch it has not begun comes back. */
  poll({ slot, ticket }: Sent): Uint8Array | "taken back" | "busy" {
    const { control, verdicts } = this.channel;
    const state = stateIndex(slot);
    for (;;) {
      switch (Atomics.load(control, state)) {
        case slotState(ticket, DONE): {
          const answer = verdicts.slice(slot * BATCH_FILES, (slot + 1) * BATCH_FILES);
          Atomics.store(control, state, FREE);
          return answer;
        }
        case slotState(ticket, QUEUED):
          if (Atomics.compareExchange(control, state, slotState(ticket, QUEUED), FREE) === slotState(ticket, QUEUED))
            return "taken back";
          continue; // claimed in between
        case slotState(ticket, CLAIMED):
          return "busy";
        default:
          throw new Error(`screening out of step: slot ${slot} no longer holds batch ${ticket}`);
      }
    }
  }

  /**
   * Waits a little for a batch the thread is screening. False once the thread has finished no file for
   * `stallMs` of waiting for it: the thread is given up on, its slot stays claimed (a late answer lands
   * where nothing reads), and nothing more is sent.
   */
  wait({ slot, ticket }: Sent): boolean {
    const { control } = this.channel;
    const progress = Atomics.load(control, PROGRESS);
    const now = performance.now();
    if (ticket !== this.waitingFor || progress !== this.lastProgress) {
      [this.waitingFor, this.lastProgress, this.lastProgressAt] = [ticket, progress, now];
    } else if (now - this.lastProgressAt > this.stallMs) {
      this.stalled = true;
      return false;
    }
    Atomics.wait(control, stateIndex(slot), slotState(ticket, CLAIMED), WAIT_SLICE_MS);
    return true;
  }
}
