// The command line of the chat screen as a pure state machine: a keypress in, the new line and
// maybe an action out. node:readline only supplies the keypress events.

/** The input line. `cursor` counts UTF-16 code units of `text` before the cursor. */
export interface EditorState {
  text: string
  cursor: number
  /** Lines entered before, newest last. */
  history: string[]
  /** Index into history while browsing it with ↑/↓, else undefined. */
  browsing: number | undefined
  /** The unsent line kept while browsing. */
  draft: string
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
  | { kind: 'submit'; line: string }
  | { kind: 'next-friend' }
  | { kind: 'prev-friend' }
  | { kind: 'scroll'; by: number }
  | { kind: 'quit' }
  | { kind: 'redraw' }

/** An empty line. */
export function emptyEditor(): EditorState {
  return { text: '', cursor: 0, history: [], browsing: undefined, draft: '' }
}

const MAX_HISTORY = 100
const MAX_INPUT = 32_768

/** Code-unit length of the code point before `i`. */
const before = (s: string, i: number) =>
  i >= 2 && /[\udc00-\udfff]/.test(s[i - 1] ?? '') && /[\ud800-\udbff]/.test(s[i - 2] ?? '') ? 2 : 1
const after = (s: string, i: number) =>
  /[\ud800-\udbff]/.test(s[i] ?? '') && /[\udc00-\udfff]/.test(s[i + 1] ?? '') ? 2 : 1

/**
 * Applies one keypress.
 * @example
 * ```ts
 * let s = emptyEditor()
 * for (const ch of 'hi') s = editorKey(s, { sequence: ch, name: ch }).state
 * editorKey(s, { name: 'return' }).action // { kind: 'submit', line: 'hi' }
 * ```
 */
export function editorKey(s: EditorState, key: Key): { state: EditorState; action?: EditorAction } {
  const { text, cursor } = s
  const set = (t: string, c: number): EditorState => ({ ...s, text: t, cursor: c })
  if (key.ctrl) {
    switch (key.name) {
      case 'c':
      case 'd':
        if (key.name === 'd' && text !== '') break
        return { state: s, action: { kind: 'quit' } }
      case 'a':
        return { state: set(text, 0) }
      case 'e':
        return { state: set(text, text.length) }
      case 'b':
        return { state: set(text, Math.max(0, cursor - before(text, cursor))) }
      case 'f':
        return { state: set(text, Math.min(text.length, cursor + after(text, cursor))) }
      case 'u':
        return { state: set(text.slice(cursor), 0) }
      case 'k':
        return { state: set(text.slice(0, cursor), cursor) }
      case 'w': {
        const head = text.slice(0, cursor).replace(/\S+\s*$|\s+$/, '')
        return { state: set(head + text.slice(cursor), head.length) }
      }
      case 'l':
        return { state: s, action: { kind: 'redraw' } }
      case 'n':
        return { state: s, action: { kind: 'next-friend' } }
      case 'p':
        return { state: s, action: { kind: 'prev-friend' } }
    }
    return { state: s }
  }
  switch (key.name) {
    case 'return':
    case 'enter': {
      const line = text
      const history =
        line.trim() === '' || s.history.at(-1) === line
          ? s.history
          : [...s.history, line].slice(-MAX_HISTORY)
      return {
        state: { text: '', cursor: 0, history, browsing: undefined, draft: '' },
        action: { kind: 'submit', line },
      }
    }
    case 'tab':
      return { state: s, action: { kind: key.shift ? 'prev-friend' : 'next-friend' } }
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
      return { state: set(text, 0) }
    case 'end':
      return { state: set(text, text.length) }
    case 'pageup':
      return { state: s, action: { kind: 'scroll', by: 10 } }
    case 'pagedown':
      return { state: s, action: { kind: 'scroll', by: -10 } }
    case 'up': {
      if (s.history.length === 0) return { state: s }
      const i = s.browsing === undefined ? s.history.length - 1 : Math.max(0, s.browsing - 1)
      const t = s.history[i] ?? ''
      return {
        state: {
          ...s,
          text: t,
          cursor: t.length,
          browsing: i,
          draft: s.browsing === undefined ? text : s.draft,
        },
      }
    }
    case 'down': {
      if (s.browsing === undefined) return { state: s }
      const i = s.browsing + 1
      if (i >= s.history.length)
        return { state: { ...s, text: s.draft, cursor: s.draft.length, browsing: undefined } }
      const t = s.history[i] ?? ''
      return { state: { ...s, text: t, cursor: t.length, browsing: i } }
    }
    case 'escape':
      return { state: s }
  }
  const seq = key.sequence ?? ''
  if (key.meta || seq === '') return { state: s }
  // printable text only; a pasted newline ends nothing, it becomes a space
  // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters
  const insert = seq.replace(/[\r\n]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
  if (insert === '' || text.length + insert.length > MAX_INPUT) return { state: s }
  return { state: set(text.slice(0, cursor) + insert + text.slice(cursor), cursor + insert.length) }
}
