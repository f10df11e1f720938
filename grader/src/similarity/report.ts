// `vmlab similarity`: which pairs of submissions share unusually much code — the winnowed fingerprints of every pair compared, the starter's own code left out, the shared lines shown — as JSON and as a page for the instructor.
//
// For instructors only: it names students and quotes their code, so it is written to its own folder, never
// into any feedback. A pair's score is the share of the smaller submission's fingerprint (distinct kept
// hashes, starter hashes dropped) that the other holds too: 1 for a copy however renamed, near 0 for
// independent work. A high score is a reason to read both submissions, not a verdict.
import { counted } from "../../../src/core/plural.js";
import { md } from "../reporters/markdown.js";
import { htmlPage } from "../reporters/html.js";
import { fingerprint, K, W, type Mark } from "./fingerprint.js";

export const SIMILARITY_FORMAT = "vmlab-similarity/1";

/** One submission as staged: its name and its files (name → source). */
export interface SimilarityInput {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
}

/** A stretch of code two submissions share: the lines in each. */
export interface SharedRegion {
  readonly a: { readonly file: string; readonly from: number; readonly to: number };
  readonly b: { readonly file: string; readonly from: number; readonly to: number };
}

export interface SimilarPair {
  readonly a: string;
  readonly b: string;
  /** Shared distinct hashes over the smaller fingerprint's (0–1, 3 decimals). */
  readonly score: number;
  readonly shared: number;
  readonly flagged: boolean;
  readonly regions: readonly SharedRegion[];
}

export interface SimilarityReport {
  readonly format: typeof SIMILARITY_FORMAT;
  readonly lab: string;
  readonly k: number;
  readonly w: number;
  readonly threshold: number;
  /** Each submission's fingerprint size once the starter's hashes are dropped. */
  readonly submissions: Readonly<Record<string, number>>;
  /** Every pair, highest score first (ties by name). */
  readonly pairs: readonly SimilarPair[];
}

/** Pairs sharing fewer hashes than this are never flagged, whatever their score (tiny submissions). */
export const MIN_SHARED = 3;

interface Located extends Mark {
  readonly file: string;
}

function marksOf(files: Readonly<Record<string, string>>, starter: ReadonlySet<number>): Map<number, Located[]> {
  const out = new Map<number, Located[]>();
  for (const file of Object.keys(files).sort()) {
    for (const m of fingerprint(files[file]!)) {
      if (starter.has(m.hash)) continue;
      const list = out.get(m.hash) ?? [];
      list.push({ ...m, file });
      out.set(m.hash, list);
    }
  }
  return out;
}

/** The shared marks as regions: marks in line order in A, merged while both sides stay contiguous. */
function regionsOf(a: Map<number, Located[]>, b: Map<number, Located[]>): SharedRegion[] {
  const pairs: SharedRegion[] = [];
  for (const [hash, inA] of a) {
    const inB = b.get(hash);
    if (!inB) continue;
    const x = inA[0]!, y = inB[0]!;
    pairs.push({ a: { file: x.file, from: x.from, to: x.to }, b: { file: y.file, from: y.from, to: y.to } });
  }
  pairs.sort((p, q) => p.a.file.localeCompare(q.a.file) || p.a.from - q.a.from || p.b.from - q.b.from);
  const merged: SharedRegion[] = [];
  for (const p of pairs) {
    const last = merged[merged.length - 1];
    const near = (x: SharedRegion["a"], y: SharedRegion["a"]) => x.file === y.file && y.from <= x.to + 1 && y.to >= x.from - 1;
    if (last && near(last.a, p.a) && near(last.b, p.b)) {
      merged[merged.length - 1] = {
        a: { file: last.a.file, from: Math.min(last.a.from, p.a.from), to: Math.max(last.a.to, p.a.to) },
        b: { file: last.b.file, from: Math.min(last.b.from, p.b.from), to: Math.max(last.b.to, p.b.to) },
      };
    } else merged.push(p);
  }
  return merged;
}

