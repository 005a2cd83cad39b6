import { describe, expect, it } from 'vitest'
import { displayWidth } from '../src/format.ts'
import { MIN_PREFIX, parseKey, resolveNamed } from '../src/resolve.ts'
import { parseChatInput } from '../src/tui/commands.ts'
import {
  commitLine,
  type EditorState,
  editorKey,
  emptyEditor,
  type Key,
} from '../src/tui/editor.ts'
import { type ChatView, renderChat } from '../src/tui/render.ts'
import { chatView, friendItem } from './helpers/view.ts'

const type = (s: EditorState, text: string) => {
  let st = s
  for (const ch of text) st = editorKey(st, { sequence: ch, name: ch }).state
  return st
}
const press = (s: EditorState, key: Key) => editorKey(s, key)

describe('editor', () => {
  it('behavior: typing, cursor moves, backspace, submit', () => {
    let s = type(emptyEditor(), 'helo')
    s = press(s, { name: 'left' }).state
    s = type(s, 'l')
    expect(s.text).toBe('hello')
    s = press(s, { name: 'end' }).state
    s = press(s, { name: 'backspace' }).state
    const r = press(s, { name: 'return' })
    expect(r.action).toEqual({ kind: 'submit', line: 'hell', literal: false })
    // the screen decides whether the line goes; then the input empties into history
    expect(r.state.text).toBe('hell')
    const sent = commitLine(r.state)
    expect(sent.text).toBe('')
    expect(sent.history).toEqual(['hell'])
  })
  it('behavior: Tab and Shift-Tab switch friends, Ctrl-C quits', () => {
    expect(press(emptyEditor(), { name: 'tab' }).action).toEqual({ kind: 'next-friend' })
    expect(press(emptyEditor(), { name: 'tab', shift: true }).action).toEqual({
      kind: 'prev-friend',
    })
    expect(press(emptyEditor(), { name: 'c', ctrl: true }).action).toEqual({ kind: 'quit' })
  })
  it('behavior: ↑ recalls history, ↓ returns to the draft', () => {
    let s = commitLine(type(emptyEditor(), 'one'))
    s = type(s, 'dra')
    s = press(s, { name: 'up' }).state
    expect(s.text).toBe('one')
    s = press(s, { name: 'down' }).state
    expect(s.text).toBe('dra')
  })
  it('behavior: Ctrl-W deletes a word, control characters are not inserted', () => {
    let s = type(emptyEditor(), 'hello big world')
    s = press(s, { name: 'w', ctrl: true }).state
    expect(s.text).toBe('hello big ')
    s = press(s, { sequence: '\u001b[31m' }).state
    s = press(s, { sequence: '\u0007' }).state
    expect(s.text).toBe('hello big ')
  })
  it('behavior: surrogate pairs move and delete as one', () => {
    let s = type(emptyEditor(), 'a😀')
    s = press(s, { name: 'backspace' }).state
    expect(s.text).toBe('a')
  })
})

describe('chat input', () => {
  it('behavior: slash commands and messages', () => {
    expect(parseChatInput('hello')).toEqual({ kind: 'message', text: 'hello' })
    expect(parseChatInput('//etc')).toEqual({ kind: 'message', text: '/etc' })
    expect(parseChatInput('/add KEY= bob smith')).toEqual({
      kind: 'add',
      key: 'KEY=',
      nick: 'bob smith',
    })
    expect(parseChatInput('/accept')).toEqual({ kind: 'accept', who: undefined })
    expect(parseChatInput('/verify ok')).toEqual({ kind: 'verify', confirm: true })
    expect(parseChatInput('/nick Al Ice')).toEqual({ kind: 'nick', name: 'Al Ice' })
    expect(parseChatInput('/q')).toEqual({ kind: 'quit' })
    expect(parseChatInput('/frob').kind).toBe('error')
    expect(parseChatInput('   ')).toEqual({ kind: 'empty' })
  })
})

const key = (n: number) => new Uint8Array(32).fill(n)
const hash = (n: number, first = n) => {
  const h = new Uint8Array(32).fill(n)
  h[0] = first
  return h
}

