/**
 * The consumer-side scheduler both buses share: runs fetched entries'
 * handlers with at most `concurrency` in flight, keeps tasks with the same
 * ordering key strictly sequential in push order (other keys and keyless
 * tasks run alongside), and tells the bus when a slot frees up so it can
 * fetch more. A task costs one small closure (its `done`) and nothing
 * else: the queue is two parallel arrays (tasks and keys), no record per task.
 */
import { DEDUPE_WINDOW } from './subscribe-options.js';

/** Starts a task; it must call `done` exactly once when it has finished (ack included); a second call is ignored. */
export type StartTask<T> = (task: T, done: () => void) => void;

/** Options of a {@link Dispatcher}. */
export interface DispatcherOptions<T> {
  /** Tasks in flight at once. */
  readonly concurrency: number;
  readonly start: StartTask<T>;
  /** Called after each task finished (a slot may be free: fetch more). */
  readonly onSettled?: () => void;
}

/** A task waiting for its key. */
interface Blocked<T> {
  readonly task: T;
  readonly key: string;
}

/** Runs tasks with bounded concurrency and per-key ordering. */
export class Dispatcher<T> {
  readonly #concurrency: number;
  readonly #start: StartTask<T>;
  readonly #onSettled: (() => void) | undefined;
  /** Runnable tasks, FIFO (`#head` is the next one), and their keys at the same index. */
  #ready: (T | undefined)[] = [];
  #readyKeys: (string | undefined)[] = [];
  #head = 0;
  /** Per busy key: the tasks queued behind the one running or ready. */
  readonly #blocked = new Map<string, Blocked<T>[]>();
  /** Keys with a task ready or running. */
  readonly #busyKeys = new Set<string>();
  #inFlight = 0;
  #waiting = 0;
  #pumping = false;
  #idleWaiters: Array<() => void> = [];
  #belowWaiters: Array<{ limit: number; resolve: () => void }> = [];

  constructor(options: DispatcherOptions<T>) {
    this.#concurrency = options.concurrency;
    this.#start = options.start;
    this.#onSettled = options.onSettled;
  }

  /** Handlers running now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Tasks pushed and not started yet (including those waiting for their key). */
  get waiting(): number {
    return this.#waiting;
  }

  /** Queues `task`; tasks with the same `key` run one after another, in push order. */
  push(task: T, key?: string): void {
    this.#waiting++;
    if (key !== undefined) {
      if (this.#busyKeys.has(key)) {
        const queue = this.#blocked.get(key);
        if (queue === undefined) this.#blocked.set(key, [{ task, key }]);
        else queue.push({ task, key });
        return;
      }
      this.#busyKeys.add(key);
    }
    this.#ready.push(task);
    this.#readyKeys.push(key);
    this.#pump();
  }

  /** Removes every task not started yet and returns them in push order (for close: left pending). */
  dropWaiting(): T[] {
    const dropped: T[] = [];
    for (let i = this.#head; i < this.#ready.length; i++) dropped.push(this.#ready[i] as T);
    for (const queue of this.#blocked.values()) for (const item of queue) dropped.push(item.task);
    this.#ready = [];
    this.#readyKeys = [];
    this.#head = 0;
    this.#blocked.clear();
    this.#busyKeys.clear();
    this.#waiting = 0;
    this.#notifyBelow();
    return dropped;
  }

  /** Resolves once no task is in flight or waiting. */
  whenIdle(): Promise<void> {
    if (this.#inFlight === 0 && this.#waiting === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Resolves once fewer than `limit` tasks are waiting (at once if already so). */
  whenWaitingBelow(limit: number): Promise<void> {
    if (this.#waiting < limit) return Promise.resolve();
    return new Promise((resolve) => this.#belowWaiters.push({ limit, resolve }));
  }

  #pump(): void {
    // A task finishing synchronously re-enters here: let the outer loop go on instead of recursing.
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      this.#startReady();
    } finally {
      this.#pumping = false;
    }
    if (this.#belowWaiters.length > 0) this.#notifyBelow();
  }

  #startReady(): void {
    while (this.#inFlight < this.#concurrency && this.#head < this.#ready.length) {
      const at = this.#head++;
      const task = this.#ready[at] as T;
      const done = this.#doneOnce(this.#readyKeys[at]);
      this.#ready[at] = undefined;
      this.#readyKeys[at] = undefined;
      if (this.#head > 1024 && this.#head * 2 > this.#ready.length) {
        this.#ready = this.#ready.slice(this.#head);
        this.#readyKeys = this.#readyKeys.slice(this.#head);
        this.#head = 0;
      }
      this.#waiting--;
      this.#inFlight++;
      try {
        this.#start(task, done);
      } catch {
        // A start function must not throw; if it does, free the slot anyway.
        done();
      }
    }
  }

  /** The `done` of one task of `key`: finishes it once, ignores later calls. */
  #doneOnce(key: string | undefined): () => void {
    let finished = false;
    // An anonymous callback: no per-task named function (bundlers' keepNames would wrap it).
    return () => {
      if (finished) return;
      finished = true;
      this.#finish(key);
    };
  }

  #finish(key: string | undefined): void {
    this.#inFlight--;
    if (key !== undefined && this.#busyKeys.has(key)) {
      const queue = this.#blocked.get(key);
      const next = queue?.shift();
      if (next === undefined) this.#busyKeys.delete(key);
      else {
        if (queue!.length === 0) this.#blocked.delete(key);
        this.#ready.push(next.task);
        this.#readyKeys.push(next.key);
      }
    }
    this.#pump();
    if (this.#inFlight === 0 && this.#waiting === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
    this.#onSettled?.();
  }

  #notifyBelow(): void {
    if (this.#belowWaiters.length === 0) return;
    const still: Array<{ limit: number; resolve: () => void }> = [];
    for (const waiter of this.#belowWaiters) {
      if (this.#waiting < waiter.limit) waiter.resolve();
      else still.push(waiter);
    }
    this.#belowWaiters = still;
  }
}

/** The envelope ids a consumer handled lately, for `dedupe` (bounded: oldest forgotten first). */
export class DedupeWindow {
  readonly #size: number;
  readonly #ids = new Set<string>();

  /** @param size ids remembered. @default DEDUPE_WINDOW (10000) */
  constructor(size: number = DEDUPE_WINDOW) {
    this.#size = size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    if (this.#ids.has(id)) return;
    this.#ids.add(id);
    if (this.#ids.size > this.#size) {
      // Sets iterate in insertion order: the first is the oldest.
      this.#ids.delete(this.#ids.values().next().value as string);
    }
  }
}
