// The chat screen's status line, notifications, settings from config.json, the key's QR code,
// and how requests present their senders' nicknames.
import decodeQR from 'qr/decode.js'
import { describe, expect, it } from 'vitest'
import { EMPTY_CONFIG } from '../src/config.ts'
import { qrLines } from '../src/qr.ts'
import { pickRequest, presentRequests, requestLabel } from '../src/requests.ts'
import { parseChatInput } from '../src/tui/commands.ts'
import { createNotices, ERROR_TTL_MS, INFO_TTL_MS } from '../src/tui/notices.ts'
import {
  createNotifier,
  DEFAULT_NOTIFY,
  detectDesktop,
  NOTIFY_MIN_INTERVAL_MS,
  notificationBytes,
} from '../src/tui/notify.ts'
import { chatSettings } from '../src/tui/settings.ts'
import { DEFAULT_THEME, parseColor } from '../src/tui/theme.ts'

describe('status line', () => {
  it('behavior: a notice about a subject is cleared by the event that ends it, not by others', () => {
    const t = 0
    const n = createNotices(() => t)
    n.set('friend request sent to bob', 'info', 'request:bb')
    n.clear('queued:bb')
    expect(n.current()?.text).toBe('friend request sent to bob')
    n.clear('request:bb')
    expect(n.current()).toBeUndefined()
  })
  it('behavior: information fades, errors later, a question never', () => {
    let t = 0
    const n = createNotices(() => t)
    n.set('queued', 'info')
    t = INFO_TTL_MS - 1
    expect(n.current()).toEqual({ text: 'queued', level: 'info' })
    t = INFO_TTL_MS
    expect(n.current()).toBeUndefined()
    n.set('bad', 'error')
    t += ERROR_TTL_MS
    expect(n.current()).toBeUndefined()
    n.set('send 50 lines?', 'ask')
    t += 10 * ERROR_TTL_MS
    expect(n.current()?.level).toBe('ask')
  })
})

describe('notifications', () => {
  it('behavior: the desktop protocol is read from the variables terminals set', () => {
    expect(detectDesktop({ TERM_PROGRAM: 'iTerm.app' }).protocol).toBe('osc9')
    expect(detectDesktop({ KITTY_WINDOW_ID: '1', TERM: 'tmux-256color' }).protocol).toBe('osc9')
    expect(detectDesktop({ VTE_VERSION: '7600' }).protocol).toBe('osc777')
    expect(detectDesktop({ TERM: 'foot' }).protocol).toBe('osc777')
    expect(detectDesktop({ TERM: 'xterm-256color' })).toEqual({
      protocol: 'off',
      why: 'no terminal known to show notifications',
    })
  })
  it('behavior: bell and OSC 777, wrapped for tmux; network text cannot escape the sequence', () => {
    const on = { bell: true, desktop: 'osc777' as const }
    expect(notificationBytes(on, {}, 'chat6', 'message from bob')).toBe(
      '\u0007\u001b]777;notify;chat6;message from bob\u001b\\',
    )
    expect(notificationBytes({ bell: false, desktop: 'osc9' }, {}, 'chat6', 'hi')).toBe(
      '\u001b]9;chat6: hi\u001b\\',
    )
    expect(notificationBytes(on, { TMUX: '/tmp/tmux-0/default,1,0' }, 'chat6', 'x')).toBe(
      '\u0007\u001bPtmux;\u001b\u001b]777;notify;chat6;x\u001b\u001b\\\u001b\\',
    )
    const evil = notificationBytes(on, {}, 'chat6', 'message from e\u0007vil;\u001b]0;pwned')
    expect(evil).toBe(
      '\u0007\u001b]777;notify;chat6;message from e\ufffdvil,\ufffd]0,pwned\u001b\\',
    )
    expect(notificationBytes({ bell: false, desktop: 'off' }, {}, 'chat6', 'x')).toBe('')
  })
  it('behavior: a flood of events rings once per interval', () => {
    let t = 0
    const out: string[] = []
    const notify = createNotifier(
      DEFAULT_NOTIFY,
      { TERM: 'xterm' },
      (b) => out.push(b),
      () => t,
    )
    expect(notify('chat6', 'a')).toBe(true)
    expect(notify('chat6', 'b')).toBe(false)
    t = NOTIFY_MIN_INTERVAL_MS
    expect(notify('chat6', 'c')).toBe(true)
    expect(out).toEqual(['\u0007', '\u0007'])
  })
})