/** Compare every pair of submissions; `starter` holds the files handed out (their code never counts). */
export function similarityReport(lab: string, submissions: readonly SimilarityInput[], starter: Readonly<Record<string, string>>, threshold: number): SimilarityReport {
  const base = new Set<number>();
  for (const source of Object.values(starter)) for (const m of fingerprint(source)) base.add(m.hash);
  const sorted = [...submissions].sort((x, y) => x.name.localeCompare(y.name));
  const marks = sorted.map((s) => marksOf(s.files, base));
  const pairs: SimilarPair[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = marks[i]!, b = marks[j]!;
      let shared = 0;
      for (const h of a.keys()) if (b.has(h)) shared++;
      const smaller = Math.min(a.size, b.size);
      const score = smaller ? Math.round((shared / smaller) * 1000) / 1000 : 0;
      pairs.push({ a: sorted[i]!.name, b: sorted[j]!.name, score, shared, flagged: score >= threshold && shared >= MIN_SHARED, regions: shared ? regionsOf(a, b) : [] });
    }
  }
  pairs.sort((p, q) => q.score - p.score || q.shared - p.shared || p.a.localeCompare(q.a) || p.b.localeCompare(q.b));
  return { format: SIMILARITY_FORMAT, lab, k: K, w: W, threshold, submissions: Object.fromEntries(sorted.map((s, i) => [s.name, marks[i]!.size])), pairs };
}

/** The terminal's table: the flagged pairs, then how many were compared. */
export function similarityText(r: SimilarityReport): string {
  const flagged = r.pairs.filter((p) => p.flagged);
  const lines = [`${counted(Object.keys(r.submissions).length, "submission")}, ${counted(r.pairs.length, "pair")} compared (starter code left out); ${flagged.length} at or above ${r.threshold}:`];
  for (const p of flagged) lines.push(`  ${p.score.toFixed(3)}  ${p.a} ~ ${p.b}  (${p.shared} shared fingerprints, ${p.regions.length} shared region${p.regions.length === 1 ? "" : "s"})`);
  return lines.join("\n") + "\n";
}

const fence = (text: string): string => `\`\`\`\n${text.replace(/```/g, "` ` `")}\n\`\`\``;

/** The instructor's page: every flagged pair with its shared lines side by side in order. */
export function similarityHtml(r: SimilarityReport, sources: ReadonlyMap<string, Readonly<Record<string, string>>>): string {
  const lines = (name: string, file: string, from: number, to: number): string => (sources.get(name)?.[file] ?? "").split("\n").slice(from - 1, to).join("\n");
  const out = [
    `# Similarity: ${md(r.lab)}`,
    "",
    `For instructors only: it quotes students' code. ${Object.keys(r.submissions).length} submissions, ${r.pairs.length} pairs; winnowing with ${r.k}-token runs in windows of ${r.w}, names and literals compared by kind, the starter's code left out. A high score is a reason to read both submissions, not a verdict.`,
    "",
    "| score | submissions | shared fingerprints | flagged |",
    "|---|---|---|---|",
    ...r.pairs.map((p) => `| ${p.score.toFixed(3)} | ${md(p.a)} ~ ${md(p.b)} | ${p.shared} | ${p.flagged ? "yes" : ""} |`),
  ];
  for (const p of r.pairs.filter((x) => x.flagged)) {
    out.push("", `## ${md(p.a)} ~ ${md(p.b)}: ${p.score.toFixed(3)}`);
    for (const g of p.regions) {
      out.push("", `${md(p.a)} ${md(g.a.file)}:${g.a.from}–${g.a.to} and ${md(p.b)} ${md(g.b.file)}:${g.b.from}–${g.b.to}`, "", fence(lines(p.a, g.a.file, g.a.from, g.a.to)), "", fence(lines(p.b, g.b.file, g.b.from, g.b.to)));
    }
  }
  return htmlPage(`Similarity: ${r.lab}`, out.join("\n") + "\n");
}
