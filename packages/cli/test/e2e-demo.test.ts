// `chat6 demo --no-interactive`: the quick start's scripted part runs, narrates delivery with
// receipts, exits 0 and leaves no temp dir behind.
import { existsSync } from 'node:fs'
import { afterAll, expect, it } from 'vitest'
import { cleanup, run } from './helpers/cli.ts'

afterAll(cleanup)

it('behavior: demo --no-interactive narrates presence, friendship and receipts, exits 0', async () => {
  const r = await run(['demo', '--no-interactive'], { timeoutMs: 45_000 })
  expect(r.code, r.stdout + r.stderr).toBe(0)
  expect(r.stdout).toMatch(/relay D learned: .*echo-bot \+\d+ ms/)
  expect(r.stdout).toMatch(/every relay knows all 3 clients online/)
  expect(r.stdout).toMatch(/echo-bot accepted/)
  expect(r.stdout).toMatch(/receipts: ✓ sent → ✓✓ delivered → ✓✓ read/)
  expect(r.stdout).toMatch(/echo-bot → you: "echo: hello over IPv6!"/)
  expect(r.stdout).toMatch(/clock-bot → you: "it is \d\d:\d\d/)
  const tmp = /temp dir (\S+?),/.exec(r.stdout)?.[1]
  expect(tmp).toBeDefined()
  expect(existsSync(tmp as string)).toBe(false)
})
