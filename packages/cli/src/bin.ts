#!/usr/bin/env node
// Entry point of the `chat6` command: everything is in main.ts; this only binds the process.
import { processIo } from './context.ts'
import { main } from './main.ts'

const code = await main(process.argv.slice(2), processIo())
process.exitCode = code
// Long-running commands close what they opened; this only guards against a handle left open
// by a lower layer keeping a finished command alive.
setTimeout(() => process.exit(code), 3000).unref()
