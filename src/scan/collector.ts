import type { FleetFinding } from "../core/finding.js";
import type { ScanError } from "../core/report.js";
import type { RequestStats } from "../azure/pacing-policy.js";

// What a scan has found so far; engines write to it, the progress line and the report read it.

export class ScanCollector {
  readonly findings: FleetFinding[] = [];
  readonly errors: ScanError[] = [];
  readonly stats: RequestStats = { requests: 0, retries: 0 };
  subscriptionsTotal = 0;
  subscriptionsDone = 0;
  virtualMachines = 0;
  scaleSets = 0;
  /** Machines whose extensions have been read. */
  machinesChecked = 0;

  addError(error: ScanError): void {
    const duplicate = this.errors.some(
      (e) => e.scope.toLowerCase() === error.scope.toLowerCase() && e.status === error.status && e.code === error.code,
    );
    if (!duplicate) this.errors.push(error);
  }
}
