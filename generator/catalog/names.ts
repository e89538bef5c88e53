/**
 * Naming rules of catalogue names and the TypeScript names derived from them.
 */

/** Streams, groups, channels and the namespace: lowercase, digits, hyphens. */
export const KEBAB_NAME = /^[a-z][a-z0-9-]*$/;

/** Event types: two or more dotted kebab segments, `campaign.status-changed`. */
export const EVENT_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Shared types: PascalCase, `Money`. */
export const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Channel pattern placeholders: `{campaignId}`. */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names the generated modules declare besides event and shared types, or
 * import from `schemabus` next to them; a derived type name must not take
 * one of them, or the generated code would not compile.
 */
export const RESERVED_TYPE_NAMES: readonly string[] = [
  'BootstrapReport',
  'Catalog',
  'CatalogMismatchError',
  'Envelope',
  'EventBus',
  'EventMap',
  'EventType',
  'HandlerContext',
  'PublishBatchItem',
  'PublishMeta',
  'Published',
  'Publisher',
  'PublisherOptions',
  'RealtimeHandler',
  'RealtimeParams',
  'Static',
  'SubscribeOptions',
  'Subscription',
  'Type',
  'Unsubscribe',
];

/** `campaign.status-changed` -> `CampaignStatusChanged`; also for kebab names. */
export function toPascalCase(name: string): string {
  return name
    .split(/[.-]/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** `campaign.status-changed` -> `campaignStatusChanged`. */
export function toCamelCase(name: string): string {
  const pascal = toPascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** The TypeBox schema and payload type of an event: `CampaignStatusChanged`. */
export function eventTypeName(type: string): string {
  return toPascalCase(type);
}

/** The union of the envelopes a channel carries: `campaign-status` -> `CampaignStatusMessage`. */
export function channelMessageName(channel: string): string {
  return `${toPascalCase(channel)}Message`;
}

/** The publisher and handler method of an event: `campaignStatusChanged`. */
export function eventMethodName(type: string): string {
  return toCamelCase(type);
}

/** The handler interface of a service: `analytics-service` -> `AnalyticsServiceHandlers`. */
export function serviceInterfaceName(group: string): string {
  return `${toPascalCase(group)}Handlers`;
}

/** The subscribe function of a service: `analytics-service` -> `subscribeAnalyticsService`. */
export function serviceSubscribeName(group: string): string {
  return `subscribe${toPascalCase(group)}`;
}

/** The realtime subscribe function of a channel: `campaign-status` -> `onCampaignStatus`. */
export function channelFunctionName(channel: string): string {
  return `on${toPascalCase(channel)}`;
}

/** The params type of a channel: `campaign-status` -> `CampaignStatusParams`. */
export function channelParamsName(channel: string): string {
  return `${toPascalCase(channel)}Params`;
}
