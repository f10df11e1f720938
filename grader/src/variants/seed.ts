// Per-student variants: the seed of a generated set mixed with the student's id, so each student gets their own guests and every regrade the same ones.
import { createHash } from "node:crypto";

/** The base seed of a `variant: student` set for one student: the first 32 bits of sha256("<seed>:<student>"). */
export function variantSeed(seed: number, student: string): number {
  return createHash("sha256").update(`${seed}:${student}`).digest().readUInt32BE(0);
}
