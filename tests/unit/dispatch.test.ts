import { describe, expect, it } from 'vitest';
import { DedupeWindow, Dispatcher } from '../../runtime/internal/dispatcher.js';

interface Held {
  readonly id: number;
  done: () => void;
}

function harness(concurrency: number) {
  const running: Held[] = [];
  const order: number[] = [];
  let settled = 0;
  const dispatcher = new Dispatcher<number>({
    concurrency,
    start: (id, done) => {
      order.push(id);
      running.push({ id, done });
    },
    onSettled: () => settled++,
  });
  const finish = (id: number) => {
    const i = running.findIndex((r) => r.id === id);
    const [held] = running.splice(i, 1);
    held!.done();
  };
  return { dispatcher, running, order, finish, settled: () => settled };
}

describe('Dispatcher', () => {
  it('runs at most `concurrency` tasks, FIFO', () => {
    const { dispatcher, order, finish, settled } = harness(2);
    for (let i = 0; i < 5; i++) dispatcher.push(i);
    expect(order).toEqual([0, 1]);
    expect(dispatcher.inFlight).toBe(2);
    expect(dispatcher.waiting).toBe(3);
    finish(1);
    expect(order).toEqual([0, 1, 2]);
    expect(settled()).toBe(1);
  });

  it('ignores a second done() of a task, also after its slot went to the next task', () => {
    const { dispatcher, running, order, settled } = harness(2);
    for (let i = 0; i < 3; i++) dispatcher.push(i, `k${i}`);
    const first = running.shift()!;
    first.done();
    expect(order).toEqual([0, 1, 2]);
    first.done();
    expect(settled()).toBe(1);
    expect(dispatcher.inFlight).toBe(2);
  });

  it('keeps one key sequential while other keys run', () => {
    const { dispatcher, order, finish } = harness(3);
    dispatcher.push(1, 'a');
    dispatcher.push(2, 'a');
    dispatcher.push(3, 'b');
    dispatcher.push(4);
    expect(order).toEqual([1, 3, 4]);
    finish(3);
    expect(order).toEqual([1, 3, 4]);
    finish(1);
    expect(order).toEqual([1, 3, 4, 2]);
  });

  it('a blocked key does not hold back later keys', () => {
    const { dispatcher, order, finish } = harness(1);
    dispatcher.push(1, 'a');
    dispatcher.push(2, 'a');
    dispatcher.push(3, 'b');
    finish(1);
    // 3 became ready before 2 (2 waited for key a)
    expect(order).toEqual([1, 3]);
    finish(3);
    expect(order).toEqual([1, 3, 2]);
  });

  it('dropWaiting returns unstarted tasks; whenIdle and whenWaitingBelow resolve', async () => {
    const { dispatcher, finish } = harness(1);
    dispatcher.push(1, 'a');
    dispatcher.push(2, 'a');
    dispatcher.push(3);
    let below = false;
    void dispatcher.whenWaitingBelow(1).then(() => {
      below = true;
    });
    expect(dispatcher.dropWaiting().sort()).toEqual([2, 3]);
    await Promise.resolve();
    expect(below).toBe(true);
    let idle = false;
    void dispatcher.whenIdle().then(() => {
      idle = true;
    });
    await Promise.resolve();
    expect(idle).toBe(false);
    finish(1);
    await Promise.resolve();
    expect(idle).toBe(true);
  });

  it('survives tasks that finish synchronously, without deep recursion', () => {
    let n = 0;
    const dispatcher = new Dispatcher<number>({
      concurrency: 1,
      start: (_t, done) => {
        n++;
        done();
        done(); // a second call is ignored
      },
    });
    for (let i = 0; i < 100_000; i++) dispatcher.push(i);
    expect(n).toBe(100_000);
    expect(dispatcher.inFlight).toBe(0);
  });
});

describe('DedupeWindow', () => {
  it('forgets the oldest ids first', () => {
    const window = new DedupeWindow(2);
    window.add('a');
    window.add('b');
    window.add('c');
    expect(window.has('a')).toBe(false);
    expect(window.has('b')).toBe(true);
    expect(window.has('c')).toBe(true);
  });
});
