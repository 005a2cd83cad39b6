// Status, status message and typing between two real chat screens in tmux (issue 19), through a
// relay on ::1: /status and `chat6 set-status` (forwarded to the running chat, or in a session
// of its own) reach the friend's screen, what the friend types shows as "is typing…" and goes
// when the message is sent, and the friend's status is kept in the data dir across restarts.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cleanup,
  eventually,
  type Running,
  run,
  startRelay,
  tempDir,
  twoFriends,
} from './helpers/cli.ts'
import { TMUX, tmuxServer } from './helpers/tmux.ts'

const server = tmuxServer(`chat6-status-${process.pid}`)
const { tm } = server
const aliceScreen = () => server.screen('alice')
const bobScreen = () => server.screen('bob')

let alice: string
let bob: string
let relayAddr: string
let relay: Running

interface FriendJson {
  nickname: string
  availability: string
  note: string | null
  typing: boolean
}
const friendsOf = async (dataDir: string): Promise<FriendJson[]> => {
  const r = await run(['friends', '--data-dir', dataDir, '--json'])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as FriendJson[]
}

beforeAll(async () => {
  if (TMUX === undefined) return
  const dir = tempDir()
  ;({ relay, addr: relayAddr } = await startRelay(join(dir, 'relay')))
  const pair = await twoFriends(dir, relayAddr)
  ;({ alice, bob } = pair)
  const { aliceD, bobD } = pair
  // alice, on her own: set-status opens a session, tells bob's daemon, and goes
  expect(await aliceD.stop('SIGTERM')).toBe(0)
  const set = await run(['set-status', '--data-dir', alice, 'away', 'at', 'lunch'])
  expect(set.code, set.stderr).toBe(0)
  expect(set.stdout).toBe('you are away · at lunch: sent to 1 friend online\n')
  await bobD.waitFor(/alice says: away · at lunch/)
  expect(await bobD.stop('SIGTERM')).toBe(0)
  server.start('alice', 92, 20, `chat --data-dir ${alice}`)
  server.start('bob', 92, 20, `chat --data-dir ${bob}`)
  await eventually(
    'both screens with the other online',
    async () =>
      /alice \w{8} · away · at lunch/.test(bobScreen()) && /bob \w{8} · online/.test(aliceScreen()),
  )
})

afterAll(async () => {
  if (TMUX !== undefined) server.kill()
  await relay?.stop('SIGTERM')
  await cleanup()
})

describe.skipIf(TMUX === undefined)('status and typing between two chat screens', () => {
  it('behavior: /status shows on the friend’s screen, by the dot and in the header, and in our title', async () => {
    expect(bobScreen()).toContain('>◐ alice')
    tm('send-keys', '-t', 'alice', '/status busy in a call', 'Enter')
    await eventually('bob sees alice busy', async () => {
      const s = bobScreen()
      return s.includes('>⊖ alice') && /alice \w{8} · busy · in a call/.test(s)
    })
    expect(aliceScreen()).toMatch(/^ chat6 · alice \w{8} · busy · in a call /)
    tm('send-keys', '-t', 'alice', '/note', 'Enter')
    await eventually('the note cleared', async () => /alice \w{8} · busy\s*$/m.test(bobScreen()))
  })

  it('behavior: what alice types shows as "alice is typing…" until she sends it', async () => {
    tm('send-keys', '-t', 'alice', 'see you at 8')
    const typing = await eventually('the typing line', async () => {
      const s = bobScreen()
      return s.includes('alice is typing…') && s
    })
    expect(typing).toMatch(/⊖ alice ✎/)
    tm('send-keys', '-t', 'alice', 'Enter')
    const after = await eventually('the message in place of the typing line', async () => {
      const s = bobScreen()
      return s.includes('alice: see you at 8') && !s.includes('is typing') && s
    })
    expect(after).not.toContain('✎')
    // a command is not typing
    tm('send-keys', '-t', 'alice', '/status onl')
    await new Promise((r) => setTimeout(r, 1500))
    expect(bobScreen()).not.toContain('is typing')
    tm('send-keys', '-t', 'alice', 'C-u')
  })

  it('behavior: set-status is carried out by the running chat; the status survives restarts', async () => {
    const r = await run(['set-status', '--data-dir', alice, 'online', 'working from home'])
    expect(r.code, r.stderr).toBe(0)
    await eventually('bob sees the new status', async () => {
      const s = bobScreen()
      return s.includes('>● alice') && /alice \w{8} · online · working from home/.test(s)
    })
    expect((await friendsOf(bob))[0]).toMatchObject({
      nickname: 'alice',
      availability: 'online',
      note: 'working from home',
    })
    // both leave; bob's data dir still knows what alice said, and alice's what she says
    tm('send-keys', '-t', 'alice', '/quit', 'Enter')
    tm('send-keys', '-t', 'bob', '/quit', 'Enter')
    await eventually(
      'both chats ended',
      async () => aliceScreen().includes('EXIT-0') && bobScreen().includes('EXIT-0'),
    )
    expect((await friendsOf(bob))[0]).toMatchObject({ note: 'working from home' })
    const again = await run(['set-status', '--data-dir', alice, 'away', '--json'])
    expect(JSON.parse(again.stdout)).toMatchObject({
      availability: 'away',
      note: 'working from home',
    })
    const usage = await run(['set-status', '--data-dir', alice, 'gone'])
    expect([usage.code, usage.stderr]).toEqual([
      2,
      "chat6: error: STATUS is online, away or busy, not 'gone'\n",
    ])
  })
})
