// A minimal typed event emitter; a throwing listener is reported, never breaks the client.

/** Subscribe side of a typed emitter. */
export interface TypedEvents<M extends object> {
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void
  /** Adds a listener that runs at most once. */
  once<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void
  off<K extends keyof M>(name: K, fn: (detail: M[K]) => void): void
}

export class Emitter<M extends object> implements TypedEvents<M> {
  private readonly map = new Map<keyof M, Set<(d: never) => void>>()
  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  on<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void {
    let set = this.map.get(name)
    if (!set) {
      set = new Set()
      this.map.set(name, set)
    }
    set.add(fn as (d: never) => void)
    return () => this.off(name, fn)
  }

  once<K extends keyof M>(name: K, fn: (detail: M[K]) => void): () => void {
    const off = this.on(name, (detail) => {
      off()
      fn(detail)
    })
    return off
  }

  off<K extends keyof M>(name: K, fn: (detail: M[K]) => void): void {
    this.map.get(name)?.delete(fn as (d: never) => void)
  }

  emit<K extends keyof M>(name: K, detail: M[K]): void {
    const set = this.map.get(name)
    if (!set) return
    for (const fn of [...set]) {
      try {
        ;(fn as (d: M[K]) => void)(detail)
      } catch (error) {
        if (name !== 'error') this.onListenerError(error)
      }
    }
  }
}
