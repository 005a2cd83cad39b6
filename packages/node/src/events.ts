// A minimal typed event emitter: listeners per event name, no allocation when nobody listens.

/** Subscribe/unsubscribe interface of a typed emitter. */
export interface TypedEvents<M extends object> {
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void
  /** Adds a listener that runs once. */
  once<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void
  /** Removes a listener. */
  off<K extends keyof M>(name: K, fn: (detail: M[K]) => void): void
}

/** @internal the emitting side, kept by the owner. */
export class Emitter<M extends object> implements TypedEvents<M> {
  private readonly map = new Map<keyof M, Set<(d: never) => void>>()
  /** Invoked when a listener throws; listeners must not break the node. */
  onListenerError: (e: unknown) => void = () => {}

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

  has(name: keyof M): boolean {
    const s = this.map.get(name)
    return s !== undefined && s.size > 0
  }

  emit<K extends keyof M>(name: K, detail: M[K]): void {
    const set = this.map.get(name)
    if (set === undefined || set.size === 0) return
    for (const fn of [...set]) {
      try {
        ;(fn as (d: M[K]) => void)(detail)
      } catch (e) {
        this.onListenerError(e)
      }
    }
  }
}
