// Telling the user about a message or request they cannot see: the terminal bell, and a desktop
// notification by OSC 777 or OSC 9 where the terminal is known to show one. Terminals do not
// answer a query for this, so support is read from the environment variables they set (and
// that survive into tmux and over ssh); config.json's `notify` overrides the guess.
import { sanitize } from '../format.ts'

/** Escape sequences of desktop notifications. */
export type DesktopProtocol = 'osc777' | 'osc9' | 'off'

/** config.json's `notify`. */
export interface NotifySettings {
  /** Ring the terminal bell (default true). */
  bell: boolean
  /** Which desktop notification to send; `auto` guesses from the environment (default). */
  desktop: 'auto' | DesktopProtocol
}

/** The settings when config.json has none. */
export const DEFAULT_NOTIFY: NotifySettings = { bell: true, desktop: 'auto' }

/** Fewest ms between two notifications: a flood of requests rings once, not a hundred times. */
export const NOTIFY_MIN_INTERVAL_MS = 2000

type Env = Readonly<Record<string, string | undefined>>

/**
 * The desktop notification a terminal shows, guessed from the variables it sets, and why.
 * @example
 * ```ts
 * detectDesktop({ TERM_PROGRAM: 'iTerm.app' }) // { protocol: 'osc9', why: 'TERM_PROGRAM=iTerm.app' }
 * ```
 */
export function detectDesktop(env: Env): { protocol: DesktopProtocol; why: string } {
  const program = env.TERM_PROGRAM ?? ''
  const term = env.TERM ?? ''
  if (program === 'iTerm.app' || env.LC_TERMINAL === 'iTerm2')
    return { protocol: 'osc9', why: 'iTerm2 (TERM_PROGRAM or LC_TERMINAL)' }
  if (env.KITTY_WINDOW_ID !== undefined || term === 'xterm-kitty')
    return { protocol: 'osc9', why: 'kitty (KITTY_WINDOW_ID)' }
  if (program === 'WezTerm' || env.WEZTERM_PANE !== undefined)
    return { protocol: 'osc777', why: 'WezTerm (WEZTERM_PANE)' }
  if (program === 'ghostty' || env.GHOSTTY_RESOURCES_DIR !== undefined)
    return { protocol: 'osc777', why: 'Ghostty (TERM_PROGRAM)' }
  if (term.startsWith('foot')) return { protocol: 'osc777', why: 'foot (TERM)' }
  if (term.startsWith('rxvt-unicode'))
    return { protocol: 'osc777', why: 'urxvt (TERM; needs its notify extension)' }
  if (env.VTE_VERSION !== undefined)
    return { protocol: 'osc777', why: 'a VTE terminal such as GNOME Terminal (VTE_VERSION)' }
  return { protocol: 'off', why: 'no terminal known to show notifications' }
}

// what a notification may carry: no controls, no `;` (OSC 777's separator), short
const clean = (text: string) => sanitize(text).replace(/;/g, ',').slice(0, 120)

/** Wraps an escape sequence so that tmux passes it to the terminal outside (allow-passthrough). */
const tmuxPassthrough = (seq: string) =>
  `\u001bPtmux;${seq.replaceAll('\u001b', '\u001b\u001b')}\u001b\\`

/**
 * The bytes to write for one notification: the bell and/or the desktop notification's escape
 * sequence (wrapped for tmux when $TMUX is set). Empty when both are off.
 */
export function notificationBytes(
  settings: NotifySettings,
  env: Env,
  title: string,
  body: string,
): string {
  let out = settings.bell ? '\u0007' : ''
  const protocol = settings.desktop === 'auto' ? detectDesktop(env).protocol : settings.desktop
  let seq = ''
  if (protocol === 'osc777') seq = `\u001b]777;notify;${clean(title)};${clean(body)}\u001b\\`
  else if (protocol === 'osc9') seq = `\u001b]9;${clean(`${title}: ${body}`)}\u001b\\`
  if (seq !== '') out += env.TMUX !== undefined && env.TMUX !== '' ? tmuxPassthrough(seq) : seq
  return out
}

/** Notifies at most once per {@link NOTIFY_MIN_INTERVAL_MS}; `write` sends the bytes. */
export function createNotifier(
  settings: NotifySettings,
  env: Env,
  write: (bytes: string) => void,
  now: () => number = Date.now,
): (title: string, body: string) => boolean {
  let last = Number.NEGATIVE_INFINITY
  return (title, body) => {
    const bytes = notificationBytes(settings, env, title, body)
    if (bytes === '' || now() - last < NOTIFY_MIN_INTERVAL_MS) return false
    last = now()
    write(bytes)
    return true
  }
}
