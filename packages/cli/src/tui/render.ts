// Renders the chat screen from a plain view model to lines of text with ANSI colours: a pure
// function of (view, size), so the layout is unit-tested and a redraw is just "print these".
// Its cost follows what is on screen, not the length of the input or of a message.
import {
  charWidth,
  clockTime,
  type DeliveryState,
  displayWidth,
  fit,
  sanitize,
  stateMark,
  wrap,
} from '../format.ts'
import type { EditorState } from './editor.ts'
import { DEFAULT_THEME, type Paint, painter, type Theme } from './theme.ts'

/** A friend in the left pane. */
export interface FriendItem {
  /** Stable id: the hex client hash. */
  id: string
  name: string
  shortHash: string
  online: boolean
  /** `requested`: our request is not answered yet. */
  status: 'requested' | 'friend'
  /** What they say in their PROFILE: `away` and `busy` change the dot while they are online. */
  availability: Availability
  /** Their status message. */
  note: string | undefined
  /** They are typing in our chat. */
  typing: boolean
  unread: number
  verified: boolean
  keyChanged: boolean
}

/** A pending incoming request. */
export interface RequestItem {
  id: string
  /** The nickname the sender presents (unverified), else undefined. */
  name: string | undefined
  shortHash: string
  /** The nickname is that of one of your friends (with another key). */
  conflict: boolean
}

/** A line of the conversation. */
export interface MessageItem {
  id: string
  outgoing: boolean
  text: string
  state: DeliveryState
  time: number
}

/** A line that is not a message: /help output, safety numbers, events. */
export interface InfoItem {
  id: string
  info: string
  time: number
  /** Shown as is (a QR code): not wrapped, not coloured. */
  pre?: boolean
}

/** The status line: `ask` is a question waiting for Enter or Esc. */
export interface Notice {
  text: string
  level: 'info' | 'error' | 'ask'
}

/** Everything the screen shows. */
export interface ChatView {
  me: { nickname: string; shortHash: string; availability: Availability; note: string | undefined }
  /** Right side of the title bar, e.g. `3 peers`. */
  network: string
  friends: FriendItem[]
  requests: RequestItem[]
  selected: string | undefined
  /** The conversation with the selected friend, oldest first, with interleaved info lines. */
  lines: (MessageItem | InfoItem)[]
  /** Lines scrolled up from the bottom of the conversation. */
  scroll: number
  notice: Notice | undefined
  input: EditorState
  /** Largest message in UTF-8 bytes: the input says when it is over. */
  maxBytes: number
  ascii: boolean
  color: boolean
  /** Colours by role (default: {@link DEFAULT_THEME}). */
  theme?: Theme
}

/** `online`, `away` or `busy` (protocol §17.3). */
export type Availability = 'online' | 'away' | 'busy'

/** The dot of an online friend by availability, and its ASCII spelling. */
const DOTS: Readonly<Record<Availability, readonly [string, string]>> = {
  online: ['●', '*'],
  away: ['◐', '~'],
  busy: ['⊖', 'x'],
}

/** `away · at lunch`: an availability and note as the screen shows them. */
function statusText(availability: Availability, note: string | undefined): string {
  return note === undefined ? availability : `${availability} · ${sanitize(note)}`
}

/** A rendered screen: one string per row, and where the cursor goes. */
export interface Frame {
  lines: string[]
  cursor: { row: number; col: number }
}

/** Width of the friends pane for a terminal `cols` wide (0: hidden). */
export function paneWidth(cols: number): number {
  if (cols < 50) return 0
  return Math.min(28, Math.max(16, Math.floor(cols / 4)))
}

/** Most rows the input takes for a terminal `rows` high. */
export function inputRowsFor(rows: number): number {
  return Math.max(1, Math.min(6, Math.floor(rows / 5)))
}

function friendLine(f: FriendItem, selected: boolean, width: number, v: ChatView, p: Paint) {
  const dot =
    f.status === 'requested'
      ? p('requested', v.ascii ? '?' : '◌')
      : f.online
        ? p(f.availability, DOTS[f.availability][v.ascii ? 1 : 0])
        : p('offline', v.ascii ? 'o' : '○')
  const unread = f.unread > 0 ? ` ${f.unread}` : ''
  const tag = f.keyChanged ? ' !' : ''
  const typing = f.typing && f.online ? (v.ascii ? ' ...' : ' ✎') : ''
  const room = width - 3 - unread.length - tag.length - typing.length
  const name = fit(sanitize(f.name), Math.max(1, room), false)
  const body = `${selected ? '>' : ' '}${dot} ${name}${p('warning', tag)}${p('typing', typing)}`
  const padded = fit(body, width - displayWidth(unread)) + p('unread', unread)
  return selected && v.color ? `\u001b[7m${padded}\u001b[0m` : padded
}

