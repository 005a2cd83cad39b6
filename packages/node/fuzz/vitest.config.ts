// Vitest settings of `pnpm fuzz` for @chat6/node: only the fuzz runners, against sources, with no
// JSON report (that file is the normal test run's) and no time limit per target.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const SOURCE = '@chat6/source'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { conditions: [SOURCE, 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: [SOURCE, 'module', 'node', 'development|production'] } },
  test: {
    include: ['fuzz/**/*.fuzz.ts'],
    reporters: ['default'],
    testTimeout: 0,
    fileParallelism: true,
  },
})
