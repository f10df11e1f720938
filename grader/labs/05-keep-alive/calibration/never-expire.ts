// Calibration: a keep-alive that never expires (a week is longer than any trace): every invocation after an application's first is warm, and every idle minute is wasted memory.
import type { KeepAlivePolicy } from "vmlab";

const WEEK_MS = 7 * 24 * 3_600_000;

export const policy: KeepAlivePolicy = {
  name: "never-expire",
  forApp: () => ({
    onInvocation() {},
    windows: () => ({ preWarmMs: 0, keepAliveMs: WEEK_MS }),
  }),
};
