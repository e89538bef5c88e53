/**
 * Several async iterators as one: values in the order they arrive (the tail
 * of a partitioned stream follows every partition key). cli/support has the
 * same helper: the CLI imports only the public entry.
 */

/**
 * Yields the values of every iterator as each arrives, until all are done.
 * When the caller stops early or one iterator throws, `stop` is called first
 * (it must make the iterators' pending `next()` settle, e.g. abort what they
 * wait on), then every iterator is returned.
 */
export async function* mergeAsync<T>(
  iterators: readonly AsyncIterator<T>[],
  stop: () => void,
): AsyncGenerator<T, void, undefined> {
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) => {
    pending.set(
      index,
      iterators[index]!.next().then((result) => ({ index, result })),
    );
  };
  for (let index = 0; index < iterators.length; index++) pull(index);
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    stop();
    // Settle what is still pending (a rejection there is the same failure, or none after stop).
    await Promise.allSettled(pending.values());
    await Promise.allSettled(iterators.map((iterator) => iterator.return?.()));
  }
}
