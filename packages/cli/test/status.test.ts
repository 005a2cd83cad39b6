// Status, status message and typing on the chat screen and from the command line (issue 19):
// the commands, what the friends pane, the conversation header, the title bar and the typing
// line show, the `typing` part of config.json; and the operator's views: per-peer frame
// counts and redialled peers in `chat6 status`, the presence queue in the metrics, a forgotten
// address said once.
import type { DialFailure } from '@chat6/node'
import { describe, expect, it } from 'vitest'
import { forgottenText } from '../src/addr.ts'
import { availabilityArg } from '../src/args.ts'
import { logDials } from '../src/commands/node.ts'
import { EMPTY_CONFIG } from '../src/config.ts'
import { displayWidth } from '../src/format.ts'
import { createEventLog } from '../src/logline.ts'
import { NODE_METRICS, nodeRegistry } from '../src/metrics.ts'
import { parseChatInput } from '../src/tui/commands.ts'
import { watchNetwork } from '../src/tui/network-watch.ts'
import { renderChat } from '../src/tui/render.ts'
import { chatSettings } from '../src/tui/settings.ts'
import { chatView, friendItem } from './helpers/view.ts'

describe('status commands', () => {
  it('behavior: /status sets availability and, when given, the note; /note alone clears it', () => {
    expect(parseChatInput('/status away back at 2')).toEqual({
      kind: 'status',
      availability: 'away',
      note: 'back at 2',
    })
    expect(parseChatInput('/status BUSY')).toEqual({
      kind: 'status',
      availability: 'busy',
      note: undefined,
    })
    expect(parseChatInput('/status back')).toEqual({
      kind: 'status',
      availability: 'online',
      note: undefined,
    })
    expect(parseChatInput('/note on a train')).toEqual({ kind: 'note', note: 'on a train' })
    expect(parseChatInput('/note')).toEqual({ kind: 'note', note: undefined })
  })

  it('error: a status that is none of online, away, busy says which words work', () => {
    expect(parseChatInput('/status gone')).toEqual({
      kind: 'error',
      message: "usage: /status online|away|busy [NOTE] ('gone' is none of them)",
    })
    expect(parseChatInput('/status')).toEqual({
      kind: 'error',
      message: 'usage: /status online|away|busy [NOTE]',
    })
    expect(availabilityArg('Away')).toBe('away')
    expect(() => availabilityArg('dnd')).toThrow("STATUS is online, away or busy, not 'dnd'")
  })
})

describe('status and typing on screen', () => {
  const friends = [
    friendItem({ availability: 'away', note: 'at lunch', typing: true }),
    friendItem({ id: 'c', name: 'carol', shortHash: 'cccc0000', availability: 'busy' }),
    friendItem({ id: 'd', name: 'dave', shortHash: 'dddd0000', online: false, typing: true }),
  ]
  const view = chatView({ friends, selected: 'b' })

  it('behavior: the dot says away or busy, the header says the note, and a typing friend has a line', () => {
    const { lines } = renderChat(view, 80, 16)
    const text = lines.join('\n')
    expect(text).toContain('>◐ bob ✎')
    expect(text).toContain(' ⊖ carol')
    // offline: no availability, no typing (their last `active` means nothing now)
    expect(text).toMatch(/ ○ dave\s+│/)
    expect(text).toContain('bob bbbb0000 · away · at lunch')
    // the typing line sits right above the rule, under the newest message
    const rule = lines.findIndex((l) => l.includes('───────'))
    expect(lines[rule - 1]).toMatch(/│ bob is typing…\s*$/)
    for (const l of lines) expect(displayWidth(l)).toBe(80)
  })

  it('behavior: ASCII marks, and our own status in the title bar', () => {
    const mine = chatView({
      friends,
      selected: 'c',
      ascii: true,
      me: { nickname: 'alice', shortHash: 'a1b2c3d4', availability: 'busy', note: 'in a call' },
    })
    const text = renderChat(mine, 90, 16).lines.join('\n')
    expect(text).toContain(' chat6 · alice a1b2c3d4 · busy · in a call ')
    expect(text).toContain(' ~ bob ...')
    expect(text).toContain('>x carol')
    expect(text).toContain('carol cccc0000 · busy')
    expect(text).not.toContain('is typing')
  })

  it('behavior: a note from the network cannot inject escapes', () => {
    const v = chatView({
      friends: [friendItem({ note: 'x\u001b[2Jy\u0007' })],
      selected: 'b',
      color: true,
    })
    const text = renderChat(v, 80, 16).lines.join('')
    expect(text).not.toContain('\u001b[2J')
    expect(text).not.toContain('\u0007')
  })

  it('behavior: config.json turns sending and showing typing off; a mistake names the field', () => {
    const settings = (typing: unknown) =>
      chatSettings({ ...EMPTY_CONFIG, chat: { typing } }, '/d/config.json').typing
    expect(settings(undefined)).toEqual({ send: true, show: true })
    expect(settings({ send: false })).toEqual({ send: false, show: true })
    expect(settings({ show: false, send: true })).toEqual({ send: true, show: false })
    expect(() => settings({ send: 'no' })).toThrow(
      '/d/config.json: typing.send: expected true or false',
    )
    expect(() => settings({ receive: true })).toThrow(
      '/d/config.json: typing.receive: unknown setting (send, show)',
    )
    expect(() => settings(true)).toThrow(
      '/d/config.json: typing: expected { "send": true, "show": true }',
    )
    const colours = chatSettings(
      { ...EMPTY_CONFIG, chat: { colors: { away: 'bright-yellow', typing: 'italic' } } },
      '/d/config.json',
    ).theme
    expect([colours.away, colours.typing]).toEqual(['93', '3'])
  })
})

