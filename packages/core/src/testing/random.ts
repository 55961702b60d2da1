/**
 * A seeded pseudo-random generator (xorshift32): the same seed gives the same sequence in every
 * runtime, so a generated catalog, a fault schedule or a soak can be replayed from its seed.
 * Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
