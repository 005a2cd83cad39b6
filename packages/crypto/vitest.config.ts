// Tests of @chat6/crypto use the workspace-wide settings in vitest.shared.ts.
export { default } from '../../vitest.shared.ts'
