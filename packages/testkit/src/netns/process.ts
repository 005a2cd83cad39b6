// A child process that reports over stdout JSON lines and takes commands as stdin JSON lines;
// the test waits for reports with a bounded wait instead of sleeping.
import { type ChildProcess, spawn } from 'node:child_process'

/** One JSON object a child printed on its own line of stdout. */
export type Report = Record<string, unknown> & { event?: string }

/** A spawned child that talks JSON lines. */
export interface ReportingProcess {
  readonly name: string
  readonly pid: number | undefined
  /** Every report received so far, oldest first. */
  readonly reports: readonly Report[]
  /** Whether the process has exited. */
  readonly exited: boolean
  /** Sends one command as a JSON line on stdin. */
  send(command: Record<string, unknown>): void
  /**
   * Resolves with the first report (already received or future, from index `since` on) that
   * `pred` accepts; rejects after `timeoutMs` or when the process exits first, with the last
   * reports and stderr. Pass `since: p.reports.length` to wait for something new.
   */
  waitFor(
    pred: (r: Report) => boolean,
    timeoutMs: number,
    what?: string,
    since?: number,
  ): Promise<Report>
  /** Sends `signal` (default SIGKILL) and resolves once the process has exited (bounded). */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>
}

/**
 * Spawns `argv` and collects its stdout JSON lines; non-JSON lines and stderr are kept for
 * failure messages only.
 * @example
 * ```ts
 * const p = spawnReporting('h0', ['node', 'host.js'])
 * await p.waitFor((r) => r.event === 'ready', 10_000)
 * ```
 */
export function spawnReporting(
  name: string,
  argv: readonly string[],
  env?: NodeJS.ProcessEnv,
): ReportingProcess {
  const [cmd, ...args] = argv
  if (cmd === undefined) throw new RangeError('argv: empty')
  const child: ChildProcess = spawn(cmd, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: env ?? process.env,
  })
  const reports: Report[] = []
  const waiters = new Set<() => void>()
  let stderr = ''
  let partial = ''
  let exited = false
  let exitInfo = ''
  const wake = (): void => {
    for (const w of [...waiters]) w()
  }
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk
    for (let i = partial.indexOf('\n'); i >= 0; i = partial.indexOf('\n')) {
      const line = partial.slice(0, i).trim()
      partial = partial.slice(i + 1)
      if (!line.startsWith('{')) continue
      try {
        reports.push(JSON.parse(line) as Report)
      } catch {
        // a torn or foreign line is not a report
      }
    }
    wake()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  child.stdin?.on('error', () => {})
  child.on('exit', (code, signal) => {
    exited = true
    exitInfo = signal !== null ? `killed by ${signal}` : `exited with ${code}`
    wake()
  })
  child.on('error', (e) => {
    exited = true
    exitInfo = `failed to start: ${e.message}`
    wake()
  })
  const describe = (): string =>
    `${name} (${exitInfo || 'running'}); last reports: ${JSON.stringify(reports.slice(-5))}; stderr: ${stderr.slice(-1500)}`
  return {
    name,
    get pid() {
      return child.pid
    },
    reports,
    get exited() {
      return exited
    },
    send(command) {
      if (!exited) child.stdin?.write(`${JSON.stringify(command)}\n`)
    },
    waitFor(pred, timeoutMs, what = 'a report', since = 0) {
      return new Promise((resolve, reject) => {
        let seen = since
        const check = (): void => {
          for (; seen < reports.length; seen++) {
            const r = reports[seen] as Report
            if (pred(r)) {
              done(() => resolve(r))
              return
            }
          }
          if (exited)
            done(() =>
              reject(new Error(`${name}: exited while waiting for ${what}: ${describe()}`)),
            )
        }
        const timer = setTimeout(
          () =>
            done(() =>
              reject(new Error(`${name}: no ${what} within ${timeoutMs} ms: ${describe()}`)),
            ),
          timeoutMs,
        )
        const done = (fn: () => void): void => {
          clearTimeout(timer)
          waiters.delete(check)
          fn()
        }
        waiters.add(check)
        check()
      })
    },
    kill(signal = 'SIGKILL', timeoutMs = 5_000) {
      if (exited) return Promise.resolve()
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          resolve()
        }, timeoutMs)
        child.once('exit', () => {
          clearTimeout(timer)
          resolve()
        })
        child.kill(signal)
      })
    },
  }
}