function leftPane(v: ChatView, width: number, height: number, p: Paint): string[] {
  const out: string[] = [fit(p('heading', ' Friends'), width)]
  if (v.friends.length === 0) out.push(fit(p('dim', '  none: /add KEY'), width))
  for (const f of v.friends) out.push(friendLine(f, f.id === v.selected, width, v, p))
  if (v.requests.length > 0) {
    out.push(fit('', width))
    out.push(fit(p('request', ` Requests (${v.requests.length})`), width))
    for (const r of v.requests) {
      // a presented nickname is the sender's claim: `?` marks it unverified, `!` a friend's name
      const name =
        r.name === undefined
          ? ''
          : `${sanitize(r.name)}${r.conflict ? p('warning', '!') : p('dim', '?')} `
      out.push(fit(`  ${name}${p('dim', r.shortHash)}`, width))
    }
    out.push(fit(p('dim', '  /accept or /reject'), width))
  }
  // the pane never pushes the conversation: extra entries are cut with a count
  if (out.length > height) {
    const hidden = out.length - height + 1
    return [...out.slice(0, height - 1), fit(p('dim', ` … ${hidden} more`), width)]
  }
  while (out.length < height) out.push(' '.repeat(width))
  return out
}

// Rendered conversation items by what they depend on, per theme: a redraw on each keystroke
// must not re-wrap every message of the history. Bounded; cleared when full.
const itemCaches = new WeakMap<Theme, Map<string, string[]>>()
const ITEM_CACHE_MAX = 4000

/** What a conversation item is drawn with. */
interface ItemLook {
  /** The sender's name as shown (`you` for our own). */
  who: string
  width: number
  v: ChatView
  p: Paint
}

