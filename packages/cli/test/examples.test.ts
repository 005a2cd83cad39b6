// The examples this package documents compile against the current sources, and two-clients.ts
// really runs: alice's message reaches bob and comes back read.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const pkg = join(import.meta.dirname, '..')

describe('examples', () => {
  it('behavior: relay-custom-bootstrap.ts and two-clients.ts type-check', {
    timeout: 120_000,
  }, () => {
    const tsc = join(pkg, '../../node_modules/typescript/bin/tsc')
    const r = spawnSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.examples.json')], {
      encoding: 'utf8',
    })
    // errors in the examples themselves fail; errors inside a sibling still being written do not hide them
    const mine = r.stdout.split('\n').filter((l) => l.startsWith('../../examples/'))
    expect(mine).toEqual([])
  })

  it('behavior: two-clients.ts runs to a read receipt', { timeout: 30_000 }, async () => {
    const lines: string[] = []
    const log = console.log
    console.log = (...args: unknown[]) => lines.push(args.join(' '))
    try {
      // a computed path keeps tsc -p tsconfig.json from following it (examples/ type-check with
      // tsconfig.examples.json); vitest still resolves its imports through the aliases
      const file = join(pkg, '../../examples/two-clients.ts')
      await import(/* @vite-ignore */ file)
    } finally {
      console.log = log
    }
    expect(lines).toContain('bob got: hello bob, over IPv6')
    expect(lines).toContain("alice's message is delivered")
    expect(lines).toContain("alice's message is read")
  })
})
