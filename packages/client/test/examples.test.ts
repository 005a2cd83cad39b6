// The echo bot of examples/echo-bot.ts compiles against the current sources, and the README
// shows exactly that file.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const pkg = join(import.meta.dirname, '..')
const example = readFileSync(join(pkg, '../../examples/echo-bot.ts'), 'utf8')

describe('examples', () => {
  it('behavior: the README’s echo bot is examples/echo-bot.ts', () => {
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8')
    const body = example.split('\n').filter((line) => !line.startsWith('//'))
    expect(readme).toContain(body.join('\n').trim())
  })

  it('behavior: examples/echo-bot.ts type-checks', { timeout: 120_000 }, () => {
    const tsc = join(pkg, '../../node_modules/typescript/bin/tsc')
    const out = execFileSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.examples.json')], {
      encoding: 'utf8',
    })
    expect(out).toBe('')
  })
})