describe('friend resolution', () => {
  const friends = [
    { key: key(1), hash: hash(0x11, 0xab), nickname: 'bob' },
    { key: key(2), hash: hash(0x22, 0xac), nickname: 'Bobby' },
    { key: key(3), hash: hash(0x33, 0xab), nickname: 'carol' },
  ]
  it('behavior: by key, by hash prefix, by nickname (exact, then any case)', () => {
    expect(resolveNamed(btoa(String.fromCharCode(...key(2))), friends, 'friend').nickname).toBe(
      'Bobby',
    )
    expect(resolveNamed('ac22', friends, 'friend').nickname).toBe('Bobby')
    expect(resolveNamed('bob', friends, 'friend').nickname).toBe('bob')
    expect(resolveNamed('BOBBY', friends, 'friend').nickname).toBe('Bobby')
    expect(resolveNamed('AB33', friends, 'friend').nickname).toBe('carol')
  })
  it('error: ambiguous prefix lists the candidates; unknown names the list', () => {
    expect(() => resolveNamed('ab', friends, 'friend')).toThrow(/no friend named 'ab'/)
    expect(MIN_PREFIX).toBe(4)
    const twoAb = [...friends, { key: key(4), hash: hash(0x11, 0xab), nickname: 'dan' }]
    expect(() => resolveNamed('ab11', twoAb, 'friend')).toThrow(/matches 2 friends/)
    expect(() => resolveNamed('zed', friends, 'friend')).toThrow(/no friend named 'zed'/)
    expect(() => resolveNamed(btoa(String.fromCharCode(...key(9))), friends, 'friend')).toThrow(
      /no friend with key/,
    )
  })
  it('error: parseKey explains the expected form', () => {
    expect(parseKey(btoa(String.fromCharCode(...key(5))))).toEqual(key(5))
    expect(() => parseKey('abc')).toThrow(/44 characters of base64/)
  })
})

const view = (over: Partial<ChatView> = {}): ChatView =>
  chatView({
    network: '2 peers',
    friends: [
      friendItem(),
      friendItem({ id: 'c', name: 'carol', shortHash: 'cccc0000', online: false, unread: 2 }),
    ],
    requests: [{ id: 'd', name: 'dave', shortHash: 'dddd0000', conflict: false }],
    selected: 'b',
    lines: [
      { id: '1', outgoing: false, text: 'hello alice', state: 'read', time: 0 },
      { id: '2', outgoing: true, text: 'hi bob', state: 'delivered', time: 0 },
      { id: '3', outgoing: true, text: 'still there?', state: 'queued', time: 0 },
    ],
    input: { ...emptyEditor(), text: 'typing', cursor: 6 },
    ...over,
  })

describe('render', () => {
  it('behavior: fills the terminal exactly, every line the full width', () => {
    const { lines, cursor } = renderChat(view(), 80, 24)
    expect(lines).toHaveLength(24)
    for (const l of lines) expect(displayWidth(l)).toBe(80)
    expect(cursor).toEqual({ row: 23, col: 8 })
  })
  it('behavior: friends with presence, requests, conversation with marks', () => {
    const text = renderChat(view(), 80, 24).lines.join('\n')
    expect(text).toContain('>● bob')
    expect(text).toMatch(/○ carol\s+2/)
    expect(text).toContain('Requests (1)')
    expect(text).toContain('dave')
    expect(text).toContain('bob bbbb0000 · online')
    expect(text).toMatch(/bob: hello alice/)
    expect(text).toMatch(/you: hi bob ✓✓/)
    expect(text).toMatch(/you: still there\? …/)
    expect(text).toContain('> typing')
  })
  it('behavior: network text cannot inject escapes', () => {
    const v = view({
      lines: [{ id: '1', outgoing: false, text: 'x\u001b[2Jy', state: 'received', time: 0 }],
    })
    expect(renderChat(v, 80, 24).lines.join('')).not.toContain('\u001b')
  })
  it('behavior: narrow terminals hide the friends pane; colour adds only SGR codes', () => {
    const narrow = renderChat(view(), 40, 10)
    expect(narrow.lines.join('\n')).not.toContain('Friends')
    for (const l of narrow.lines) expect(displayWidth(l)).toBe(40)
    const coloured = renderChat(view({ color: true }), 80, 24)
    for (const l of coloured.lines) expect(displayWidth(l)).toBe(80)
  })
  it('behavior: long conversations show the newest lines and scroll back', () => {
    const lines = Array.from({ length: 50 }, (_, i) => ({
      id: String(i),
      outgoing: true,
      text: `message ${i}`,
      state: 'sent' as const,
      time: 0,
    }))
    const bottom = renderChat(view({ lines }), 80, 12).lines.join('\n')
    expect(bottom).toContain('message 49')
    expect(bottom).not.toContain('message 40 ')
    const up = renderChat(view({ lines, scroll: 10 }), 80, 12).lines.join('\n')
    expect(up).toContain('message 39')
    expect(up).toContain('more lines below')
  })
})
