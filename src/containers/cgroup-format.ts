// cgroup v2 interface-file values parsed and printed as the kernel does (Documentation/admin-guide/cgroup-v2.rst).
import { FsError } from "./fs-error.js";

export const CPU_WEIGHT_MIN = 1;
export const CPU_WEIGHT_MAX = 10000;
export const CPU_WEIGHT_DEFAULT = 100;
/** cpu.max period bounds (kernel: min_cfs_quota_period 1 ms, max_cfs_quota_period 1 s), in microseconds. */
export const CPU_PERIOD_MIN_US = 1000;
export const CPU_PERIOD_MAX_US = 1_000_000;
export const CPU_PERIOD_DEFAULT_US = 100_000;
/** The smallest quota the kernel accepts (min_cfs_quota_period, 1 ms). */
export const CPU_QUOTA_MIN_US = 1000;
export const MEMORY_PAGE_SIZE = 4096;

/** The kernel strips surrounding whitespace (and the newline `echo` adds) before parsing. */
function strip(value: string): string {
  return value.trim();
}

/** Parse a whole decimal number as kstrtou64 does: digits only, else EINVAL. */
function parseU64(text: string, file: string): number {
  if (!/^\+?[0-9]+$/.test(text)) throw new FsError("EINVAL", file);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new FsError("ERANGE", file);
  return n;
}

/** cpu.weight: an integer 1–10000; out of range is ERANGE (cpu_weight_write_u64), not a number EINVAL. */
export function parseCpuWeight(value: string): number {
  const n = parseU64(strip(value), "cpu.weight");
  if (n < CPU_WEIGHT_MIN || n > CPU_WEIGHT_MAX) throw new FsError("ERANGE", "cpu.weight");
  return n;
}

/** cpu.max as stored: quota in µs (Infinity for "max") and period in µs. */
export interface CpuMax {
  readonly quotaUs: number;
  readonly periodUs: number;
}

/**
 * cpu.max: "$MAX $PERIOD" or "$MAX" (keeping the period), $MAX "max" or µs. The kernel rejects a period
 * outside 1 ms–1 s and a quota below 1 ms with EINVAL (tg_set_cfs_bandwidth).
 */
export function parseCpuMax(value: string, current: CpuMax): CpuMax {
  const parts = strip(value).split(/\s+/);
  if (parts.length === 0 || parts.length > 2 || parts[0] === "") throw new FsError("EINVAL", "cpu.max");
  const periodUs = parts.length === 2 ? parseU64(parts[1]!, "cpu.max") : current.periodUs;
  const quotaUs = parts[0] === "max" ? Infinity : parseU64(parts[0]!, "cpu.max");
  if (periodUs < CPU_PERIOD_MIN_US || periodUs > CPU_PERIOD_MAX_US) throw new FsError("EINVAL", "cpu.max");
  if (quotaUs !== Infinity && quotaUs < CPU_QUOTA_MIN_US) throw new FsError("EINVAL", "cpu.max");
  return { quotaUs, periodUs };
}

export function formatCpuMax(m: CpuMax): string {
  return `${m.quotaUs === Infinity ? "max" : m.quotaUs} ${m.periodUs}\n`;
}

const SUFFIX: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50, e: 2 ** 60 };

/** memparse(): a number with an optional K/M/G/T/P/E suffix (either case), in bytes. */
export function memparse(text: string, file: string): number {
  const m = /^([0-9]+)([kmgtpeKMGTPE]?)$/.exec(text);
  if (!m) throw new FsError("EINVAL", file);
  return Number(m[1]) * (m[2] ? SUFFIX[m[2].toLowerCase()]! : 1);
}

/** memory.max / memory.high / memory.low: "max" or bytes (suffixes allowed), rounded down to whole pages. */
export function parseMemoryLimit(value: string, file: string): number {
  const v = strip(value);
  if (v === "max") return Infinity;
  const bytes = memparse(v, file);
  return Math.floor(bytes / MEMORY_PAGE_SIZE) * MEMORY_PAGE_SIZE;
}

export function formatLimit(bytes: number): string {
  return bytes === Infinity ? "max\n" : `${bytes}\n`;
}

/** pids.max: "max" or a non-negative integer. */
export function parsePidsMax(value: string): number {
  const v = strip(value);
  if (v === "max") return Infinity;
  return parseU64(v, "pids.max");
}

/** A flat-keyed file: "key value" lines (cpu.stat, memory.events, pids.events). */
export function formatKeyed(values: readonly (readonly [string, number])[]): string {
  return values.map(([k, v]) => `${k} ${Math.floor(v)}\n`).join("");
}

/** cgroup.subtree_control writes: space-separated "+ctrl" / "-ctrl" tokens. */
export function parseSubtreeControl(value: string): { enable: string[]; disable: string[] } {
  const enable: string[] = [];
  const disable: string[] = [];
  for (const tok of strip(value).split(/\s+/).filter((t) => t !== "")) {
    if (tok.startsWith("+")) enable.push(tok.slice(1));
    else if (tok.startsWith("-")) disable.push(tok.slice(1));
    else throw new FsError("EINVAL", "cgroup.subtree_control");
  }
  return { enable, disable };
}

/** Docker's `--cpu-shares` to cgroup v2 cpu.weight, as runc 1.1–1.2 converts it (1024 → 39). */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return CPU_WEIGHT_DEFAULT;
  const s = Math.min(262144, Math.max(2, shares));
  return 1 + Math.floor(((s - 2) * 9999) / 262142);
}

/** Docker's `--cpus` (NanoCPUs) to cpu.max with the default 100 ms period. */
export function cpusToMax(cpus: number): CpuMax {
  return { quotaUs: Math.round(cpus * CPU_PERIOD_DEFAULT_US), periodUs: CPU_PERIOD_DEFAULT_US };
}
