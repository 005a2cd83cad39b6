// The chat screen's input: bracketed paste, new lines, the size limit, and a render whose cost
// does not grow with the length of the text.
import { describe, expect, it } from 'vitest'
import { displayWidth, wrap } from '../src/format.ts'
import {
  cleanPaste,
  commitLine,
  type EditorState,
  editorKey,
  emptyEditor,
  type Key,
  MAX_EDITOR_TEXT,
} from '../src/tui/editor.ts'
import { buildKeymap, keyName } from '../src/tui/keys.ts'
import { type ChatView, inputView, renderChat, utf8Length } from '../src/tui/render.ts'
import { chatView, friendItem } from './helpers/view.ts'

const type = (s: EditorState, text: string) => {
  let st = s
  for (const ch of text) st = editorKey(st, { sequence: ch, name: ch }).state
  return st
}

/** A bracketed paste as node:readline reports it: start, one key per character, end. */
const paste = (s: EditorState, text: string) => {
  let st = editorKey(s, { name: 'paste-start', sequence: '\u001b[200~' }).state
  for (const ch of text) {
    const key: Key =
      ch === '\r'
        ? { name: 'return', sequence: '\r' }
        : ch === '\n'
          ? { name: 'enter', sequence: '\n' }
          : { sequence: ch, name: ch }
    st = editorKey(st, key).state
  }
  return editorKey(st, { name: 'paste-end', sequence: '\u001b[201~' })
}

