// Tests of @chat6/testkit use the workspace-wide settings in vitest.shared.ts, one file at a time:
// the scenarios are CPU-bound simulations, and turbo runs other packages' tests beside them.
import { defineConfig, mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared.ts'

export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }))
