// vitest configuration: tests sit beside the code they describe.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "grader/**/*.test.ts", "notebooks/**/*.test.ts", "exercises/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "dist/**", "out/**"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