/** A node with no peers that only hands out its event handlers, for `dial:failed` by hand. */
function dialNode() {
  const handlers = new Map<string, (f: DialFailure) => void>()
  const node = {
    on: (name: string, fn: (f: DialFailure) => void) => {
      handlers.set(name, fn)
      return () => {}
    },
    peers: () => [],
    listenAddress: undefined,
  }
  return { node, handlers }
}

/** A failed dial of an address learnt from a neighbour. */
const discovered = (over: Partial<DialFailure>): DialFailure => ({
  address: { host: '2001:db8::9', port: 7600 },
  code: 'refused',
  message: 'connect ECONNREFUSED',
  source: 'discovered',
  failures: 1,
  retryIn: 1000,
  ...over,
})

describe('operators', () => {
  it('behavior: a forgotten address is said once, in the chat screen in place of its failure', () => {
    const { node, handlers } = dialNode()
    const said: string[] = []
    const watch = watchNetwork(node as never, [], {
      notice: (text, level, subject) => said.push(`${level} ${subject} ${text}`),
      clear: (subject) => said.push(`clear ${subject}`),
    })
    const failure = discovered({ failures: 4, retryIn: 16_000 })
    handlers.get('dial:failed')?.(failure)
    handlers.get('dial:failed')?.({ ...failure, failures: 5, retryIn: undefined, forgotten: true })
    expect(said).toEqual([
      'error dial:[2001:db8::9]:7600 cannot reach [2001:db8::9]:7600: refused (connect ECONNREFUSED); retrying',
      'info dial:[2001:db8::9]:7600 forgetting [2001:db8::9]:7600, never reached after 5 tries',
    ])
    // the title bar no longer names it
    expect(watch.label()).toBe('0 peers · nothing to dial')
    expect(forgottenText({ address: { host: '::1', port: 7999 }, failures: 5 })).toBe(
      'forgetting [::1]:7999, never reached after 5 tries',
    )
  })

  it('behavior: chat6 node logs a failing address once, and once more when it forgets it', () => {
    const { node, handlers } = dialNode()
    const out: string[] = []
    logDials(
      node as never,
      createEventLog(
        (t) => out.push(t),
        false,
        () => 0,
      ),
    )
    const failure = discovered({ code: 'unreachable', message: 'connect ENETUNREACH' })
    for (let n = 1; n < 5; n++)
      handlers.get('dial:failed')?.({ ...failure, failures: n, retryIn: 1000 * 2 ** n })
    handlers.get('dial:failed')?.({ ...failure, failures: 5, retryIn: undefined, forgotten: true })
    expect(out).toEqual([
      '1970-01-01T00:00:00Z dial [2001:db8::9]:7600 failed: unreachable (connect ENETUNREACH), retrying with backoff (next in 2 s)\n',
      '1970-01-01T00:00:00Z forgetting [2001:db8::9]:7600, never reached after 5 tries\n',
    ])
  })

  it('behavior: the presence queue depth is a gauge of the metrics', async () => {
    expect(NODE_METRICS.map((m) => m.name)).toContain('chat6_presence_queued')
    const stats = {
      framesIn: {},
      framesOut: {},
      bytesIn: 0,
      bytesOut: 0,
      drops: {},
      byesOut: {},
      byesIn: {},
      delivered: 0,
      forwarded: 0,
      peers: 0,
      pendingHandshakes: 0,
      clients: 0,
      clientsOnline: 0,
      clientsReachable: 0,
      attached: 0,
      presenceQueued: 17,
    }
    const text = await nodeRegistry({ stats: () => stats, peers: () => [] }).metrics()
    expect(text).toContain('# TYPE chat6_presence_queued gauge\nchat6_presence_queued 17\n')
  })
})
