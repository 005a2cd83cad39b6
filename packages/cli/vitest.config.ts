// Tests of @chat6/cli use the workspace-wide settings in vitest.shared.ts, plus a global setup
// that compiles this package (the end-to-end tests spawn the real dist/bin.js) and longer
// timeouts for the tests that run real nodes on ::1.
import { mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared.ts'

export default mergeConfig(shared, {
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
})
