import { createHash } from 'node:crypto';

/** A deterministic number in [0, 1) from a seed, so simulated data repeats for the same input. */
export function seeded(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}