function itemLines(item: MessageItem | InfoItem, look: ItemLook): string[] {
  const { who, width, v } = look
  const theme = v.theme ?? DEFAULT_THEME
  let cache = itemCaches.get(theme)
  if (cache === undefined) {
    cache = new Map()
    itemCaches.set(theme, cache)
  }
  const key =
    'info' in item
      ? `i|${width}|${v.color}|${item.pre === true}|${item.info}`
      : `m|${item.id}|${width}|${item.state}|${who}|${v.color}|${v.ascii}|${item.text.length}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const lines = renderItem(item, look)
  if (cache.size >= ITEM_CACHE_MAX) cache.clear()
  cache.set(key, lines)
  return lines
}

function renderItem(item: MessageItem | InfoItem, { who, width, v, p }: ItemLook): string[] {
  const time = p('time', clockTime(item.time))
  if ('info' in item) {
    if (item.pre === true) return item.info.split('\n').map((l) => `       ${l}`)
    return wrap(sanitize(item.info, true), Math.max(1, width - 8)).map(
      (l) => `${time}  ${p('info', l)}`,
    )
  }
  const label = p(item.outgoing ? 'me' : 'friend', who)
  const mark = item.outgoing ? stateMark(item.state, v.ascii) : ''
  const role = item.state === 'read' ? 'read' : item.state === 'queued' ? 'queued' : 'sent'
  const markText = mark === '' ? '' : ` ${p(role, mark)}`
  const prefixW = 6 + displayWidth(who) + 2
  const indent = ' '.repeat(Math.min(prefixW, 8))
  const text = sanitize(item.text, true)
  // the first line follows the name; every further line (a line break in the message, or a
  // wrap) takes the full width less a small indent
  const nl = text.indexOf('\n')
  const firstPara = nl < 0 ? text : text.slice(0, nl)
  const firstLines = wrap(firstPara, Math.max(1, width - prefixW))
  const head = firstLines[0] ?? ''
  const tail = [firstLines.slice(1).join(' '), ...(nl < 0 ? [] : text.slice(nl + 1).split('\n'))]
  const rest =
    firstLines.length > 1 || nl >= 0
      ? wrap(
          tail.filter((t, i) => i > 0 || t !== '').join('\n'),
          Math.max(1, width - indent.length),
        )
      : []
  const lines = [`${time} ${label}: ${head}`, ...rest.map((l) => indent + l)]
  const last = lines.length - 1
  if (markText !== '') {
    if (displayWidth(lines[last] ?? '') + displayWidth(markText) <= width) lines[last] += markText
    else lines.push(indent + markText.trimStart())
  }
  return lines
}

function conversationLines(v: ChatView, width: number, p: Paint): string[] {
  const friend = v.friends.find((f) => f.id === v.selected)
  const out: string[] = []
  for (const item of v.lines) {
    const who = 'info' in item ? '' : item.outgoing ? 'you' : sanitize(friend?.name ?? 'them')
    for (const l of itemLines(item, { who, width, v, p })) out.push(l)
  }
  return out
}

function rightPane(v: ChatView, width: number, height: number, p: Paint): string[] {
  const friend = v.friends.find((f) => f.id === v.selected)
  let header: string
  if (friend === undefined) header = p('dim', ' no friend selected: Tab to switch, /add KEY')
  else {
    const state =
      friend.status === 'requested'
        ? p('requested', 'request sent, waiting for them')
        : friend.online
          ? p(friend.availability, statusText(friend.availability, friend.note))
          : p('offline', 'offline')
    const verified = friend.keyChanged
      ? p('warning', ' · KEY CHANGED: /verify')
      : friend.verified
        ? p('verified', ` · ${v.ascii ? 'verified' : '✓ verified'}`)
        : ''
    header = ` ${p('heading', sanitize(friend.name))} ${p('dim', friend.shortHash)} · ${state}${verified}`
  }
  const body = conversationLines(v, width - 1, p)
  const room = height - 1
  const maxScroll = Math.max(0, body.length - room)
  const scroll = Math.min(Math.max(0, v.scroll), maxScroll)
  const end = body.length - scroll
  const typing = friend?.typing === true && friend.online
  // scrolled up: what is hidden is below, so a hint takes the bottom row and points down; a
  // friend typing takes the row under the newest message
  const rows = room - (scroll > 0 ? 1 : 0) - (typing ? 1 : 0)
  const visible = body.slice(Math.max(0, end - rows), end)
  const out = [fit(header, width)]
  // the conversation sits at the bottom, next to the input, like every chat
  for (let i = visible.length; i < rows; i++) out.push(' '.repeat(width))
  for (const l of visible) out.push(fit(` ${l}`, width))
  if (typing)
    out.push(fit(p('typing', ` ${sanitize(friend.name)} is typing${v.ascii ? '...' : '…'}`), width))
  if (scroll > 0)
    out.push(
      fit(
        p(
          'dim',
          ` ${v.ascii ? 'v' : '↓'} ${scroll} more line${scroll === 1 ? '' : 's'} below: PgDn`,
        ),
        width,
      ),
    )
  return out
}

/** One visual row of the input: its text and where it starts in the editor's text. */
interface InputRow {
  text: string
  start: number
}

/** Rows of one line of the input (`text` without `\n`), cut by columns. */
function rowsOfLine(text: string, offset: number, room: number): InputRow[] {
  const rows: InputRow[] = []
  let row = ''
  let w = 0
  let start = 0
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) ?? 0
    const len = cp > 0xffff ? 2 : 1
    const cw = cp === 9 ? 1 : charWidth(cp)
    if (w + cw > room) {
      rows.push({ text: row, start: offset + start })
      row = ''
      w = 0
      start = i
    }
    row += cp === 9 ? ' ' : text.slice(i, i + len)
    w += cw
    i += len
  }
  rows.push({ text: row, start: offset + start })
  return rows
}

/**
 * The rows of the input that are shown: at most `max`, with the cursor's row in them. Only the
 * lines near the cursor are cut into rows, so a long paste costs one pass over its current line.
 */
export function inputView(
  input: EditorState,
  room: number,
  max: number,
): { rows: string[]; cursorRow: number; cursorCol: number } {
  const { text, cursor } = input
  const lineStart = (i: number) => (i <= 0 ? 0 : text.lastIndexOf('\n', i - 1) + 1)
  const lineEnd = (i: number) => {
    const nl = text.indexOf('\n', i)
    return nl < 0 ? text.length : nl
  }
  const ls = lineStart(cursor)
  const le = lineEnd(cursor)
  const here = rowsOfLine(text.slice(ls, le), ls, room)
  let k = here.length - 1
  while (k > 0 && (here[k]?.start ?? 0) > cursor) k--
  const rows = here.map((r) => r.text)
  let at = k
  let col = displayWidth(text.slice(here[k]?.start ?? ls, cursor).replace(/\t/g, ' '))
  // a cursor right after a full last row is shown at the start of a row of its own
  if (col >= room) {
    rows.push('')
    at = rows.length - 1
    col = 0
  }
  for (let end = ls - 1; at < max - 1 && end >= 0; ) {
    const s = lineStart(end)
    const above = rowsOfLine(text.slice(s, end), s, room).map((r) => r.text)
    rows.unshift(...above)
    at += above.length
    end = s - 1
  }
  if (le < text.length)
    for (let start = le + 1; rows.length - at < max; ) {
      const e = lineEnd(start)
      rows.push(...rowsOfLine(text.slice(start, e), start, room).map((r) => r.text))
      if (e >= text.length) break
      start = e + 1
    }
  const first = Math.max(0, at - (max - 1))
  return { rows: rows.slice(first, first + max), cursorRow: at - first, cursorCol: col }
}

/** `50 lines · 2,310 bytes`, or that the text is over the limit; empty for a short line. */
function inputInfo(v: ChatView, bytes: number): string {
  let lines = 1
  for (let i = v.input.text.indexOf('\n'); i >= 0; i = v.input.text.indexOf('\n', i + 1)) lines++
  if (bytes > v.maxBytes)
    return `${bytes.toLocaleString('en')} bytes: over the ${v.maxBytes.toLocaleString('en')}-byte limit, shorten it to send`
  if (lines > 1 || bytes > 1000)
    return `${lines} line${lines === 1 ? '' : 's'} · ${bytes.toLocaleString('en')} bytes`
  return ''
}

/** UTF-8 length of a string without encoding it. */
export function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/**
 * Lays out the whole screen.
 * @param v - what to show
 * @param cols - terminal width
 * @param rows - terminal height
 * @example
 * ```ts
 * const { lines, cursor } = renderChat(view, 80, 24)
 * ```
 */
export function renderChat(v: ChatView, cols: number, rows: number): Frame {
  const p = painter(v.theme ?? DEFAULT_THEME, v.color)
  const width = Math.max(10, cols)
  const height = Math.max(6, rows)
  const mine = v.me.availability === 'online' && v.me.note === undefined
  const title = ` chat6 · ${sanitize(v.me.nickname)} ${v.me.shortHash}${mine ? '' : ` · ${statusText(v.me.availability, v.me.note)}`}`
  const right = `${v.network} · Tab: switch · /help `
  const bar =
    displayWidth(title) + displayWidth(right) + 1 <= width
      ? title + ' '.repeat(width - displayWidth(title) - displayWidth(right)) + right
      : fit(title, width)
  const lines = [p('title', fit(bar, width))]
  const prompt = '> '
  const room = width - prompt.length - 1
  const input = inputView(v.input, room, inputRowsFor(height))
  const bodyH = height - 3 - input.rows.length
  const pw = paneWidth(width)
  const sep = p('dim', v.ascii ? '|' : '│')
  if (pw > 0) {
    const left = leftPane(v, pw, bodyH, p)
    const conv = rightPane(v, width - pw - 1, bodyH, p)
    for (let i = 0; i < bodyH; i++) lines.push(`${left[i]}${sep}${conv[i]}`)
  } else {
    lines.push(...rightPane(v, width, bodyH, p))
  }
  const bytes = utf8Length(v.input.text)
  const info = inputInfo(v, bytes)
  const dash = v.ascii ? '-' : '─'
  const infoText = info === '' ? '' : ` ${info} `
  const fill = Math.max(0, width - displayWidth(infoText) - 2)
  lines.push(
    p('dim', dash.repeat(fill)) +
      (infoText === ''
        ? ''
        : p(bytes > v.maxBytes ? 'error' : 'dim', fit(infoText, width - fill - 2, false))) +
      p('dim', dash.repeat(Math.max(0, width - fill - displayWidth(infoText)))),
  )
  const notice = v.notice
  lines.push(
    notice === undefined
      ? ' '.repeat(width)
      : fit(
          p(notice.level === 'info' ? 'notice' : notice.level, ` ${sanitize(notice.text)}`),
          width,
        ),
  )
  for (const [i, r] of input.rows.entries())
    lines.push(fit(`${i === 0 ? prompt : '  '}${r}`, width))
  const col = prompt.length + input.cursorCol
  return {
    lines,
    cursor: { row: height - input.rows.length + input.cursorRow, col: Math.min(col, width - 1) },
  }
}
