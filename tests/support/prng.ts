// The seeded PRNG of the reference tests, the reliability runs and the benchmarks (mulberry32): a fixed seed gives the
// same sequence on every run and every machine, so a failing scenario or a measured workload can be replayed. Plain
// TypeScript with no imports, so core's tests, `tests/` and the bundled benchmarks all load it by relative path.

/** A generator of numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
