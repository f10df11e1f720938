// Docker's units: sizes as `docker images` prints them, memory flags as `docker run` parses them, and human durations.
import { ContainerError } from "./errors.js";

/** go-units HumanSizeWithPrecision(size, 3): decimal units, three significant digits ("7.38MB", "187MB", "13.3kB"). */
export function humanSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** go-units RAMInBytes: "256m", "1g", "512k", "1024" (binary units; b, k, m, g, t, p, with an optional trailing b). */
export function ramInBytes(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)b?$/i.exec(text.trim());
  if (!m) throw new ContainerError("DOCKER_INVALID_SIZE", `invalid argument "${text}" for "${flag}" flag: invalid size: '${text}'`, { exitCode: 125, hint: `use a number with an optional unit, e.g. ${flag} 256m` });
  const mult = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 }[m[2]!.toLowerCase() as "" | "k"]!;
  return Math.floor(Number(m[1]) * mult);
}

/** go-units HumanDuration: "Less than a second", "5 seconds", "About a minute", "3 minutes", "About an hour", … */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 1) return "Less than a second";
  if (s === 1) return "1 second";
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return "About a minute";
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return "About an hour";
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(h / 24 / 365)} years`;
}
