import type { ScanCollector } from "../scan/collector.js";

// On a terminal, one self-overwriting line on stderr while the scan runs; nothing when piped.

export interface Progress {
  stop(): void;
}

export function startProgress(collector: ScanCollector, stream: NodeJS.WriteStream, intervalMs = 250): Progress {
  if (!stream.isTTY) return { stop() {} };
  const startedAt = Date.now();
  const render = (): void => {
    const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
    const rate = (collector.stats.requests / seconds).toFixed(1);
    stream.write(
      `\r\x1b[2Kscan: ${collector.subscriptionsDone}/${collector.subscriptionsTotal} subscriptions, ` +
        `${collector.machinesChecked} machines checked, ` +
        `${collector.findings.length} findings, ${rate} req/s`,
    );
  };
  const timer = setInterval(render, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      stream.write("\r\x1b[2K");
    },
  };
}
