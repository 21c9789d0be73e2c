import { isAuthenticationFailure, toScanError } from "../azure/errors.js";
import { subscriptionClient } from "../azure/session.js";
import type { ScanContext } from "./context.js";

// Which subscriptions to scan: the ones named, or every one the identity can see. Disabled and Deleted
// subscriptions cannot be read for real and are skipped, and said so.

const SKIPPED_STATES = new Set(["disabled", "deleted"]);

export interface SkippedSubscription {
  subscriptionId: string;
  state: string;
}

export interface SubscriptionScope {
  subscriptionIds: string[];
  skipped: SkippedSubscription[];
  /** Subscription id → display name, where ARM gave one. */
  names: Record<string, string>;
}

export async function resolveSubscriptions(context: ScanContext, named: readonly string[]): Promise<SubscriptionScope> {
  const client = subscriptionClient(context.azure);
  const seen: { subscriptionId: string; state: string; displayName?: string | undefined }[] = [];
  if (named.length === 0) {
    for await (const subscription of client.subscriptions.list()) {
      seen.push({
        subscriptionId: subscription.subscriptionId ?? "",
        state: subscription.state ?? "Enabled",
        displayName: subscription.displayName,
      });
    }
  } else {
    for (const subscriptionId of named) {
      try {
        const subscription = await client.subscriptions.get(subscriptionId);
        seen.push({
          subscriptionId: subscription.subscriptionId ?? subscriptionId,
          state: subscription.state ?? "Enabled",
          displayName: subscription.displayName,
        });
      } catch (error) {
        if (isAuthenticationFailure(error)) throw error;
        context.collector.addError(toScanError(`/subscriptions/${subscriptionId}`, error));
      }
    }
  }
  const usable = seen.filter((s) => s.subscriptionId !== "");
  return {
    subscriptionIds: usable.filter((s) => !SKIPPED_STATES.has(s.state.toLowerCase())).map((s) => s.subscriptionId),
    skipped: usable
      .filter((s) => SKIPPED_STATES.has(s.state.toLowerCase()))
      .map(({ subscriptionId, state }) => ({ subscriptionId, state })),
    names: Object.fromEntries(usable.flatMap((s) => (s.displayName ? [[s.subscriptionId, s.displayName]] : []))),
  };
}
