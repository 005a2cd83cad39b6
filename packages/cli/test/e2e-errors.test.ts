// User mistakes end as one `chat6: error:` line with the documented exit code, never a stack.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/exit-codes.ts'
import { COMMANDS } from '../src/spec.ts'
import { cleanup, run, tempDir } from './helpers/cli.ts'

let sealed: string
let passFile: string

beforeAll(async () => {
  const dir = tempDir()
  sealed = join(dir, 'sealed')
  passFile = join(dir, 'pass')
  writeFileSync(passFile, 'correct horse\n')
  const r = await run([
    'init',
    '--data-dir',
    sealed,
    '--nick',
    'carol',
    '--passphrase-file',
    passFile,
  ])
  expect(r.code, r.stderr).toBe(0)
})
afterAll(cleanup)

const oneLine = (stderr: string) => {
  expect(stderr).toMatch(/^chat6: error: /)
  expect(stderr).not.toMatch(/\n\s+at /)
}

describe('errors and help', () => {
  it('behavior: --help works on every command and shows an example', async () => {
    const results = await Promise.all(COMMANDS.map((c) => run([c.name, '--help'])))
    results.forEach((r, i) => {
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout).toContain(`usage: chat6 ${COMMANDS[i]?.name}`)
      expect(r.stdout).toMatch(/example/)
    })
  })
  it('error: no identity → 4, bad key → 2, unknown option → 2, init twice → 6', async () => {
    const empty = tempDir()
    const none = await run(['whoami', '--data-dir', empty])
    expect(none.code, none.stdout + none.stderr).toBe(EXIT.NOT_FOUND)
    oneLine(none.stderr)
    const bad = await run(['add', '--data-dir', sealed, 'not-a-key'])
    expect(bad.code, bad.stdout + bad.stderr).toBe(EXIT.USAGE)
    expect(bad.stderr).toMatch(/is not a client key/)
    const opt = await run(['send', '--wiat', '3'])
    expect(opt.code, opt.stdout + opt.stderr).toBe(EXIT.USAGE)
    expect(opt.stderr).toMatch(/did you mean --wait/)
    const again = await run(['init', '--data-dir', sealed, '--nick', 'x'])
    expect(again.code, again.stdout + again.stderr).toBe(EXIT.CONFLICT)
    oneLine(again.stderr)
  })
  it('error: sealed identity: no passphrase → 5, wrong passphrase → 5, right one works', async () => {
    const missing = await run(['friends', '--data-dir', sealed])
    expect(missing.code, missing.stdout + missing.stderr).toBe(EXIT.PASSPHRASE)
    expect(missing.stderr).toMatch(/sealed: give its passphrase/)
    const wrong = await run(['friends', '--data-dir', sealed], {
      env: { CHAT6_PASSPHRASE: 'nope' },
    })
    expect(wrong.code, wrong.stdout + wrong.stderr).toBe(EXIT.PASSPHRASE)
    oneLine(wrong.stderr)
    const ok = await run(['friends', '--data-dir', sealed, '--passphrase-file', passFile])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/no friends yet/)
    const who = await run(['whoami', '--data-dir', sealed, '--json'])
    expect(JSON.parse(who.stdout)).toMatchObject({ nickname: 'carol', sealed: true })
  })
  it('error: unknown friend → 4 with the list; IPv4 peer → 2', async () => {
    const r = await run(['send', '--data-dir', sealed, 'dave', 'hi'], {
      env: { CHAT6_PASSPHRASE: 'correct horse' },
    })
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.NOT_FOUND)
    expect(r.stderr).toMatch(/no friend named 'dave' \(you have no friends\)/)
    const v4 = await run(['node', '--data-dir', tempDir(), '--peer', '127.0.0.1:7600'])
    expect(v4.code, v4.stdout + v4.stderr).toBe(EXIT.USAGE)
    expect(v4.stderr).toMatch(/IPv6-only/)
  })
})
