// One line per event for long-running commands (node, daemon): a UTC timestamp and a message in
// text, or one JSON object per line with --json.

/** Writes event lines. */
export interface EventLog {
  line(event: string, text: string, data?: Record<string, unknown>): void
}

/** A log writing to `write`; `now` is injectable for tests. */
export function createEventLog(
  write: (text: string) => void,
  json: boolean,
  now: () => number = Date.now,
): EventLog {
  return {
    line(event, text, data) {
      const time = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
      if (json) write(`${JSON.stringify({ time, event, msg: text, ...data })}\n`)
      else write(`${time} ${text}\n`)
    },
  }
}
