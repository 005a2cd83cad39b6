// A minimal typed event emitter, shared by the node and the client: listeners per event name, no
// allocation when nobody listens, and a throwing listener reported, never let through.

/** Subscribe/unsubscribe interface of a typed emitter. */
export interface TypedEvents<M extends object> {
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void
  /** Adds a listener that runs at most once. */
  once<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void
  /** Removes a listener. */
  off<K extends keyof M>(name: K, fn: (detail: M[K]) => void): void
}

/** The emitting side alone: what a service that reports events of map `M` is given. @internal */
export interface EventSink<M extends object> {
  has(name: keyof M): boolean
  emit<K extends keyof M>(name: K, detail: M[K]): void
}

/**
 * The emitting side of {@link TypedEvents}, kept by the owner of the events. A listener that
 * throws does not stop the others: the error goes to `onListenerError` with the event's name.
 * @example
 * ```ts
 * import { Emitter } from '@chat6/node'
 *
 * const events = new Emitter<{ ping: number }>((error, name) => console.error(name, error))
 * const off = events.on('ping', (n) => console.log('ping', n))
 * events.emit('ping', 1)
 * off()
 * ```
 */
export class Emitter<M extends object> implements TypedEvents<M>, EventSink<M> {
  private readonly map = new Map<keyof M, Set<(d: never) => void>>()

  /** @param onListenerError - called when a listener throws (default: ignored) */
  constructor(
    private readonly onListenerError: (error: unknown, name: keyof M) => void = () => {},
  ) {}

  on<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void {
    let set = this.map.get(name)
    if (set === undefined) {
      set = new Set()
      this.map.set(name, set)
    }
    set.add(fn as (d: never) => void)
    return () => this.off(name, fn)
  }

  once<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void {
    const off = this.on(name, (d) => {
      off()
      fn(d)
    })
    return off
  }

  off<K extends keyof M>(name: K, fn: (detail: M[K]) => void): void {
    this.map.get(name)?.delete(fn as (d: never) => void)
  }

  /** Whether anyone listens to `name`: lets an owner skip building an event nobody reads. */
  has(name: keyof M): boolean {
    const s = this.map.get(name)
    return s !== undefined && s.size > 0
  }

  /** Calls every listener of `name` with `detail`, in the order they were added. */
  emit<K extends keyof M>(name: K, detail: M[K]): void {
    const set = this.map.get(name)
    if (set === undefined || set.size === 0) return
    for (const fn of [...set]) {
      try {
        ;(fn as (d: M[K]) => void)(detail)
      } catch (e) {
        this.onListenerError(e, name)
      }
    }
  }
}
