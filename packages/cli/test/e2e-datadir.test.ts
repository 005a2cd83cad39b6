// Data dirs that cannot be used, and other mistakes, each with its exact message: a dir that
// exists but cannot be read never offers `chat6 init` (which would make a second identity).
// Permissions are real: as root, the command runs as nobody; otherwise the modes are changed.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/exit-codes.ts'
import { cleanup, eventually, run, tempDir } from './helpers/cli.ts'
import { NO_TMUX, TMUX, tmuxServer } from './helpers/tmux.ts'

const root = process.getuid?.() === 0
/** Who runs the commands that must be refused: nobody when the tests run as root. */
const other = root ? { uid: 65534, gid: 65534 } : undefined
const uid = root ? 0 : (process.getuid?.() ?? 0)

let base: string
let alice: string
beforeAll(async () => {
  base = tempDir()
  // nobody may look into the base dir, not into alice's data dir (0700, made by init)
  chmodSync(base, 0o755)
  alice = join(base, 'alice')
  const r = await run(['init', '--data-dir', alice, '--nick', 'alice', '--no-passphrase'])
  expect(r.code, r.stderr).toBe(0)
})
afterAll(async () => {
  chmodSync(alice, 0o700)
  await cleanup()
})

describe('data dir errors', () => {
  it('error: a data dir that cannot be read says permission denied and never offers init', async () => {
    if (!root) chmodSync(alice, 0o000)
    const mode = root ? '0700' : '0000'
    const expected =
      `chat6: error: cannot open the data dir ${alice}: permission denied (owner uid ${uid}, mode ${mode})\n` +
      'run chat6 as the user who owns it, or give another --data-dir\n'
    for (const args of [['whoami'], ['friends'], ['send', 'bob', 'hi'], ['daemon']]) {
      const r = await run([...args, '--data-dir', alice], { ...(other ? { as: other } : {}) })
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(EXIT.FAILURE)
      expect(r.stderr).toBe(expected)
      expect(r.stderr).not.toMatch(/init/)
    }
    if (!root) chmodSync(alice, 0o700)
  })
  it('error: init where the data dir cannot be made says permission denied', async () => {
    const locked = join(base, 'locked')
    mkdirSync(locked, { mode: 0o755 })
    if (!root) chmodSync(locked, 0o555)
    const dir = join(locked, 'me')
    const r = await run(['init', '--data-dir', dir, '--nick', 'me', '--no-passphrase'], {
      ...(other ? { as: other } : {}),
    })
    expect(r.code, r.stderr).toBe(EXIT.FAILURE)
    expect(r.stderr).toBe(
      `chat6: error: cannot create the data dir ${dir} in ${locked}: permission denied (owner uid ${uid}, mode ${root ? '0755' : '0555'})\n` +
        'run chat6 as the user who owns it, or give another --data-dir\n',
    )
    expect(existsSync(dir)).toBe(false)
  })
  it('error: a data dir that is a file says so, for init and for the other commands', async () => {
    const file = join(base, 'a-file')
    writeFileSync(file, 'not a dir\n')
    const expected =
      `chat6: error: the data dir ${file} is a file, not a directory\n` +
      'give --data-dir (or CHAT6_DATA_DIR) a directory, or move the file away\n'
    for (const args of [['init', '--nick', 'x', '--no-passphrase'], ['whoami'], ['friends']]) {
      const r = await run([...args, '--data-dir', file])
      expect(r.code, r.stderr).toBe(EXIT.FAILURE)
      expect(r.stderr).toBe(expected)
    }
  })
  it('error: only a data dir that does not exist (or holds no identity) offers init', async () => {
    const none = join(base, 'none')
    const r = await run(['whoami', '--data-dir', none])
    expect(r.code).toBe(EXIT.NOT_FOUND)
    expect(r.stderr).toBe(
      `chat6: error: no identity in ${none}: the directory does not exist\n` +
        "create one with 'chat6 init --nick NAME' (or pick another --data-dir)\n",
    )
  })
  it('error: --wait -5 says what --wait takes', async () => {
    const r = await run(['send', '--data-dir', alice, 'bob', 'hi', '--wait', '-5'])
    expect(r.code).toBe(EXIT.USAGE)
    expect(r.stderr).toBe(
      "chat6: error: --wait must be a number of seconds from 0 to 86400, not '-5'\n",
    )
  })
})

describe('passphrase at the prompt', () => {
  it('error: a wrong passphrase offers two more tries, then exits 5; the right one opens', async (t) => {
    if (TMUX === undefined) {
      console.log(NO_TMUX)
      t.skip()
      return
    }
    const dir = join(tempDir(), 'sealed')
    const pass = join(base, 'pass')
    writeFileSync(pass, 'right horse\n')
    const init = await run([
      'init',
      '--data-dir',
      dir,
      '--nick',
      'sealed',
      '--passphrase-file',
      pass,
    ])
    expect(init.code, init.stderr).toBe(0)
    let server = tmuxServer(`chat6-pass-${process.pid}`)
    const screen = () => server.screen('pass')
    const prompts = () => screen().split('Passphrase: ').length - 1
    try {
      server.start('pass', 120, 20, `friends --data-dir ${dir}`)
      for (let i = 1; i <= 3; i++) {
        await eventually(`prompt ${i}`, async () => prompts() === i)
        server.tm('send-keys', '-t', 'pass', `wrong ${i}`, 'Enter')
      }
      const out = await eventually('the end', async () => {
        const s = screen()
        return s.includes('EXIT-') && s
      })
      expect(out).toContain(
        'wrong passphrase: 2 more tries\nPassphrase: \nwrong passphrase: 1 more try\n',
      )
      expect(out).toContain('chat6: error: wrong passphrase (3 tries)\nEXIT-5')
      expect(out).not.toMatch(/wrong [123]/)
      server.kill()
      server = tmuxServer(`chat6-pass-${process.pid}-2`)
      server.start('pass', 120, 20, `friends --data-dir ${dir}`)
      await eventually('prompt', async () => prompts() === 1)
      server.tm('send-keys', '-t', 'pass', 'nope', 'Enter')
      await eventually('second prompt', async () => prompts() === 2)
      server.tm('send-keys', '-t', 'pass', 'right horse', 'Enter')
      const ok = await eventually('the friends list', async () => {
        const s = screen()
        return s.includes('EXIT-') && s
      })
      expect(ok).toContain('wrong passphrase: 2 more tries')
      expect(ok).toContain('no friends yet')
      expect(ok).toContain('EXIT-0')
    } finally {
      server.kill()
    }
  })
})
