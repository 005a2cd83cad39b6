// The input box of the chat screen as a pure state machine: a keypress in, the new text and maybe
// an action out. node:readline only supplies the keypress events. The text may hold several
// lines (Ctrl-J, Alt-Enter, a paste); a bracketed paste is gathered piece by piece and inserted
// once at its end, so a 40 KB paste costs one copy of the text, not one per character.
import { DEFAULT_KEYMAP, type Keymap, keyName, type ScreenAction } from './keys.ts'

/** The input text. `cursor` counts UTF-16 code units of `text` before the cursor. */
export interface EditorState {
  text: string
  cursor: number
  /** Lines entered before, newest last. */
  history: string[]
  /** Index into history while browsing it with ↑/↓, else undefined. */
  browsing: number | undefined
  /** The unsent text kept while browsing. */
  draft: string
  /** The text begins with pasted text: it is sent as a message, never run as a command. */
  literal: boolean
  /** The pieces of a bracketed paste in progress; undefined outside a paste. */
  paste: string[] | undefined
  /** Code units gathered by the paste in progress. */
  pasteLength: number
}

/** A keypress as node:readline's emitKeypressEvents reports it. */
export interface Key {
  sequence?: string
  name?: string
  ctrl?: boolean
  meta?: boolean
  shift?: boolean
}

/** What the screen should do after a key, besides redrawing. */
export type EditorAction =
  /** Enter: the screen decides whether to send (and then calls {@link commitLine}). */
  | { kind: 'submit'; line: string; literal: boolean }
  | { kind: 'next-friend' }
  | { kind: 'prev-friend' }
  | { kind: 'scroll'; by: number }
  | { kind: 'quit' }
  | { kind: 'redraw' }
  /** Esc: dismisses a question on the status line. */
  | { kind: 'cancel' }
  /** A bracketed paste ended; `cut` code units did not fit into the editor. */
  | { kind: 'pasted'; lines: number; length: number; cut: number }
  /** Typed text did not fit into the editor. */
  | { kind: 'full' }

/** An empty input. */
export function emptyEditor(): EditorState {
  return {
    text: '',
    cursor: 0,
    history: [],
    browsing: undefined,
    draft: '',
    literal: false,
    paste: undefined,
    pasteLength: 0,
  }
}

const MAX_HISTORY = 100
/**
 * Most code units the input holds (1 MiB), a bound on memory only: a message is refused at
 * MAX_MESSAGE_BYTES when sent, with the text kept for editing.
 */
export const MAX_EDITOR_TEXT = 1 << 20
/** Rows one scroll key moves the conversation. */
const SCROLL_ROWS = 10

/** Code-unit length of the code point before `i`. */
const before = (s: string, i: number) =>
  i >= 2 && /[\udc00-\udfff]/.test(s[i - 1] ?? '') && /[\ud800-\udbff]/.test(s[i - 2] ?? '') ? 2 : 1
const after = (s: string, i: number) =>
  /[\ud800-\udbff]/.test(s[i] ?? '') && /[\udc00-\udfff]/.test(s[i + 1] ?? '') ? 2 : 1

// biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters
const TYPED_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * The text of a paste: line ends as `\n`, tabs kept, every other control character dropped, and
 * the line end that copying whole lines leaves at the end taken off.
 */
export function cleanPaste(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(/\n$/, '')
}

/** The line (start and end offsets) around offset `i`. */
function lineAt(text: string, i: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', i - 1) + 1
  const nl = text.indexOf('\n', i)
  return { start, end: nl < 0 ? text.length : nl }
}

/** The text after the entry is sent: empty, and the entry kept in history. */
export function commitLine(s: EditorState): EditorState {
  const line = s.text
  const history =
    line.trim() === '' || s.history.at(-1) === line
      ? s.history
      : [...s.history, line].slice(-MAX_HISTORY)
  return { ...emptyEditor(), history }
}

function insert(s: EditorState, text: string, pasted: boolean): EditorState {
  const literal = s.text === '' || s.cursor === 0 ? pasted : s.literal
  return {
    ...s,
    text: s.text.slice(0, s.cursor) + text + s.text.slice(s.cursor),
    cursor: s.cursor + text.length,
    literal,
    browsing: undefined,
  }
}

function screenAction(
  action: ScreenAction,
  s: EditorState,
): { state: EditorState; action?: EditorAction } {
  switch (action) {
    case 'send':
      return { state: s, action: { kind: 'submit', line: s.text, literal: s.literal } }
    case 'newline':
      if (s.text.length >= MAX_EDITOR_TEXT) return { state: s, action: { kind: 'full' } }
      return { state: insert(s, '\n', false) }
    case 'next-friend':
    case 'prev-friend':
    case 'quit':
    case 'redraw':
      return { state: s, action: { kind: action } }
    case 'scroll-up':
      return { state: s, action: { kind: 'scroll', by: SCROLL_ROWS } }
    case 'scroll-down':
      return { state: s, action: { kind: 'scroll', by: -SCROLL_ROWS } }
  }
}

/** ↑/↓ inside a text of several lines: the same column of the line above or below, if any. */
function verticalMove(s: EditorState, up: boolean): EditorState | undefined {
  const { text, cursor } = s
  const here = lineAt(text, cursor)
  const col = cursor - here.start
  if (up) {
    if (here.start === 0) return undefined
    const above = lineAt(text, here.start - 1)
    return { ...s, cursor: Math.min(above.start + col, above.end) }
  }
  if (here.end >= text.length) return undefined
  const below = lineAt(text, here.end + 1)
  return { ...s, cursor: Math.min(below.start + col, below.end) }
}