describe('bracketed paste', () => {
  it('behavior: a pasted block is one text with its line breaks, not a submit per line', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`)
    const r = paste(emptyEditor(), `${lines.join('\r')}\r`)
    expect(r.action).toEqual({ kind: 'pasted', lines: 50, length: r.state.text.length, cut: 0 })
    // the trailing line end of copied lines is dropped; every other one is kept
    expect(r.state.text).toBe(lines.join('\n'))
    expect(r.state.literal).toBe(true)
    // Enter then submits it whole, marked literal: the screen sends it, never runs it
    const enter = editorKey(r.state, { name: 'return', sequence: '\r' })
    expect(enter.action).toEqual({ kind: 'submit', line: lines.join('\n'), literal: true })
  })
  it('behavior: a paste that starts with / is text; one inside a typed command is part of it', () => {
    const q = paste(emptyEditor(), '/quit').state
    expect(editorKey(q, { name: 'return' }).action).toMatchObject({ line: '/quit', literal: true })
    const add = paste(type(emptyEditor(), '/add '), 'KEY=').state
    expect(editorKey(add, { name: 'return' }).action).toMatchObject({
      line: '/add KEY=',
      literal: false,
    })
    // the flag goes with the text: emptied, the next typed line is a command again
    const cleared = commitLine(q)
    expect(type(cleared, '/help').literal).toBe(false)
  })
  it('behavior: keys inside a paste are text; escape sequences and controls are dropped', () => {
    let s = editorKey(emptyEditor(), { name: 'paste-start' }).state
    for (const key of [
      { sequence: 'a', name: 'a' },
      { sequence: '\t', name: 'tab' },
      { sequence: '\u0003', name: 'c', ctrl: true },
      { sequence: '\u001b[A', name: 'up' },
      { sequence: 'b', name: 'b' },
    ])
      s = editorKey(s, key).state
    const end = editorKey(s, { name: 'paste-end' })
    expect(end.state.text).toBe('a\tb')
    expect(cleanPaste('x\r\ny\rz\u0007\n')).toBe('x\ny\nz')
  })
  it('behavior: a paste over the input bound is cut and says by how much', () => {
    const r = paste(type(emptyEditor(), 'ab'), 'x'.repeat(10))
    expect(r.action).toMatchObject({ cut: 0 })
    const big = editorKey(editorKey(emptyEditor(), { name: 'paste-start' }).state, {
      sequence: 'y'.repeat(MAX_EDITOR_TEXT + 5),
    }).state
    const done = editorKey(big, { name: 'paste-end' })
    expect(done.state.text.length).toBe(MAX_EDITOR_TEXT)
    expect(done.action).toMatchObject({ kind: 'pasted', cut: 5 })
  })
})

describe('new lines and keys', () => {
  it('behavior: Ctrl-J and Alt-Enter insert a new line; Enter submits', () => {
    let s = type(emptyEditor(), 'one')
    s = editorKey(s, { name: 'enter', sequence: '\n' }).state
    s = type(s, 'two')
    s = editorKey(s, { name: 'return', sequence: '\u001b\r', meta: true }).state
    s = type(s, 'three')
    expect(s.text).toBe('one\ntwo\nthree')
    expect(editorKey(s, { name: 'return', sequence: '\r' }).action).toMatchObject({
      kind: 'submit',
      line: 'one\ntwo\nthree',
    })
  })
  it('behavior: ↑/↓ move between the lines of the input before they browse history', () => {
    let s = commitLine(type(emptyEditor(), 'old'))
    s = type(s, 'ab')
    s = editorKey(s, { name: 'enter' }).state
    s = type(s, 'cdef')
    s = editorKey(s, { name: 'up' }).state
    expect(s.cursor).toBe(2) // end of 'ab', the column clamped
    expect(s.text).toBe('ab\ncdef')
    s = editorKey(s, { name: 'up' }).state
    expect(s.text).toBe('old')
    s = editorKey(s, { name: 'down' }).state
    expect(s.text).toBe('ab\ncdef')
  })
  it('behavior: key names, and bindings from config.json with their mistakes', () => {
    expect(keyName({ name: 'return' })).toBe('enter')
    expect(keyName({ name: 'enter' })).toBe('ctrl-j')
    expect(keyName({ name: 'return', meta: true })).toBe('alt-enter')
    expect(keyName({ name: 'tab', shift: true })).toBe('shift-tab')
    const map = buildKeymap({ newline: ['f2'], send: 'enter'.split(' ') })
    expect(map.get('f2')).toBe('newline')
    expect(map.get('ctrl-j')).toBeUndefined()
    let s = type(emptyEditor(), 'a')
    s = editorKey(s, { name: 'f2' }, map).state
    expect(s.text).toBe('a\n')
    expect(() => buildKeymap({ newline: ['tab'] })).toThrow(
      "'tab' is bound to both newline and next-friend",
    )
    expect(() => buildKeymap({ jump: ['f3'] })).toThrow(/unknown action 'jump'/)
    expect(() => buildKeymap({ quit: ['q'] })).toThrow(
      "'q' is typed text: bind it with ctrl- or alt-",
    )
    expect(() => buildKeymap({ send: [] })).toThrow("no key is bound to 'send'")
  })
})

const view = (input: EditorState, over: Partial<ChatView> = {}) => chatView({ input, ...over })

describe('input rendering', () => {
  it('behavior: the input grows to a few rows and keeps the cursor row in view', () => {
    const s = paste(
      emptyEditor(),
      Array.from({ length: 50 }, (_, i) => `row ${i}`).join('\n'),
    ).state
    const frame = renderChat(view(s), 80, 24)
    expect(frame.lines).toHaveLength(24)
    for (const l of frame.lines) expect(displayWidth(l)).toBe(80)
    const text = frame.lines.join('\n')
    expect(text).toContain('row 49')
    expect(text).not.toContain('row 40')
    expect(text).toContain('50 lines · 339 bytes')
    expect(frame.cursor).toEqual({ row: 23, col: 8 })
  })
  it('behavior: a text over the message limit says so on the screen', () => {
    const s = paste(emptyEditor(), 'x'.repeat(40_000)).state
    const text = renderChat(view(s), 100, 30).lines.join('\n')
    expect(text).toContain('40,000 bytes: over the 32,768-byte limit, shorten it to send')
    expect(utf8Length('é😀')).toBe(6)
  })
  it('behavior: a long line is cut into rows; the cursor follows the text', () => {
    const s = type(emptyEditor(), 'abcdefghij')
    const v = inputView(s, 4, 3)
    expect(v.rows).toEqual(['abcd', 'efgh', 'ij'])
    expect([v.cursorRow, v.cursorCol]).toEqual([2, 2])
    const full = inputView(type(emptyEditor(), 'abcdefgh'), 4, 3)
    expect(full.rows).toEqual(['abcd', 'efgh', ''])
    expect([full.cursorRow, full.cursorCol]).toEqual([2, 0])
    const nl = type(editorKey(emptyEditor(), { name: 'enter' }).state, 'ab')
    const lead = inputView({ ...nl, cursor: 0 }, 10, 3)
    expect(lead).toEqual({ rows: ['', 'ab'], cursorRow: 0, cursorCol: 0 })
  })
  it('behavior: multi-line messages render as lines', () => {
    const v = view(emptyEditor(), {
      friends: [friendItem()],
      selected: 'b',
      lines: [
        { id: 'm1', outgoing: false, text: 'first\nsecond\n\nfourth', state: 'read', time: 0 },
      ],
    })
    const lines = renderChat(v, 80, 24).lines
    const at = lines.findIndex((l) => l.includes('bob: first'))
    const col = (lines[at] ?? '').indexOf('00:00')
    expect(lines.slice(at, at + 4).map((l) => l.slice(col).trimEnd())).toEqual([
      '00:00 bob: first',
      '        second',
      '',
      '        fourth',
    ])
  })
  it('behavior: wrap breaks a 40 KB word in one pass, at the width', () => {
    const lines = wrap('x'.repeat(40_000), 77)
    expect(lines).toHaveLength(Math.ceil(40_000 / 77))
    expect(lines.every((l) => l.length <= 77)).toBe(true)
    expect(wrap('ab 😀😀😀', 4)).toEqual(['ab', '😀😀', '😀'])
  })
})
