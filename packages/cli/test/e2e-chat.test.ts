// End to end over real TCP on ::1: a relay, two clients (alice, bob) made with `chat6 init`,
// friends through add/accept, messages with receipts, an offline friend's queue delivered by a
// later daemon, and the chat screen driven by typing in tmux.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/exit-codes.ts'
import {
  cleanup,
  eventually,
  type HistoryEntry,
  history,
  type Running,
  run,
  start,
  startRelay,
  tempDir,
} from './helpers/cli.ts'
import { NO_TMUX, TMUX, tmuxServer } from './helpers/tmux.ts'

let dir: string
let addr: string
let alice: string
let bob: string
let bobKey: string
let aliceKey: string
const daemons: Running[] = []

const daemon = async (dataDir: string): Promise<Running> => {
  const d = start(['daemon', '--data-dir', dataDir])
  daemons.push(d)
  await d.waitFor(/peer up/)
  return d
}

beforeAll(async () => {
  dir = tempDir()
  ;({ addr } = await startRelay(join(dir, 'relay')))
  alice = join(dir, 'alice')
  bob = join(dir, 'bob')
  const [a, b] = await Promise.all([
    run(['init', '--data-dir', alice, '--nick', 'alice', '--peer', addr, '--json']),
    run(['init', '--data-dir', bob, '--nick', 'bob', '--peer', addr, '--json']),
  ])
  expect(a.code, a.stderr).toBe(0)
  expect(b.code, b.stderr).toBe(0)
  aliceKey = (JSON.parse(a.stdout) as { key: string }).key
  bobKey = (JSON.parse(b.stdout) as { key: string }).key
})

afterAll(cleanup)

describe('two clients and a relay on ::1', () => {
  it('behavior: become friends, exchange messages, see delivered and read receipts', async () => {
    const bobD = await daemon(bob)
    const aliceD = await daemon(alice)

    const add = await run(['add', '--data-dir', alice, bobKey])
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toMatch(/friend request sent to bob/)

    await eventually('the request at bob', async () => {
      const r = await run(['requests', '--data-dir', bob, '--json'])
      return (JSON.parse(r.stdout) as { key: string }[]).some((x) => x.key === aliceKey)
    })
    const accept = await run(['accept', '--data-dir', bob, 'alice'])
    expect(accept.code, accept.stderr).toBe(0)
    expect(accept.stdout).toMatch(/accepted alice/)

    const send = await run(['send', '--data-dir', alice, 'bob', 'hello', 'bob'])
    expect(send.code, send.stdout + send.stderr).toBe(EXIT.OK)
    expect(send.stdout).toMatch(/delivered to bob ✓✓/)
    await bobD.waitFor(/message from alice: hello bob/)

    const atBob = await run(['history', '--data-dir', bob, 'alice', '--json', '--mark-read'])
    expect(JSON.parse(atBob.stdout)).toMatchObject([
      { outgoing: false, text: 'hello bob', state: 'read' },
    ])
    await eventually('the read receipt at alice', async () => {
      const h = await history(alice, 'bob')
      return h.at(-1)?.state === 'read'
    })
    await aliceD.waitFor(/read/)

    const status = await run(['status', '--data-dir', alice, '--json'])
    expect(JSON.parse(status.stdout)).toMatchObject({
      role: 'client',
      client: { nickname: 'alice', friends: 1, online: 1, outbox: 0 },
    })

    const friends = await run(['friends', '--data-dir', alice, '--json'])
    expect(JSON.parse(friends.stdout)).toMatchObject([
      { nickname: 'bob', status: 'friend', online: true },
    ])
  })

  it('behavior: send to an offline friend exits 3, and a later daemon delivers it once the friend starts', async () => {
    for (const d of daemons.splice(0)) expect(await d.stop('SIGTERM')).toBe(0)

    const send = await run(['send', '--data-dir', alice, 'bob', 'are you there?'])
    expect(send.code, send.stdout + send.stderr).toBe(EXIT.QUEUED)
    expect(send.stdout).toMatch(/bob is offline: the message is queued/)
    expect((await history(alice, 'bob')).at(-1)).toMatchObject({
      text: 'are you there?',
      state: 'queued',
    })

    const bobD = await daemon(bob)
    const flush = await run(['daemon', '--data-dir', alice, '--flush', '--timeout', '20'], {
      timeoutMs: 30_000,
    })
    expect(flush.code, flush.stdout + flush.stderr).toBe(EXIT.OK)
    expect(flush.stdout).toMatch(/outbox empty/)
    await bobD.waitFor(/message from alice: are you there\?/)
    expect((await history(alice, 'bob')).at(-1)?.state).toMatch(/delivered|read/)
  })

  it('behavior: history --mark-read while the sender is offline: the read receipt is kept and reaches them later', async () => {
    for (const d of daemons.splice(0)) expect(await d.stop('SIGTERM')).toBe(0)
    expect((await history(alice, 'bob')).at(-1)).toMatchObject({
      text: 'are you there?',
      state: 'delivered',
    })

    // nobody holds bob's data dir: the command runs in a client of its own, and alice is away
    const read = await run(['history', '--data-dir', bob, 'alice', '--json', '--mark-read'])
    expect(read.code, read.stderr).toBe(0)
    expect((JSON.parse(read.stdout) as HistoryEntry[]).at(-1)).toMatchObject({
      text: 'are you there?',
      state: 'read',
    })
    expect((await history(alice, 'bob')).at(-1)?.state).toBe('delivered')

    await daemon(alice)
    await daemon(bob)
    await eventually('the kept read receipt at alice', async () => {
      const h = await history(alice, 'bob')
      return h.at(-1)?.state === 'read'
    })
    for (const d of daemons.splice(0)) expect(await d.stop('SIGTERM')).toBe(0)
  })

  it('behavior: chat in a terminal (tmux): typing sends, the screen shows the message and ✓✓', async (t) => {
    if (TMUX === undefined) {
      console.log(NO_TMUX)
      t.skip()
      return
    }
    if (daemons.length === 0) await daemon(bob)
    const server = tmuxServer(`chat6-test-${process.pid}`)
    const tm = (...args: string[]) => server.tm(...args)
    try {
      server.start('chat', 100, 24, `chat --data-dir ${alice}`)
      await eventually(
        'the chat screen',
        async () =>
          tm('capture-pane', '-p').includes('bob') && tm('capture-pane', '-p').includes('online'),
      )
      tm('send-keys', 'hi from tmux')
      tm('send-keys', 'Enter')
      const screen = await eventually('the delivered mark', async () => {
        const s = tm('capture-pane', '-p')
        return /you: hi from tmux ✓✓/.test(s) && s
      })
      expect(screen).toMatch(/>● bob/)
      // a message shown on the chat screen is marked read: the sender sees ✓✓ read
      const reply = await run(['send', '--data-dir', bob, 'alice', 'reply from bob'])
      expect(reply.code, reply.stdout + reply.stderr).toBe(0)
      await eventually('the reply on screen', async () =>
        /bob: reply from bob/.test(tm('capture-pane', '-p')),
      )
      await eventually('the read receipt at bob', async () => {
        const h = await history(bob, 'alice')
        return h.at(-1)?.text === 'reply from bob' && h.at(-1)?.state === 'read'
      })
      tm('send-keys', '/quit', 'Enter')
      await eventually('chat to exit 0', async () => tm('capture-pane', '-p').includes('EXIT-0'))
    } finally {
      server.kill()
    }
    const atBob = await history(bob, 'alice')
    expect(atBob.find((m) => m.text === 'hi from tmux')).toMatchObject({ outgoing: false })
  })
})
