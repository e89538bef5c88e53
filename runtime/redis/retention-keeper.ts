/**
 * Retention on publish, without ever trimming what a group has not acked.
 *
 * Redis 7.0's MAXLEN/MINID ignore consumer groups, so trimming runs the
 * `schemabusTrim` script (scripts/trim.lua): it trims to
 * `MINID min(oldest entry some group still needs, retention cutoff)`. The
 * script costs more than an XADD, so it runs every `everyPublishes`
 * publishes or `intervalMs` on a stream, whichever comes first, never twice
 * at once; while a maxLen stream is within maxLen + 10% as far as this
 * process knows, only the interval trigger runs it. A hard cap (`hardCapFactor` times the limit) trims even unacked
 * entries, logged as `retention forced` and counted, so one stuck group
 * cannot fill Redis until it refuses every write.
 */
import type { CatalogStream } from '../catalog.js';
import type { BusContext } from './bus-context.js';
import { readError } from './redis-errors.js';
import { compareIds } from './stream-ids.js';

/**
 * Most entries one trim run reads to find the maxLen cutoff or hard cap (and
 * so removes): bounds how long the script blocks Redis; a larger excess is
 * trimmed over several runs (see scripts/trim.lua).
 */
export const TRIM_CHUNK = 10_000;

/** How retention trimming runs. */
export interface RetentionOptions {
  /** Trim after this many publishes on a stream. @default maxLen / 10 clamped to 1..100 (100 for maxAge) */
  readonly everyPublishes?: number | undefined;
  /** Trim when this long passed since the last trim of a stream (checked on publish). @default 1000 */
  readonly intervalMs?: number | undefined;
  /** The hard cap: this many times the limit (entries, or age) is trimmed even if unacked. @default 10 */
  readonly hardCapFactor?: number | undefined;
  /**
   * `approximate` (`MINID ~`: whole macro nodes only, cheap), `exact`, or
   * `auto`: exact for maxLen below 1000 (a macro node holds up to 100
   * entries, so `~` would keep a small stream far past its limit),
   * approximate otherwise. @default 'auto'
   */
  readonly trim?: 'approximate' | 'exact' | 'auto' | undefined;
}

/** What one trim run found and did. */
export interface TrimResult {
  /** Entries removed within the retention rules. */
  readonly removed: number;
  /** Entries removed by the hard cap although a group had not acked them. */
  readonly forcedRemoved: number;
  /** First id retention keeps (`''` when the stream is within its limit). */
  readonly cutoff: string;
  /** Oldest id some group still needs (`''` when the stream has no group). */
  readonly floor: string;
  /** Each group's floor. */
  readonly floors: ReadonlyMap<string, string>;
  /** Stream length before trimming. */
  readonly length: number;
}

interface StreamState {
  publishes: number;
  lastRun: number;
  running: boolean;
  /** Stream length after the last trim run of this process (undefined before the first). */
  length: number | undefined;
  /** The stream key it trims (a partition's, for a partitioned stream). */
  readonly key: string;
}

/** Runs the trim script on publish, throttled per stream; counts and logs forced trims. */
export class RetentionKeeper {
  /** Trims that hit the hard cap. */
  forcedCount = 0;
  private readonly state = new Map<string, StreamState>();

  constructor(
    private readonly ctx: BusContext,
    private readonly options: RetentionOptions = {},
  ) {}

  /**
   * Notes `n` publishes on `stream` (on its stream key `key`: a partitioned
   * stream keeps its retention per partition) and starts a trim when one is
   * due (not awaited; failures are logged).
   */
  notePublish(stream: CatalogStream, n = 1, key: string = stream.key): void {
    let s = this.state.get(key);
    if (s === undefined) {
      s = { publishes: 0, lastRun: 0, running: false, length: undefined, key };
      this.state.set(key, s);
    }
    s.publishes += n;
    if (s.running) return;
    const now = Date.now();
    if (now - s.lastRun >= (this.options.intervalMs ?? 1000)) {
      this.start(stream, s, now);
      return;
    }
    if (s.publishes < this.everyPublishes(stream) || this.withinSlack(stream, s)) return;
    this.start(stream, s, now);
  }

