// Key names and the bindings of the chat screen's actions. Line editing (←/→, Ctrl-A/E/U/K/W,
// Backspace…) is fixed; the screen actions below can be rebound in config.json's `keys`.

/** The actions a key can be bound to. */
export type ScreenAction =
  | 'send'
  | 'newline'
  | 'next-friend'
  | 'prev-friend'
  | 'scroll-up'
  | 'scroll-down'
  | 'redraw'
  | 'quit'

/** Every action with its default keys, in the order the README lists them. */
export const DEFAULT_KEYS: Readonly<Record<ScreenAction, readonly string[]>> = {
  send: ['enter'],
  newline: ['ctrl-j', 'alt-enter'],
  'next-friend': ['tab', 'ctrl-n'],
  'prev-friend': ['shift-tab', 'ctrl-p'],
  'scroll-up': ['pageup'],
  'scroll-down': ['pagedown'],
  redraw: ['ctrl-l'],
  quit: ['ctrl-c'],
}

/** Key name → action. */
export type Keymap = ReadonlyMap<string, ScreenAction>

/** What a keypress event needs for its name. */
interface KeyEvent {
  name?: string
  ctrl?: boolean
  meta?: boolean
  shift?: boolean
  sequence?: string
}

/**
 * The name of a key as config.json spells it: `enter`, `ctrl-j`, `alt-enter`, `shift-tab`,
 * `ctrl-n`, `pageup`, `f2`, `alt-x`…
 * @example
 * ```ts
 * keyName({ name: 'return', meta: true }) // 'alt-enter'
 * ```
 */
export function keyName(key: KeyEvent): string {
  // Enter is CR; Ctrl-J is LF, which node:readline calls 'enter'
  let name = key.name === 'return' ? 'enter' : key.name === 'enter' ? 'j' : key.name
  const ctrl = key.ctrl === true || key.name === 'enter'
  if (name === undefined || name === '') name = key.sequence ?? ''
  return `${ctrl ? 'ctrl-' : ''}${key.meta ? 'alt-' : ''}${key.shift ? 'shift-' : ''}${name}`
}

const KEY_NAME =
  /^(ctrl-)?(alt-)?(shift-)?([a-z0-9]|enter|tab|escape|space|backspace|delete|insert|home|end|pageup|pagedown|up|down|left|right|f[1-9]|f1[0-2])$/

/** The default bindings. */
export const DEFAULT_KEYMAP: Keymap = buildKeymap({})

/**
 * Bindings with `overrides` applied: each given action gets exactly the keys listed (an empty
 * list unbinds it); a key bound twice is refused.
 * @throws Error naming the bad action or key (the config reader adds the file name)
 */
export function buildKeymap(overrides: Readonly<Record<string, readonly string[]>>): Keymap {
  const map = new Map<string, ScreenAction>()
  for (const name of Object.keys(overrides))
    if (!(name in DEFAULT_KEYS))
      throw new Error(`unknown action '${name}' (actions: ${Object.keys(DEFAULT_KEYS).join(', ')})`)
  for (const [action, defaults] of Object.entries(DEFAULT_KEYS) as [
    ScreenAction,
    readonly string[],
  ][]) {
    for (const key of overrides[action] ?? defaults) {
      const k = key.toLowerCase()
      const m = KEY_NAME.exec(k)
      if (m === null) throw new Error(`'${key}' is not a key name (e.g. ctrl-j, alt-enter, f2)`)
      if (m[1] === undefined && m[2] === undefined && /^([a-z0-9]|space)$/.test(m[4] ?? ''))
        throw new Error(`'${key}' is typed text: bind it with ctrl- or alt-`)
      const taken = map.get(k)
      if (taken !== undefined && taken !== action)
        throw new Error(`'${key}' is bound to both ${taken} and ${action}`)
      map.set(k, action)
    }
  }
  if (![...map.values()].includes('send')) throw new Error("no key is bound to 'send'")
  if (![...map.values()].includes('quit')) throw new Error("no key is bound to 'quit'")
  return map
}

/** The keys bound to an action, for help lines: `Ctrl-J/Alt-Enter`. */
export function keysOf(map: Keymap, action: ScreenAction): string {
  const names = [...map].filter(([, a]) => a === action).map(([k]) => k)
  return names
    .map((k) =>
      k
        .split('-')
        .map((w) => (w.length === 1 ? w.toUpperCase() : w[0]?.toUpperCase() + w.slice(1)))
        .join('-'),
    )
    .join('/')
}
