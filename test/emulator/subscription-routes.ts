import type { FleetSubscription } from "./fleet.js";
import { armError, pageOf, sameName, type EmulatorRequest, type Route } from "./router.js";

// GET /subscriptions (paged) and GET /subscriptions/{id}, as @azure/arm-resources-subscriptions calls them.

export const SUBSCRIPTIONS_API_VERSIONS = ["2022-12-01"];

function subscriptionJson(subscription: FleetSubscription): unknown {
  return {
    id: `/subscriptions/${subscription.subscriptionId}`,
    subscriptionId: subscription.subscriptionId,
    displayName: subscription.displayName,
    tenantId: "22222222-2222-4222-8222-222222222222",
    state: subscription.state,
    authorizationSource: "RoleBased",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

export function findSubscription(request: EmulatorRequest, subscriptionId: string): FleetSubscription | undefined {
  return request.context.fleet.subscriptions.find((s) => sameName(s.subscriptionId, subscriptionId));
}

export const subscriptionRoutes: Route[] = [
  {
    name: "subscriptions.list",
    method: "GET",
    pattern: /^\/subscriptions$/i,
    apiVersions: SUBSCRIPTIONS_API_VERSIONS,
    handle: (request) => pageOf(request, request.context.fleet.subscriptions.map(subscriptionJson)),
  },
  {
    name: "subscriptions.get",
    method: "GET",
    pattern: /^\/subscriptions\/([^/]+)$/i,
    apiVersions: SUBSCRIPTIONS_API_VERSIONS,
    handle(request) {
      const subscription = findSubscription(request, request.params[0]!);
      if (!subscription)
        return armError(404, "SubscriptionNotFound", `The subscription '${request.params[0]}' could not be found.`);
      return { status: 200, body: subscriptionJson(subscription) };
    },
  },
];