  /**
   * maxLen: whether the stream, as far as this process knows (the length the
   * last trim left plus this process's publishes since), is still within
   * maxLen plus a 10% slack (never past the hard cap): then the count trigger
   * waits, so the script runs about once per maxLen/10 publishes instead of
   * every `everyPublishes`. The interval trigger still runs (other processes
   * publish too), and maxAge streams are not affected.
   */
  private withinSlack(stream: CatalogStream, s: StreamState): boolean {
    const r = stream.retention;
    if (!('maxLen' in r) || s.length === undefined) return false;
    const hardCap = Math.max(r.maxLen, Math.ceil(r.maxLen * (this.options.hardCapFactor ?? 10)));
    const limit = Math.min(hardCap, r.maxLen + Math.floor(r.maxLen / 10));
    return s.length + s.publishes <= limit;
  }

  private start(stream: CatalogStream, s: StreamState, now: number): void {
    s.running = true;
    s.publishes = 0;
    s.lastRun = now;
    this.trim(stream, false, s.key)
      .then((result) => {
        s.length = result.length - result.removed - result.forcedRemoved;
      })
      .catch((error) => {
        this.ctx.logger.warn(
          {
            stream: stream.name,
            error: readError(error, 'retention trim', this.ctx.connections.label).message,
          },
          'retention trim failed; it runs again on a later publish',
        );
      })
      .finally(() => {
        s.running = false;
        // Publishes made while it ran may have brought the next trim due already.
        if (s.publishes >= this.everyPublishes(stream) && !this.withinSlack(stream, s)) {
          this.start(stream, s, Date.now());
        }
      });
  }

  /** Trims `stream` (its stream key `key`) now, or only computes, when `dryRun`. */
  async trim(stream: CatalogStream, dryRun = false, key: string = stream.key): Promise<TrimResult> {
    const now = Date.now();
    const factor = this.options.hardCapFactor ?? 10;
    const retention = stream.retention;
    const args: (string | number)[] = [];
    if ('maxLen' in retention) {
      args.push('maxlen', this.approx(retention.maxLen), dryRun ? '1' : '0');
      args.push(retention.maxLen, Math.max(retention.maxLen, Math.ceil(retention.maxLen * factor)));
    } else {
      args.push('maxage', this.approx(undefined), dryRun ? '1' : '0');
      args.push(`${Math.max(0, now - retention.maxAgeMs)}-0`);
      args.push(`${Math.max(0, now - Math.ceil(retention.maxAgeMs * factor))}-0`);
    }
    args.push(TRIM_CHUNK);
    const [removed, forcedRemoved, cutoff, floor, flat, length] =
      await this.ctx.connections.command.schemabusTrim(key, ...args);
    const floors = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) floors.set(flat[i]!, flat[i + 1]!);
    const result: TrimResult = { removed, forcedRemoved, cutoff, floor, floors, length };
    if (forcedRemoved > 0) this.reportForced(stream, key, result);
    return result;
  }

  private reportForced(stream: CatalogStream, key: string, result: TrimResult): void {
    this.forcedCount++;
    this.ctx.metrics.retentionForced(stream.name);
    const holders = [...result.floors]
      .filter(([, floor]) => result.cutoff === '' || compareIds(floor, result.cutoff) < 0)
      .map(([group]) => group);
    this.ctx.logger.error(
      {
        stream: stream.name,
        key,
        forcedRemoved: result.forcedRemoved,
        length: result.length,
        laggingGroups: holders,
        hardCapFactor: this.options.hardCapFactor ?? 10,
      },
      `retention forced: stream "${stream.name}" reached its hard cap and ${result.forcedRemoved} entries were trimmed although group(s) ${holders.join(', ')} had not acked them; those events are lost for them. Fix or scale the lagging consumers, or raise the retention limit`,
    );
  }

  private everyPublishes(stream: CatalogStream): number {
    if (this.options.everyPublishes !== undefined) return Math.max(1, this.options.everyPublishes);
    const r = stream.retention;
    return 'maxLen' in r ? Math.min(100, Math.max(1, Math.floor(r.maxLen / 10))) : 100;
  }

  private approx(maxLen: number | undefined): '~' | '=' {
    const mode = this.options.trim ?? 'auto';
    if (mode === 'exact') return '=';
    if (mode === 'approximate') return '~';
    return maxLen !== undefined && maxLen < 1000 ? '=' : '~';
  }
}
