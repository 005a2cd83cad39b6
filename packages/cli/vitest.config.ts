// Tests of @chat6/cli use the workspace-wide settings in vitest.shared.ts, plus a global setup
// that compiles this package (the end-to-end tests spawn the real dist/bin.js) and longer
// timeouts for the tests that run real nodes on ::1.
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared.ts'

const src = (name: string) => fileURLToPath(new URL(`../${name}/src/index.ts`, import.meta.url))

export default mergeConfig(shared, {
  // examples/ lies outside every package: its imports resolve to the packages' sources too
  resolve: { alias: { '@chat6/client': src('client'), '@chat6/node': src('node') } },
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
})
