#!/usr/bin/env node
// vmlab command entry: loads the compiled CLI (npm install builds it through `prepare`).
import v8 from "node:v8";
import { main } from "../dist/cli/main.js";
import { applyV8Flags } from "../dist/cli/v8-tiers.js";

// Before any command runs (cli/v8-tiers.ts says which commands get which flags, and why).
applyV8Flags(process.argv.slice(2), (flag) => v8.setFlagsFromString(flag), process.env);

// A reader that stops early (`vmlab run guest | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
