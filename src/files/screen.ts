import { createPrefilter, type Prefilter } from "./prefilter.js";
import {
  BATCH_FILES, CLAIMED, CLEAR, DONE, FREE, PROGRESS, QUEUED, READY, SLOTS, stateIndex,
  type ScreenMemory, type ScreenRequest,
} from "./screen-protocol.js";
import { DEFAULT_MAX_FILE_BYTES, readCandidate } from "./text-file.js";

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

/** A second thread's screening service, as the main thread reaches it. */
export interface ScreenChannel extends ScreenMemory {
  post(request: ScreenRequest): void;
}

export interface ScreenOptions {
  maxFileBytes?: number;
  /** The second thread, once there is one: asked for each batch. */
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

interface Batch<F> {
  files: F[];
  /** Sent to the thread, in this slot, and not yet collected. */
  slot?: number | undefined;
  verdicts?: Uint8Array;
}

/**
 * `files` in the same order, each marked clear or not. `patternsOf` names the prefilter patterns a file is
 * read with (the same array for the same set: a set is built and sent once), or undefined for a file that
 * is not read at all.
 */
export function* screenFiles<F extends { path: string }>(files: Iterable<F>, patternsOf: (file: F) => RegExp[] | undefined, options: ScreenOptions = {}): Generator<ScreenedFile<F>> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const stream = files[Symbol.iterator]();
  let link: ThreadLink | undefined;
  const prefilters = new Map<RegExp[], Prefilter>();
  const screenHere = (batch: Batch<F>) => {
    const verdicts = (batch.verdicts = new Uint8Array(batch.files.length));
    batch.files.forEach((file, i) => {
      const patterns = patternsOf(file);
      if (!patterns) return;
      let prefilter = prefilters.get(patterns);
      if (!prefilter) prefilters.set(patterns, (prefilter = createPrefilter(patterns)));
      if (readCandidate(file.path, prefilter, maxFileBytes).kind === "no-match") verdicts[i] = CLEAR;
    });
  };
  const nextBatch = (): Batch<F> | undefined => {
    const files = takeBatch(stream);
    if (files.length === 0) return undefined;
    const channel = options.channel?.();
    if (channel && link?.channel !== channel) link = new ThreadLink(channel, options.stallMs ?? STALL_MS);
    return { files, slot: link?.send(files, patternsOf) };
  };
  /** The thread's answer for a batch sent to it, if it has one; a batch it has not begun is taken back. */
  const collect = (batch: Batch<F>): boolean => {
    const answer = link!.poll(batch.slot!);
    if (answer === "busy") return false;
    batch.slot = undefined;
    if (answer === "taken back") screenHere(batch);
    else batch.verdicts = answer;
    return true;
  };

  const queue: Batch<F>[] = [];
  /** Work for the main thread while the thread finishes `head`: a batch of its own, a new one, one taken back. */
  const screenAhead = (head: Batch<F>): boolean => {
    const waiting = queue.filter((batch) => batch !== head && !batch.verdicts);
    const own = waiting.find((batch) => batch.slot === undefined);
    if (own) return (screenHere(own), true);
    if (queue.length < MOST_AHEAD) {
      const batch = nextBatch();
      if (batch) return (queue.push(batch), true);
    }
    return waiting.filter((batch) => batch.slot !== undefined).some(collect);
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
        if (head.slot === undefined) screenHere(head);
        else if (!collect(head) && !screenAhead(head) && !link!.wait(head.slot)) {
          head.slot = undefined; // given up on: the thread is stalled
          screenHere(head);
        }
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

/** The main thread's side of one run's exchange with the thread: which sets it knows, whether it is alive. */
class ThreadLink {
  private readonly setIds = new Map<RegExp[], number>();
  private stalled = false;
  private lastProgress = -1;
  private lastProgressAt = 0;

  constructor(
    readonly channel: ScreenChannel,
    private readonly stallMs: number,
  ) {}

  /** Sends a batch if the thread can take it now: its slot, else undefined (the main thread screens it). */
  send<F extends { path: string }>(files: readonly F[], patternsOf: (file: F) => RegExp[] | undefined): number | undefined {
    const { control } = this.channel;
    if (this.stalled || Atomics.load(control, READY) !== 1) return undefined;
    let free: number | undefined;
    let outstanding = 0;
    for (let slot = 0; slot < SLOTS; slot++) {
      const state = Atomics.load(control, stateIndex(slot));
      if (state === QUEUED || state === CLAIMED) outstanding++;
      else if (state === FREE) free ??= slot;
    }
    if (free === undefined || outstanding >= MOST_OUTSTANDING) return undefined;
    const request: ScreenRequest = { slot: free, paths: [], setIds: [], newSets: [] };
    for (const file of files) {
      const patterns = patternsOf(file);
      let id = patterns ? this.setIds.get(patterns) : -1;
      if (id === undefined) {
        id = this.setIds.size;
        this.setIds.set(patterns!, id);
        request.newSets.push([id, patterns!]);
      }
      request.paths.push(file.path);
      request.setIds.push(id);
    }
    if (request.setIds.every((id) => id === -1)) return undefined; // nothing in it is read
    Atomics.store(control, stateIndex(free), QUEUED);
    this.channel.post(request);
    return free;
  }

  /** The verdicts for the batch in `slot` if the thread has finished it; a batch it has not begun comes back. */
  poll(slot: number): Uint8Array | "taken back" | "busy" {
    const { control, verdicts } = this.channel;
    const state = stateIndex(slot);
    for (;;) {
      switch (Atomics.load(control, state)) {
        case DONE: {
          const answer = verdicts.slice(slot * BATCH_FILES, (slot + 1) * BATCH_FILES);
          Atomics.store(control, state, FREE);
          return answer;
        }
        case QUEUED:
          if (Atomics.compareExchange(control, state, QUEUED, FREE) === QUEUED) return "taken back";
          continue; // claimed in between
        default:
          return "busy";
      }
    }
  }

  /**
   * Waits a little for the batch in `slot`. False once the thread has finished no file for `stallMs`: it is
   * given up on, the slot stays claimed (a late answer lands where nothing reads), and nothing more is sent.
   */
  wait(slot: number): boolean {
    const { control } = this.channel;
    const progress = Atomics.load(control, PROGRESS);
    if (progress !== this.lastProgress) [this.lastProgress, this.lastProgressAt] = [progress, performance.now()];
    else if (performance.now() - this.lastProgressAt > this.stallMs) {
      this.stalled = true;
      return false;
    }
    Atomics.wait(control, stateIndex(slot), CLAIMED, WAIT_SLICE_MS);
    return true;
  }
}
