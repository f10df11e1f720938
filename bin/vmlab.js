#!/usr/bin/env node
// vmlab command entry: loads the compiled CLI (npm install builds it through `prepare`).
import { main } from "../dist/cli/main.js";

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
