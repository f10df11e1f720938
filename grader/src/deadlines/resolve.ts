// Everything the late policy needs for one submission of a batch: its own time, the student's extension and the grace days left.
import { extensionFor, type Extensions } from "./extensions.js";
import { graceLeft, type GraceLedger } from "./grace.js";
import type { DeadlineInput } from "./late.js";
import { submissionTime, type CommitTime } from "./timestamp.js";

/** A course's deadline inputs, read once for a batch. */
export interface DeadlineSetup {
  /** Times by submission name (grade-batch --timestamps). */
  readonly timestamps?: ReadonlyMap<string, string>;
  readonly extensions?: Extensions;
  /** The course's grace days per student and the ledger of what earlier labs used. */
  readonly grace?: { readonly total: number; readonly ledger: GraceLedger };
  readonly commitTime?: CommitTime;
}

/** The late policy's input for one submission, or undefined when its time is not known (no penalty then: the clock is never asked). */
export function deadlineFor(setup: DeadlineSetup, lab: { readonly id: string; readonly due?: string }, submission: { readonly name: string; readonly path: string }, student: string): DeadlineInput | undefined {
  if (!lab.due) return undefined;
  const time = submissionTime(submission.path, submission.name, {
    ...(setup.timestamps ? { table: setup.timestamps } : {}), ...(setup.commitTime ? { commitTime: setup.commitTime } : {}),
  });
  if (!time) return undefined;
  const extension = extensionFor(setup.extensions, student, lab);
  const graceAvailable = setup.grace ? graceLeft(setup.grace.ledger, setup.grace.total, { id: lab.id, due: lab.due }, student) : undefined;
  return { submittedAt: time.at, source: time.source, ...(extension ? { extension } : {}), ...(graceAvailable !== undefined ? { graceAvailable } : {}) };
}
