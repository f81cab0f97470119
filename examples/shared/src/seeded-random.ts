// Seeded randomness for the example data generators.

/**
 * Mulberry32: a small, fast, seedable PRNG. The example data generators use it so that the same seed
 * gives the same data everywhere, and the scenarios know exactly what each system must end up with.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
