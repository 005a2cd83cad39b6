// The chat screen's part of config.json: `colors` (role → colour words), `keys` (action → key
// names), `notify` (bell, desktop) and `typing` (send, show). Checked when the chat starts: a
// mistake names the file, the field and what is allowed, rather than being ignored.
import type { Config } from '../config.ts'
import { CliError } from '../errors.ts'
import { buildKeymap, DEFAULT_KEYMAP, type Keymap } from './keys.ts'
import { DEFAULT_NOTIFY, type DesktopProtocol, type NotifySettings } from './notify.ts'
import { buildTheme, DEFAULT_THEME, type Theme } from './theme.ts'

/** What the chat screen takes from config.json. */
export interface ChatSettings {
  theme: Theme
  keys: Keymap
  notify: NotifySettings
  /** `send`: tell friends when we type (§17.4); `show`: show when they do. Both default true. */
  typing: { send: boolean; show: boolean }
}

/** The settings without a config file. */
export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  theme: DEFAULT_THEME,
  keys: DEFAULT_KEYMAP,
  notify: DEFAULT_NOTIFY,
  typing: { send: true, show: true },
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const DESKTOP: readonly ('auto' | DesktopProtocol)[] = ['auto', 'osc777', 'osc9', 'off']

/**
 * The chat settings of a config.
 * @param file - config.json's path, for messages
 * @throws CliError `usage` naming the file and field of a bad value
 */
export function chatSettings(config: Config, file: string): ChatSettings {
  const bad = (field: string, why: string) =>
    new CliError('usage', `${file}: ${field}: ${why}`, { hint: 'see README "Config file"' })
  const { colors, keys, notify, typing } = config.chat
  let theme = DEFAULT_THEME
  if (colors !== undefined) {
    if (!isObject(colors) || !Object.values(colors).every((c) => typeof c === 'string'))
      throw bad('colors', 'expected an object of role → colour, e.g. { "me": "bold green" }')
    try {
      theme = buildTheme(colors as Record<string, string>)
    } catch (e) {
      throw bad('colors', (e as Error).message)
    }
  }
  let keymap = DEFAULT_KEYMAP
  if (keys !== undefined) {
    const lists = isObject(keys)
      ? Object.entries(keys).map(([k, v]) => [k, typeof v === 'string' ? [v] : v] as const)
      : undefined
    if (
      lists === undefined ||
      !lists.every(([, v]) => Array.isArray(v) && v.every((x) => typeof x === 'string'))
    )
      throw bad(
        'keys',
        'expected an object of action → key or list of keys, e.g. { "newline": ["ctrl-j"] }',
      )
    try {
      keymap = buildKeymap(Object.fromEntries(lists) as Record<string, string[]>)
    } catch (e) {
      throw bad('keys', (e as Error).message)
    }
  }
  let n = DEFAULT_NOTIFY
  if (notify !== undefined) {
    if (!isObject(notify)) throw bad('notify', 'expected { "bell": true, "desktop": "auto" }')
    for (const k of Object.keys(notify))
      if (k !== 'bell' && k !== 'desktop')
        throw bad(`notify.${k}`, 'unknown setting (bell, desktop)')
    if (notify.bell !== undefined && typeof notify.bell !== 'boolean')
      throw bad('notify.bell', 'expected true or false')
    const desktop = notify.desktop ?? 'auto'
    if (!DESKTOP.includes(desktop as DesktopProtocol))
      throw bad('notify.desktop', `expected one of ${DESKTOP.join(', ')}`)
    n = { bell: notify.bell !== false, desktop: desktop as NotifySettings['desktop'] }
  }
  let t = DEFAULT_CHAT_SETTINGS.typing
  if (typing !== undefined) {
    if (!isObject(typing)) throw bad('typing', 'expected { "send": true, "show": true }')
    for (const [k, v] of Object.entries(typing)) {
      if (k !== 'send' && k !== 'show') throw bad(`typing.${k}`, 'unknown setting (send, show)')
      if (typeof v !== 'boolean') throw bad(`typing.${k}`, 'expected true or false')
    }
    t = { send: typing.send !== false, show: typing.show !== false }
  }
  return { theme, keys: keymap, notify: n, typing: t }
}
