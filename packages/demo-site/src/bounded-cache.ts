/** Cached items per kind; generation is cheap, the cache only spares repost chains and list pages. */
export const MAX_CACHED_ITEMS = 5_000;

/**
 * A number-keyed memo that forgets everything when full: items are pure functions of their key, so a miss only
 * costs time.
 */
export class BoundedCache<T> {
  private readonly map = new Map<number, T>();
  get(key: number, make: () => T): T {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    if (this.map.size >= MAX_CACHED_ITEMS) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}
