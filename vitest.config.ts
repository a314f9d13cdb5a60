import { defineConfig } from 'vitest/config';

// The suite starts the real binary, npm and servers on a small shared machine: a slow moment there is
// not a failure. Generous limits; no test asserts on time.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
