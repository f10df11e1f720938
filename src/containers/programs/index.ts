// The programs the simulated images can run, by the name their executables carry.
import type { ProgramRegistry } from "../program.js";
import { busybox } from "./busybox.js";
import { apk, aptGet } from "./packages.js";
import { curl, hello, nginx, serve } from "./servers.js";
import { stress, stressNg } from "./stress.js";

/** A fresh registry of every program the model implements. */
export function defaultPrograms(): ProgramRegistry {
  return new Map([
    ["busybox", busybox],
    ["apk", apk],
    ["apt-get", aptGet],
    ["curl", curl],
    ["nginx", nginx],
    ["serve", serve],
    ["hello", hello],
    ["stress", stress],
    ["stress-ng", stressNg],
  ]);
}
