// SIGINT/SIGTERM/SIGHUP handling for long-running commands: the first signal starts a clean
// stop (SIGHUP: the terminal or SSH session went away), a second one during it exits at once.

/** Calls `onSignal` on the first SIGINT, SIGTERM or SIGHUP; returns a function that unregisters. */
export function onShutdown(onSignal: (signal: NodeJS.Signals) => void): () => void {
  let stopping = false
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`chat6: ${signal} again: exiting without a clean stop\n`)
      process.exit(1)
    }
    stopping = true
    onSignal(signal)
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  process.on('SIGHUP', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
    process.off('SIGHUP', handler)
  }
}
