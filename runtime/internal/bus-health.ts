/**
 * `health()` of both buses from what each knows: its connections, its
 * subscriptions' states, and the lag `inspect()` reports for their groups.
 */
import type {
  BusHealth,
  BusInspection,
  ConnectionHealth,
  SubscriptionHealth,
  SubscriptionState,
} from '../bus.js';
import type { BreakerFacts } from './breaker-gate.js';
import { errorMessage } from './logger.js';

/** What a bus knows of one subscription without asking its server. */
export interface SubscriptionFacts {
  readonly group: string;
  readonly consumer: string;
  readonly state: SubscriptionState;
  readonly lastError: Error | undefined;
  /** ms since the epoch; 0 before the first read. */
  readonly lastReadAt: number;
  /** Per partitioned stream, the partitions it reads now. */
  readonly partitions?: { readonly [stream: string]: readonly number[] } | undefined;
  /** Its consumers' circuit breakers (none when it has none). */
  readonly breakers: readonly BreakerFacts[];
}

/** What goes into one health report. */
export interface HealthInput {
  readonly connections: readonly ConnectionHealth[];
  readonly subscriptions: readonly SubscriptionFacts[];
  /** Why the bus cannot reach its server, or undefined when it can. */
  readonly down: string | undefined;
  /** Asks for the lag of the groups; failing, the lags are unknown. */
  inspect(): Promise<BusInspection>;
}

/** The health report of a bus. */
export async function busHealth(input: HealthInput): Promise<BusHealth> {
  let inspection: BusInspection | undefined;
  let down = input.down;
  if (down === undefined && input.subscriptions.length > 0) {
    try {
      inspection = await input.inspect();
    } catch (error) {
      down = errorMessage(error);
    }
  }
  const subscriptions = input.subscriptions.map((s) => subscriptionHealth(s, inspection));
  const degraded = subscriptions.some((s) => s.state === 'reconnecting' || s.state === 'paused');
  return {
    status: down !== undefined ? 'down' : degraded ? 'degraded' : 'ok',
    checkedAt: new Date().toISOString(),
    reason: down ?? null,
    connections: input.connections,
    subscriptions,
  };
}

function subscriptionHealth(
  s: SubscriptionFacts,
  inspection: BusInspection | undefined,
): SubscriptionHealth {
  let lag: number | null = null;
  if (inspection) {
    const lags = inspection.streams.flatMap((stream) =>
      stream.groups.filter((g) => g.name === s.group).map((g) => g.lag),
    );
    if (lags.length > 0 && lags.every((l) => l !== null)) {
      lag = lags.reduce<number>((sum, l) => sum + (l ?? 0), 0);
    }
  }
  return {
    group: s.group,
    consumer: s.consumer,
    state: s.state,
    lastError: s.lastError ? s.lastError.message : null,
    lastReadAt: s.lastReadAt > 0 ? new Date(s.lastReadAt).toISOString() : null,
    lag,
    ...(s.partitions === undefined ? {} : { partitions: s.partitions }),
    circuitBreakers: s.breakers,
  };
}