describe('config.json settings', () => {
  const file = '/d/config.json'
  const withChat = (chat: Record<string, unknown>) => chatSettings({ ...EMPTY_CONFIG, chat }, file)
  it('behavior: colours, keys and notifications from the file', () => {
    const s = withChat({
      colors: { me: 'bold bright-green', notice: 'default' },
      keys: { newline: 'f2' },
      notify: { bell: false, desktop: 'osc9' },
    })
    expect(s.theme.me).toBe('1;92')
    expect(s.theme.notice).toBe('')
    expect(s.theme.friend).toBe(DEFAULT_THEME.friend)
    expect(s.keys.get('f2')).toBe('newline')
    expect(s.notify).toEqual({ bell: false, desktop: 'osc9' })
    expect(parseColor('red on-white underline')).toBe('31;47;4')
  })
  it('error: each mistake names the file, the field and what is allowed', () => {
    expect(() => withChat({ colors: { me: 'purple' } })).toThrow(
      "/d/config.json: colors: 'purple' is not a colour (black, red, green, yellow, blue, magenta, cyan, white, bright-…, on-…, bold, dim, italic, underline, reverse, default)",
    )
    expect(() => withChat({ colors: { title2: 'red' } })).toThrow(
      /^\/d\/config\.json: colors: unknown colour role 'title2' \(roles: title, heading, me,/,
    )
    expect(() => withChat({ keys: { newline: 5 } })).toThrow(
      '/d/config.json: keys: expected an object of action → key or list of keys, e.g. { "newline": ["ctrl-j"] }',
    )
    expect(() => withChat({ notify: { bell: 'yes' } })).toThrow(
      '/d/config.json: notify.bell: expected true or false',
    )
    expect(() => withChat({ notify: { desktop: 'growl' } })).toThrow(
      '/d/config.json: notify.desktop: expected one of auto, osc777, osc9, off',
    )
    expect(() => withChat({ notify: { sound: true } })).toThrow(
      '/d/config.json: notify.sound: unknown setting (bell, desktop)',
    )
  })
})

describe('QR code of the key', () => {
  it('behavior: the half-block rendering scans back to the key', () => {
    const key = 'hbxpQQVh0apEBOKyseAJ28cKJyIuRVHkquorh3mWkhQ='
    const lines = qrLines(key, { color: false })
    expect(lines.length).toBeLessThanOrEqual(17)
    // back from text to pixels: ▀ light over dark, ▄ dark over light, █ both light, ' ' both dark
    const scale = 4
    const width = [...(lines[0] ?? '')].length * scale
    const height = lines.length * 2 * scale
    const data = new Uint8Array(width * height * 4)
    lines.forEach((line, row) => {
      ;[...line].forEach((ch, x) => {
        const top = ch === '█' || ch === '▀'
        const bottom = ch === '█' || ch === '▄'
        for (const [half, light] of [
          [0, top],
          [1, bottom],
        ] as const)
          for (let dy = 0; dy < scale; dy++)
            for (let dx = 0; dx < scale; dx++) {
              const i = (((row * 2 + half) * scale + dy) * width + x * scale + dx) * 4
              data.fill(light ? 255 : 0, i, i + 3)
              data[i + 3] = 255
            }
      })
    })
    expect(decodeQR({ width, height, data })).toBe(key)
    const coloured = qrLines(key, { color: true })
    const esc = '\u001b'
    expect(coloured[0]?.startsWith(`${esc}[97;40m`)).toBe(true)
    expect(coloured[0]?.endsWith(`${esc}[0m`)).toBe(true)
  })
  it('behavior: /mykey and /verify are commands; /verify with anything but ok says so', () => {
    expect(parseChatInput('/mykey')).toEqual({ kind: 'mykey' })
    expect(parseChatInput('/verify')).toEqual({ kind: 'verify', confirm: false })
    expect(parseChatInput('/verify OK')).toEqual({ kind: 'verify', confirm: true })
    expect(parseChatInput('/verify maybe')).toEqual({
      kind: 'error',
      message:
        "'/verify maybe' is not a command: /verify shows the safety number, /verify ok marks the friend verified once it matches",
    })
  })
})

const bytes = (n: number) => new Uint8Array(32).fill(n)

describe('requests', () => {
  const carol = {
    key: bytes(1),
    hash: bytes(0xc1),
    nickname: undefined,
    receivedAt: 0,
    conflictsWith: undefined,
  }
  const node = {
    client: (hash: Uint8Array | string) =>
      typeof hash !== 'string' && hash[0] === 0xc1
        ? ({ clientkey: bytes(1), nickname: 'carol' } as never)
        : undefined,
  }
  it('behavior: the nickname the sender presents, from the node when the request has none', () => {
    const [r] = presentRequests([carol], [], node)
    expect(r?.nickname).toBe('carol')
    expect(requestLabel(r as never)).toBe('carol (unverified) c1c1c1c1')
    expect(pickRequest('carol', [r as never]).key).toEqual(bytes(1))
    // a presence for another key under that hash is not theirs
    const [other] = presentRequests([{ ...carol, key: bytes(2) }], [], node)
    expect(other?.nickname).toBeUndefined()
  })
  it("error: a request using a friend's name is not picked by that name", () => {
    const friend = { key: bytes(9), hash: bytes(9), nickname: 'carol' }
    const [r] = presentRequests([carol], [friend as never], node)
    expect(r?.conflict).toBe(true)
    expect(requestLabel(r as never)).toBe('carol (unverified, the name of a friend!) c1c1c1c1')
    expect(() => pickRequest('carol', [r as never])).toThrow(
      "the request from 'carol' uses the name of one of your friends with another key: pick it by its hash (c1c1c1c1) if you are sure",
    )
    expect(pickRequest('c1c1', [r as never]).key).toEqual(bytes(1))
  })
})
