// Calibration: a keep-alive that unloads every instance the moment its execution ends: no memory wasted, and every invocation starts cold.
import type { KeepAlivePolicy } from "vmlab";

export const policy: KeepAlivePolicy = {
  name: "expire-at-once",
  forApp: () => ({
    onInvocation() {},
    windows: () => ({ preWarmMs: 0, keepAliveMs: 0 }),
  }),
};
