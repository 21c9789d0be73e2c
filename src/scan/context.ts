import type { AzureSession } from "../azure/session.js";
import type { ScanCollector } from "./collector.js";

// Everything the engines share: the Azure session (who signs, where ARM is, how requests are paced), the
// scope and where results go.

export interface ScanContext {
  azure: AzureSession;
  concurrency: number;
  resourceGroup?: string | undefined;
  collector: ScanCollector;
  /** Aborts at the scan's --timeout deadline: nothing new is started. */
  deadline?: AbortSignal | undefined;
}
