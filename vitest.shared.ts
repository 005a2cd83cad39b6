// Vitest settings shared by every package; each package's vitest.config.ts re-exports them.
import { defineConfig } from 'vitest/config'

// The '@chat6/source' export condition makes `import '@chat6/wire'` load the sibling's
// src/index.ts, so tests run against current sources without building what they import.
// Setting conditions replaces Vite's defaults, so those are listed after ours.
const SOURCE = '@chat6/source'

export default defineConfig({
  resolve: { conditions: [SOURCE, 'module', 'browser', 'development|production'] },
  // Tests run in Node, which Vite resolves as its server (ssr) environment.
  ssr: { resolve: { conditions: [SOURCE, 'module', 'node', 'development|production'] } },
  test: {
    include: ['test/**/*.test.ts'],
    passWithNoTests: true,
    // CI has 2 cores and turbo runs several packages' suites at once: CPU-bound tests (RFC 7748's
    // iterated X25519, property runs) take several times longer there than alone. The timeout is
    // a hang detector, not a speed check; speed lives in `pnpm bench`.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // scripts/test-summary.mjs adds these per-package reports up into one closing line
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
})