/**
 * Applies one keypress.
 * @param keys - the key bindings of screen actions (config.json `keys`)
 * @example
 * ```ts
 * let s = emptyEditor()
 * for (const ch of 'hi') s = editorKey(s, { sequence: ch, name: ch }).state
 * editorKey(s, { name: 'return' }).action // { kind: 'submit', line: 'hi', literal: false }
 * ```
 */
export function editorKey(
  s: EditorState,
  key: Key,
  keys: Keymap = DEFAULT_KEYMAP,
): { state: EditorState; action?: EditorAction } {
  // a bracketed paste (CSI 200~ … CSI 201~) is text, whatever keys it holds
  if (key.name === 'paste-start') return { state: { ...s, paste: [], pasteLength: 0 } }
  if (s.paste !== undefined) {
    if (key.name !== 'paste-end') {
      const seq = key.sequence ?? ''
      // escape sequences inside a paste are not keys to act on; the pieces array grows in place
      if (seq !== '' && !seq.includes('\u001b')) {
        s.paste.push(seq)
        s.pasteLength += seq.length
      }
      return { state: s }
    }
    const raw = s.paste.join('')
    const done = { ...s, paste: undefined, pasteLength: 0 }
    let text = cleanPaste(raw)
    const room = Math.max(0, MAX_EDITOR_TEXT - s.text.length)
    const cut = Math.max(0, text.length - room)
    if (cut > 0)
      text = text.slice(0, /[\ud800-\udbff]/.test(text[room - 1] ?? '') ? room - 1 : room)
    const lines = text === '' ? 0 : text.split('\n').length
    return {
      state: text === '' ? done : insert(done, text, true),
      action: { kind: 'pasted', lines, length: text.length, cut },
    }
  }
  if (key.name === 'paste-end') return { state: s }

  const bound = keys.get(keyName(key))
  if (bound !== undefined) return screenAction(bound, s)

  const { text, cursor } = s
  const set = (t: string, c: number): EditorState => ({
    ...s,
    text: t,
    cursor: c,
    literal: t === '' ? false : s.literal,
  })
  if (key.ctrl) {
    switch (key.name) {
      case 'd':
        if (text !== '') break
        return { state: s, action: { kind: 'quit' } }
      case 'a':
        return { state: set(text, lineAt(text, cursor).start) }
      case 'e':
        return { state: set(text, lineAt(text, cursor).end) }
      case 'b':
        return { state: set(text, Math.max(0, cursor - before(text, cursor))) }
      case 'f':
        return { state: set(text, Math.min(text.length, cursor + after(text, cursor))) }
      case 'u': {
        const start = lineAt(text, cursor).start
        return { state: set(text.slice(0, start) + text.slice(cursor), start) }
      }
      case 'k': {
        const end = lineAt(text, cursor).end
        return { state: set(text.slice(0, cursor) + text.slice(end), cursor) }
      }
      case 'w': {
        const head = text.slice(0, cursor).replace(/\S+[^\S\n]*$|[^\S\n]+$/, '')
        return { state: set(head + text.slice(cursor), head.length) }
      }
    }
    return { state: s }
  }
  switch (key.name) {
    case 'return':
    case 'enter':
      // Enter, Ctrl-J or Alt-Enter rebound to nothing: do nothing rather than guess
      return { state: s }
    case 'backspace':
      if (cursor === 0) return { state: s }
      return {
        state: set(
          text.slice(0, cursor - before(text, cursor)) + text.slice(cursor),
          cursor - before(text, cursor),
        ),
      }
    case 'delete':
      if (cursor >= text.length) return { state: s }
      return {
        state: set(text.slice(0, cursor) + text.slice(cursor + after(text, cursor)), cursor),
      }
    case 'left':
      return { state: set(text, Math.max(0, cursor - before(text, cursor))) }
    case 'right':
      return { state: set(text, Math.min(text.length, cursor + after(text, cursor))) }
    case 'home':
      return { state: set(text, lineAt(text, cursor).start) }
    case 'end':
      return { state: set(text, lineAt(text, cursor).end) }
    case 'up': {
      const moved = verticalMove(s, true)
      if (moved !== undefined) return { state: moved }
      if (s.history.length === 0) return { state: s }
      const i = s.browsing === undefined ? s.history.length - 1 : Math.max(0, s.browsing - 1)
      const t = s.history[i] ?? ''
      return {
        state: {
          ...s,
          text: t,
          cursor: t.length,
          browsing: i,
          literal: false,
          draft: s.browsing === undefined ? text : s.draft,
        },
      }
    }
    case 'down': {
      const moved = verticalMove(s, false)
      if (moved !== undefined) return { state: moved }
      if (s.browsing === undefined) return { state: s }
      const i = s.browsing + 1
      if (i >= s.history.length)
        return { state: { ...s, text: s.draft, cursor: s.draft.length, browsing: undefined } }
      const t = s.history[i] ?? ''
      return { state: { ...s, text: t, cursor: t.length, browsing: i } }
    }
    case 'escape':
      return { state: s, action: { kind: 'cancel' } }
  }
  const seq = key.sequence ?? ''
  // Alt-x, and escape sequences node:readline does not name (focus, unknown keys), are not text
  if (key.meta || seq === '' || seq.startsWith('\u001b')) return { state: s }
  // printable text only: a terminal without bracketed paste sends a pasted line end as Enter
  const typed = seq.replace(/[\r\n]/g, ' ').replace(TYPED_CONTROLS, '')
  if (typed === '') return { state: s }
  if (text.length + typed.length > MAX_EDITOR_TEXT) return { state: s, action: { kind: 'full' } }
  return { state: insert(s, typed, false) }
}
