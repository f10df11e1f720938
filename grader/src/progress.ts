// A progress bar for terminals (cli-progress, which ships no types), and nothing at all when output is not a TTY.
import { createRequire } from "node:module";

export interface ProgressBar {
  start(total: number, value: number, payload?: Record<string, string>): void;
  update(value: number, payload?: Record<string, string>): void;
  stop(): void;
}

interface CliProgressModule {
  SingleBar: new (options: Record<string, unknown>, preset: unknown) => ProgressBar;
  Presets: { shades_classic: unknown };
}

/** A bar on `stream`, or undefined when the stream is not a terminal (CI, pipes, files). */
export function progressBar(stream: NodeJS.WriteStream, format: string): ProgressBar | undefined {
  if (!stream.isTTY) return undefined;
  const m = createRequire(import.meta.url)("cli-progress") as CliProgressModule;
  return new m.SingleBar({ format, stream, hideCursor: true }, m.Presets.shades_classic);
}
