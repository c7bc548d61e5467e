import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Differential tests compile Verilog with external simulators and run Yosys in WebAssembly.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
