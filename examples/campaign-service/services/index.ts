/** The demo's services, each subscribed through its generated `subscribeXxx`. */
import type { EventBus, Subscription } from 'schemabus';
import {
  subscribeAnalyticsService,
  subscribeAuditService,
  subscribeEmailService,
  subscribeLifecycleService,
  subscribeWebsocketService,
} from '../../../generated/index.js';
import {
  ANALYTICS_SERVICE,
  type AnalyticsService,
  createAnalyticsService,
} from './analytics-service.js';
import { AUDIT_SERVICE, type AuditService, createAuditService } from './audit-service.js';
import type { ServiceDeps } from './deps.js';
import { createEmailService, EMAIL_SERVICE } from './email-service.js';
import {
  createLifecycleService,
  LIFECYCLE_SERVICE,
  type LifecycleService,
} from './lifecycle-service.js';
import { createWebsocketService, WEBSOCKET_SERVICE } from './websocket-service.js';

export type { ServiceDeps };
export { ANALYTICS_SERVICE, AUDIT_SERVICE, EMAIL_SERVICE, LIFECYCLE_SERVICE, WEBSOCKET_SERVICE };

/**
 * The consumer name of every demo service (one per group). Fixed, so runs
 * on a shared Redis reuse their consumers instead of piling up new ones.
 */
export const DEMO_CONSUMER = 'campaign-demo';

/** The running services. */
export interface RunningServices {
  /** Group names, in the order they were subscribed. */
  readonly groups: readonly string[];
  readonly lifecycle: LifecycleService;
  readonly analytics: AnalyticsService;
  readonly audit: AuditService;
  /** Stops every subscription (in-flight handlers finish and are acked). */
  close(): Promise<void>;
}

/** Subscribes lifecycle, analytics, audit, email and websocket services to `bus`. */
export function startServices(bus: EventBus, deps: ServiceDeps): RunningServices {
  const options = { consumer: DEMO_CONSUMER };
  const lifecycle = createLifecycleService(deps);
  const analytics = createAnalyticsService(deps);
  const audit = createAuditService(deps);
  const subscriptions: Subscription[] = [
    subscribeLifecycleService(bus, lifecycle, options),
    subscribeAnalyticsService(bus, analytics, options),
    subscribeAuditService(bus, audit, options),
    subscribeEmailService(bus, createEmailService(deps), options),
    subscribeWebsocketService(bus, createWebsocketService(deps), options),
  ];
  return {
    groups: [LIFECYCLE_SERVICE, ANALYTICS_SERVICE, AUDIT_SERVICE, EMAIL_SERVICE, WEBSOCKET_SERVICE],
    lifecycle,
    analytics,
    audit,
    close: async () => {
      await Promise.all(subscriptions.map((s) => s.close({ timeoutMs: 2000 })));
    },
  };
}
