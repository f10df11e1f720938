#!/usr/bin/env node
// vmlab command entry: loads the compiled CLI (npm install builds it through `prepare`).
import { main } from "../dist/src/cli/main.js";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
