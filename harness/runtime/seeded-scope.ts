// tfjs's initializers, fit() shuffling and dropout draw their seeds from Math.random when no
// seed is given, so replacing Math.random for the duration of a scope makes construction and
// training repeatable without the scenario seeding every initializer.

/** A small, fast, well-distributed 32-bit generator (mulberry32); same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let active = false;

export async function withSeed<T>(seed: number, fn: () => Promise<T> | T): Promise<T> {
  if (active) throw new Error('seeded scopes cannot nest or run concurrently: Math.random is shared');
  const original = Math.random;
  active = true;
  Math.random = seededRandom(seed);
  try {
    return await fn();
  } finally {
    Math.random = original;
    active = false;
  }
}
