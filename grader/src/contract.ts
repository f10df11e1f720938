// The sandbox contract: what the grader sends to a sandbox and what comes back, as plain data.
//
// The sandbox itself (grader/src/sandbox/) runs untrusted handlers in a separate, locked-down process.
// The grader's passes never import it directly: they take a `SandboxPort` so tests pass a fake, and
// the CLI wires in the real one.

/** A guest image in transport form (grader/src/sandbox/trap/wire.ts): each segment's length and the runs of it that are not all zeros, base64. */
export interface WireGuest {
  readonly segments: readonly WireSegment[];
  readonly entry: number;
}

/** A segment of `length` bytes at `address`: zeros but for `runs`, each at an offset into the segment. */
export interface WireSegment {
  readonly address: number;
  readonly length: number;
  readonly runs: readonly { readonly offset: number; readonly bytes: string }[];
}

export interface SandboxCase {
  readonly id: string;
  /** The case's harness-defined input (GradeCase.input: trap's is a guest image, profile and step limit). */
  readonly input: Readonly<Record<string, unknown>>;
  /** CPU seconds this case may take (default: limits.caseSeconds); derived from the reference solution's time. */
  readonly seconds?: number;
}

export interface SandboxRequest {
  /** The lab's harness (grader/src/harnesses): which child side binds and runs the submission. */
  readonly harness: string;
  /** The compiled module holding the handlers, a key of `js`. */
  readonly entry: string;
  /** The export the handlers object is read from (lab 01: `handlers`). */
  readonly exportName: string;
  readonly js: Readonly<Record<string, string>>;
  readonly cases: readonly SandboxCase[];
  readonly limits: { readonly caseSeconds: number; readonly memoryMb: number; readonly outputBytes?: number };
  readonly cost?: Readonly<Record<string, number>>;
  /** The engine the machines of each case run on (a name in src/engines/registry.ts; default GRADER_ENGINE, sandbox/protocol.ts). Results are the same on every engine; only the time differs. */
  readonly engine?: string;
  /** The harness's likely cause of a case that does not finish, for the time-out message (else a generic one). */
  readonly runaway?: string;
}

export type SandboxCaseResult =
  | {
      readonly id: string;
      readonly status: "ok";
      readonly equivalent: boolean;
      /** What differs first (`IF: native 1, virtualized 0`), after which guest instruction, at which pc. */
      readonly divergence?: { readonly message: string; readonly pc?: number; readonly disassembly?: string; readonly instruction?: number };
      /** What the submission's run cost, in the harness's unit (trap: cycles under the monitor). */
      readonly cost: number;
      /** The baseline the child ran beside it (trap: the native run's cycles); the grader checks it against its own. */
      readonly baseline?: number;
      readonly counters: Readonly<Record<string, unknown>>;
      /** What the harness measures besides its cost (serverless: p50_ms, p99_ms), by name; absent when it measures its cost only. */
      readonly metrics?: Readonly<Record<string, number>>;
    }
  | {
      readonly id: string;
      readonly status: "timeout" | "crashed" | "memory" | "output" | "load-error" | "handler-error" | "missing-export";
      readonly message: string;
    };

export interface CompileDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly code: string;
}

export interface CompileResult {
  readonly ok: boolean;
  readonly js: Record<string, string>;
  readonly diagnostics: readonly CompileDiagnostic[];
}

/** The two sandbox entry points the grader needs. */
export interface SandboxPort {
  /** `seconds`: CPU time the type-check may take (the compiler's default when absent). */
  compileSubmission(files: Record<string, string>, options: { entry: string; seconds?: number; harness?: string }): CompileResult | Promise<CompileResult>;
  /** `onResult` hears each case's result as soon as it is known (partial results on a platform). */
  runInSandbox(request: SandboxRequest, options?: { signal?: AbortSignal; onResult?: (result: SandboxCaseResult) => void }): Promise<SandboxCaseResult[]>;
  /**
   * Start the child for a request like `request` (its `js` not known yet) while the submission is type-checked;
   * call the answer when the run is over (an early child nobody used is then killed). A pooled sandbox starts none.
   */
  prepare?(request: SandboxRequest): () => void;
  /** Start kept children ahead of time, warmed with `warm` (a pooled sandbox; others ignore it). */
  prestart?(count: number, warm: SandboxRequest, like?: SandboxRequest): void;
  /** End what the sandbox keeps running (kept children). */
  close?(): Promise<void>;
}
