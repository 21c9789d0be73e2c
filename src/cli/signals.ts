import { removeTempFiles } from "../files/atomic-write.js";

// Ctrl-C, or a TERM from CI, must not leave `.<name>.msi2imds-<pid>.tmp` files behind (`git status` shows
// them). A command that handles the signal itself (remove stops its deletes and still writes its report)
// keeps it; otherwise the temp files go and the process ends as the signal would have ended it.

export function removeTempFilesOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      removeTempFiles();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
