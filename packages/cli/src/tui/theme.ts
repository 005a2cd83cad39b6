// The colours of the chat screen: each part of the screen has a role, each role an SGR code.
// config.json's `colors` sets roles by name (`"me": "bold green"`); NO_COLOR turns all off.

/** The parts of the screen that have a colour. */
export type Role =
  | 'title'
  | 'heading'
  | 'me'
  | 'friend'
  | 'time'
  | 'online'
  | 'away'
  | 'busy'
  | 'typing'
  | 'offline'
  | 'requested'
  | 'unread'
  | 'request'
  | 'info'
  | 'notice'
  | 'error'
  | 'ask'
  | 'warning'
  | 'verified'
  | 'sent'
  | 'read'
  | 'queued'
  | 'dim'

/** Role → SGR parameters (`1;34`); an empty string is the terminal's default. */
export type Theme = Readonly<Record<Role, string>>

/** The colours when config.json sets none. */
export const DEFAULT_THEME: Theme = {
  title: '7',
  heading: '1',
  me: '1;34',
  friend: '1;35',
  time: '2',
  online: '32',
  away: '33',
  busy: '31',
  typing: '2;3',
  offline: '2',
  requested: '33',
  unread: '1;36',
  request: '1;33',
  info: '36',
  notice: '36',
  error: '31',
  ask: '1;33',
  warning: '1;31',
  verified: '32',
  sent: '32',
  read: '36',
  queued: '2',
  dim: '2',
}

const COLORS = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const
const ATTRS: Readonly<Record<string, string>> = {
  bold: '1',
  dim: '2',
  italic: '3',
  underline: '4',
  reverse: '7',
}

/**
 * SGR parameters of a colour as config.json spells it: words among `bold`, `dim`, `italic`,
 * `underline`, `reverse`, a colour (`red`, `bright-blue`…) and `on-<colour>` for the
 * background; `default` alone is the terminal's own colour.
 * @throws Error naming the word that is not a colour
 * @example
 * ```ts
 * parseColor('bold bright-green on-black') // '1;92;40'
 * ```
 */
export function parseColor(text: string): string {
  const words = text.trim().toLowerCase().split(/\s+/)
  if (words.length === 1 && words[0] === 'default') return ''
  return words
    .map((w) => {
      if (ATTRS[w] !== undefined) return ATTRS[w]
      const bg = w.startsWith('on-')
      const name = bg ? w.slice(3) : w
      const bright = name.startsWith('bright-')
      const i = COLORS.indexOf((bright ? name.slice(7) : name) as (typeof COLORS)[number])
      if (i < 0)
        throw new Error(
          `'${w}' is not a colour (${COLORS.join(', ')}, bright-…, on-…, bold, dim, italic, underline, reverse, default)`,
        )
      return String((bg ? 40 : 30) + (bright ? 60 : 0) + i)
    })
    .join(';')
}

/**
 * The theme with `overrides` (role → colour words) applied.
 * @throws Error naming an unknown role or a bad colour
 */
export function buildTheme(overrides: Readonly<Record<string, string>>): Theme {
  const theme: Record<string, string> = { ...DEFAULT_THEME }
  for (const [role, value] of Object.entries(overrides)) {
    if (!(role in DEFAULT_THEME))
      throw new Error(
        `unknown colour role '${role}' (roles: ${Object.keys(DEFAULT_THEME).join(', ')})`,
      )
    theme[role] = parseColor(value)
  }
  return theme as Theme
}

/** Paints text in a role's colour, or leaves it plain when colours are off. */
export type Paint = (role: Role, text: string) => string

/** The painter of a theme. */
export function painter(theme: Theme, on: boolean): Paint {
  return (role, text) => {
    const code = theme[role]
    return on && code !== '' ? `\u001b[${code}m${text}\u001b[0m` : text
  }
}
