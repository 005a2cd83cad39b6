// tmux for the tests that drive the chat screen in a real terminal: a server of the test's own
// (by socket name), commands run on it, the `chat6` command line to start in a pane, and a
// control-mode client that sees a pane's output as it is written.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { BIN } from './cli.ts'

/** tmux's path, or undefined when it is not installed (the tests skip with a reason). */
export const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p))

/** Says why a tmux test is skipped. */
export const NO_TMUX = 'skipped: tmux is not installed (apt-get install tmux)'

/** A tmux server on a socket of its own. */
export interface TmuxServer {
  /** Runs a tmux command on this server; returns its stdout. */
  tm(...args: string[]): string
  /** Starts session `name`, `cols` × `rows`, running `chat6 ARGS` (see {@link chat6Line}). */
  start(name: string, cols: number, rows: number, args: string): void
  /** The visible text of a pane. */
  screen(target: string): string
  /** Ends the server and everything in it. */
  kill(): void
}

/** A tmux server named `name` (give each test file its own). */
export function tmuxServer(name: string): TmuxServer {
  const tm = (...args: string[]) =>
    execFileSync(TMUX ?? 'tmux', ['-u', '-L', name, ...args], { encoding: 'utf8' })
  return {
    tm,
    start: (session, cols, rows, args) => {
      // -f /dev/null: none of the machine's tmux settings
      tm(
        '-f',
        '/dev/null',
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        String(cols),
        '-y',
        String(rows),
        chat6Line(args),
      )
    },
    screen: (target) => tm('capture-pane', '-p', '-J', '-t', target),
    kill: () => {
      spawnSync(TMUX ?? 'tmux', ['-L', name, 'kill-server'])
    },
  }
}

/** The shell line that runs `chat6 ARGS` in a pane, then prints its exit code and stays. */
export function chat6Line(args: string): string {
  return `env NO_COLOR=1 CHAT6_BOOTSTRAP= ${process.execPath} ${BIN} ${args}; echo EXIT-$?; sleep 30`
}

/**
 * A tmux control-mode client (`tmux -C`) on a session: commands in, the panes' output out as
 * `%output` lines as it is written, with no process started per command.
 */
export function controlClient(server: string, session: string) {
  const child = spawn(TMUX ?? 'tmux', ['-u', '-L', server, '-C', 'attach', '-t', session], {
    stdio: ['pipe', 'pipe', 'ignore'],
  })
  let out = ''
  let waiter: { text: string; resolve: () => void } | undefined
  let buf = ''
  let readyResolve: () => void = () => {}
  const ready = new Promise<void>((r) => {
    readyResolve = r
  })
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl)
      buf = buf.slice(nl + 1)
      if (line.startsWith('%end') || line.startsWith('%error')) readyResolve()
      const m = /^%output %\d+ (.*)$/.exec(line)
      if (m === null) continue
      out += m[1]
      if (waiter !== undefined && out.includes(waiter.text)) {
        waiter.resolve()
        waiter = undefined
      }
    }
  })
  return {
    /** Resolves once tmux answered the attach. */
    ready,
    send: (command: string) => child.stdin.write(`${command}\n`),
    /** Resolves once output written after this call contains `text`. */
    waitOutput(text: string, timeoutMs: number): Promise<void> {
      out = ''
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no output with '${text}'`)), timeoutMs)
        waiter = {
          text,
          resolve: () => {
            clearTimeout(t)
            resolve()
          },
        }
      })
    },
    close: () => {
      child.stdin.end()
      child.kill()
    },
  }
}
