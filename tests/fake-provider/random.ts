// Seeded randomness: every choice the fake provider makes comes from a hash of its inputs,
// so the same request under the same seed always gets the same answer and the same fault.
import { createHash } from 'node:crypto';

/** A deterministic source of random numbers in [0, 1) with a few helpers. */
export interface Random {
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  shuffle<T>(items: readonly T[]): T[];
  /** A new independent stream, keyed by a label, that does not disturb this one. */
  fork(label: string): Random;
}

/** SHA-256 of the parts, joined so that ("ab", "c") and ("a", "bc") differ. */
export function hashParts(...parts: readonly unknown[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) {
    const text = typeof part === 'string' ? part : JSON.stringify(part) ?? 'undefined';
    hash.update(String(text.length));
    hash.update(':');
    hash.update(text);
  }
  return hash.digest();
}

export function hashHex(...parts: readonly unknown[]): string {
  return hashParts(...parts).toString('hex');
}

/** A random stream seeded by the hash of the parts. */
export function randomFrom(...parts: readonly unknown[]): Random {
  const digest = hashParts(...parts);
  return sfc32(digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12), digest.toString('hex'));
}

function sfc32(a0: number, b0: number, c0: number, d0: number, key: string): Random {
  let a = a0 >>> 0;
  let b = b0 >>> 0;
  let c = c0 >>> 0;
  let d = d0 >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Warm up so that similar seeds diverge.
  for (let i = 0; i < 12; i++) next();
  let forks = 0;
  const random: Random = {
    next,
    int(min, max) {
      const lo = Math.ceil(min);
      const hi = Math.floor(max);
      if (hi <= lo) return lo;
      return lo + Math.floor(next() * (hi - lo + 1));
    },
    pick(items) {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    chance(probability) {
      return probability > 0 && next() < probability;
    },
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    fork(label) {
      forks++;
      return randomFrom(key, label, forks);
    },
  };
  return random;
}
