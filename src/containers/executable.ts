// Simulated executables: an ELF-looking file whose header names the program the model runs for it.
//
// A container runs `nginx` because /usr/sbin/nginx exists in its file system and says it is nginx, so a
// binary travels with its layer: copied, committed, pushed, whited out. The rest of the file is seeded
// filler, to give the image a realistic size.
import { createRng } from "../sim/rng.js";

const MAGIC = "\x7fELF\x02\x01\x01\0vmlab-program:";
const enc = new TextEncoder();
const dec = new TextDecoder();

/** The bytes of a simulated executable for `program`, `size` bytes long (at least its header). */
export function executableBytes(program: string, size: number): Uint8Array {
  const head = enc.encode(`${MAGIC}${program}\0`);
  const out = new Uint8Array(Math.max(size, head.length));
  out.set(head, 0);
  const rng = createRng(`binary:${program}:${size}`);
  for (let i = head.length; i < out.length; i += 4) {
    const w = rng.nextU32();
    out[i] = w & 0xff;
    if (i + 1 < out.length) out[i + 1] = (w >>> 8) & 0xff;
    if (i + 2 < out.length) out[i + 2] = (w >>> 16) & 0xff;
    if (i + 3 < out.length) out[i + 3] = (w >>> 24) & 0xff;
  }
  return out;
}

/** Filler bytes of a given size (shared libraries, data files), seeded by a name. */
export function fillerBytes(name: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const rng = createRng(`filler:${name}`);
  for (let i = 0; i < size; i += 4) {
    const w = rng.nextU32();
    for (let k = 0; k < 4 && i + k < size; k++) out[i + k] = (w >>> (8 * k)) & 0xff;
  }
  return out;
}

/** Which program a file is, if it is a simulated executable. */
export function programOf(content: Uint8Array): string | undefined {
  if (content.length < MAGIC.length + 2 || content[0] !== 0x7f || content[1] !== 0x45) return undefined;
  const head = dec.decode(content.subarray(0, Math.min(content.length, 96)));
  if (!head.startsWith(MAGIC)) return undefined;
  const end = head.indexOf("\0", MAGIC.length);
  return end === -1 ? undefined : head.slice(MAGIC.length, end);
}

/** The interpreter named on a script's `#!` line, with its argument. */
export function shebang(content: Uint8Array): string[] | undefined {
  if (content[0] !== 0x23 || content[1] !== 0x21) return undefined;
  const line = dec.decode(content.subarray(0, Math.min(content.length, 256))).split("\n")[0]!.slice(2).trim();
  return line === "" ? undefined : line.split(/\s+/);
}
