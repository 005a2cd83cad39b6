// How the client's services hear about each other's friends: a synchronous hook list. Unlike the
// public events (events.ts), a hook that throws fails the call that ran it, as a direct call
// would: a store write that fails while pumping the outbox fails accept(), not an 'error' event.

/**
 * Synchronous hooks, run in the order they were added; an exception stops the run and reaches
 * the caller of {@link Hooks.run}.
 *
 * @example
 * ```ts
 * const hooks = new Hooks<ServiceHooks>()
 * hooks.on('unavailable', (peer) => outbox.land(peer.record.key))
 * hooks.run('unavailable', peer)
 * ```
 */
export class Hooks<M extends object> {
  private readonly lists = new Map<keyof M, Array<(detail: never) => void>>()

  /** Adds `fn` to the hooks of `name`, for the life of the client. */
  on<K extends keyof M>(name: K, fn: (detail: M[K]) => void): void {
    const list = this.lists.get(name)
    if (list) list.push(fn as (detail: never) => void)
    else this.lists.set(name, [fn as (detail: never) => void])
  }

  /** Runs every hook of `name` with `detail`. */
  run<K extends keyof M>(name: K, detail: M[K]): void {
    for (const fn of this.lists.get(name) ?? []) (fn as (d: M[K]) => void)(detail)
  }
}
