/** Run `fn` over `items` with at most `limit` in flight: reads overlap, but memory stays bounded. */
export async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** How many files hosts read at once. */
export const READ_CONCURRENCY = 16;
