import { createPrefilter, type Prefilter } from "./prefilter.js";
import {
  BATCH_FILES,
  CLAIMED,
  CLEAR,
  DONE,
  isClear,
  LOOK,
  PROGRESS,
  QUEUED,
  READY,
  slotState,
  stateIndex,
  type ScreenMemory,
  type ScreenRequest,
} from "./screen-protocol.js";

// The second thread's side of screening (see screen.ts): it screens each batch the main thread sends,
// unless the main thread took it back first.

export interface ScreeningService {
  serve(request: ScreenRequest): void;
  /** While paused (the thread has other work), batches are left for the main thread to take back. */
  pause(): void;
  resume(): void;
}

/** Serves one screening run from the thread it is called in; ready at once. */
export function screeningService({ control, verdicts }: ScreenMemory, maxFileBytes: number): ScreeningService {
  const prefilters = new Map<number, Prefilter>();
  let failed = false;
  let paused = false;
  const setReady = () => Atomics.store(control, READY, failed || paused ? 0 : 1);
  setReady();
  return {
    pause() {
      paused = true;
      setReady();
    },
    resume() {
      paused = false;
      setReady();
    },
    serve(request) {
      try {
        for (const [id, patterns] of request.newSets) prefilters.set(id, createPrefilter(patterns));
      } catch {
        // Patterns this thread cannot use: it takes no more batches, and every one sent is taken back.
        failed = true;
        return setReady();
      }
      if (paused || failed) return;
      const state = stateIndex(request.slot);
      const queued = slotState(request.ticket, QUEUED);
      if (Atomics.compareExchange(control, state, queued, slotState(request.ticket, CLAIMED)) !== queued) return;
      const offset = request.slot * BATCH_FILES;
      request.paths.forEach((path, i) => {
        const prefilter = prefilters.get(request.setIds[i]!);
        verdicts[offset + i] = prefilter && isClear(path, prefilter, maxFileBytes) ? CLEAR : LOOK;
        Atomics.add(control, PROGRESS, 1);
      });
      Atomics.store(control, state, slotState(request.ticket, DONE));
      Atomics.notify(control, state);
    },
  };
}
