// Counting words for people to read: "1 instruction", "2,048 instructions", "no interrupts" — one helper for every message.

/** `n` and the noun, singular for exactly one, with thousands separators: `counted(1, "instruction")` is "1 instruction". */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? singular : plural}`;
}

/** The noun alone, for a count given elsewhere in the sentence. */
export function noun(n: number, singular: string, plural = `${singular}s`): string {
  return n === 1 ? singular : plural;
}
