// Kept sandbox children for a batch: started ahead of time, warmed with trusted code, each grading one submission at a time, retired at the first sign of trouble.
//
// Starting a child (node, the permission model, SES, the monitor, lockdown) and warming V8's code for the
// monitor cost more CPU than grading a submission's cases once warm. A pool keeps children between
// submissions. What a submission can leave behind in a kept child is nothing it can reach again: each
// submission is evaluated in a fresh Compartment (its own globals and module variables) over intrinsics
// that lockdown froze, with fresh machines for every case; a Compartment has no timers, WeakRef or
// FinalizationRegistry, and the child drains student promise jobs before it says a submission is done.
// Belt and braces, a child is retired (killed) after any case that did not end "ok", any failure of its
// session, a resident size grown by more than `growthMb` since it was first idle, or `submissions`
// submissions; whatever the pool cannot reuse is started afresh. The harness is whatever the request
// names: the pool knows children and sessions, and of a harness only its name (a child serves the one it was started for).
import type { SandboxCaseResult, SandboxRequest } from "../contract.js";
import type { ChildExit, SandboxChild } from "./runner.js";

/** Submissions a kept child grades before it is retired. */
export const DEFAULT_POOL_SUBMISSIONS = 20;
/** Resident growth (MB) since a child was first idle after which it is retired. */
export const DEFAULT_POOL_GROWTH_MB = 64;

export interface PoolOptions {
  /** Submissions per child before it is retired (default 20). */
  readonly submissions?: number;
  /** Resident growth in MB since the child was first idle after which it is retired (default 64). */
  readonly growthMb?: number;
}

/** A started child and what the pool knows of it. */
export interface Lease {
  readonly child: SandboxChild;
  /** The harness it was started for: it has that harness's monitor loaded, and no other's (children.ts). */
  readonly harness: string;
  /** It has said "ready" (SES and the monitor are loaded): a run message can go straight to it. */
  ready: boolean;
  /** Submissions it has graded. */
  served: number;
  /** CPU seconds left under the kernel's cap it was started with. */
  budgetLeft: number;
  /** It has exited. */
  dead: boolean;
  /** Its resident bytes when it was first idle (after the warm-up or its first submission). */
  idleRss: number | undefined;
  /** Who hears its messages, output and exit now (one session at a time; undefined: nobody). */
  listen(listener: { message(m: unknown): void; output(stream: "stdout" | "stderr", chunk: string): void; exit(e: ChildExit): void } | undefined): void;
}

export interface PoolCollaborators {
  readonly options: PoolOptions;
  /** Start a child for requests like this one (its CPU cap covers `options.submissions` of them plus `extraSeconds`). */
  start(request: SandboxRequest, node: string, extraSeconds: number): Promise<Lease>;
  /** Grade a whole request in a kept child: the session ends at "done", the child stays. */
  session(request: SandboxRequest, lease: Lease): Promise<{ results: SandboxCaseResult[]; failure?: unknown; reusable: boolean }>;
  /** The CPU seconds one session of the request may use. */
  budget(request: SandboxRequest): number;
  residentBytes(pid: number): number | undefined;
}

export class ChildPool {
  private readonly idle: Lease[] = [];
  private readonly starting: Promise<Lease | undefined>[] = [];
  private readonly all = new Set<Lease>();
  private closed = false;

  constructor(private readonly c: PoolCollaborators) {}

  /**
   * Start `count` children now, each warmed by grading `warm` once (its results are dropped), with a CPU cap
   * for the warm-up and `options.submissions` requests like `like` (the requests the batch will send).
   */
  prestart(count: number, warm: SandboxRequest | undefined, like: SandboxRequest | undefined, node: string): void {
    if (!warm) return;
    for (let i = 0; i < count; i++) this.starting.push(this.startWarm(warm, like ?? warm, node));
  }

  /** A kept child for the request's harness with at least `seconds` of CPU cap left (idle, or one being started), else a fresh one. */
  async acquire(request: SandboxRequest, node: string, seconds: number): Promise<Lease> {
    for (;;) {
      const kept = this.idle.pop() ?? (this.starting.length ? await this.starting.shift() : undefined);
      if (!kept && !this.idle.length && !this.starting.length) break;
      if (!kept) continue;
      if (!kept.dead && kept.budgetLeft >= seconds && kept.harness === request.harness) return kept;
      this.retire(kept);
    }
    const lease = await this.c.start(request, node, 0);
    this.all.add(lease);
    return lease;
  }

  /** A session ended: keep the child if it ended cleanly and has grown little, else retire it. */
  release(lease: Lease, clean: boolean): void {
    lease.served++;
    const limit = this.c.options.submissions ?? DEFAULT_POOL_SUBMISSIONS;
    const rss = lease.child.pid === undefined ? undefined : this.c.residentBytes(lease.child.pid);
    lease.idleRss ??= rss;
    const grown = rss !== undefined && lease.idleRss !== undefined && rss - lease.idleRss > (this.c.options.growthMb ?? DEFAULT_POOL_GROWTH_MB) * 1024 * 1024;
    if (this.closed || !clean || lease.dead || grown || lease.served >= limit) this.retire(lease);
    else this.idle.push(lease);
  }

  /** Kill every child the pool holds (idle or starting); children still grading are killed as their sessions end. */
  async close(): Promise<void> {
    this.closed = true;
    const starting = await Promise.all(this.starting.splice(0));
    const kept = [...this.idle.splice(0), ...starting].filter((l): l is Lease => l !== undefined);
    for (const lease of kept) this.retire(lease);
    await Promise.all(kept.map((l) => l.child.exited));
  }

  private retire(lease: Lease): void {
    this.all.delete(lease);
    const at = this.idle.indexOf(lease);
    if (at >= 0) this.idle.splice(at, 1);
    if (!lease.dead) lease.child.kill();
  }

  /** Start a child and grade the warm-up request in it; a child whose warm-up fails is retired. */
  private async startWarm(warm: SandboxRequest, like: SandboxRequest, node: string): Promise<Lease | undefined> {
    let lease: Lease | undefined;
    try {
      lease = await this.c.start(like, node, this.c.budget(warm));
      this.all.add(lease);
      const session = await this.c.session(warm, lease);
      lease.budgetLeft -= this.c.budget(warm);
      const clean = session.reusable && !session.failure && session.results.every((r) => r.status === "ok");
      if (!clean || this.closed) {
        this.retire(lease);
        return undefined;
      }
      lease.idleRss = lease.child.pid === undefined ? undefined : this.c.residentBytes(lease.child.pid);
      return lease;
    } catch {
      if (lease) this.retire(lease);
      return undefined;
    }
  }
}
