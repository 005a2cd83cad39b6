// Tests of @chat6/testkit use the workspace-wide settings in vitest.shared.ts.
export { default } from '../../vitest.shared.ts'
