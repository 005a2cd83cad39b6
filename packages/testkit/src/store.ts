// Stores that survive a client restart: the client closes its store on stop(), so a restarted
// client gets a new handle on the same data, and the data is closed with the mesh.
import type { Store } from '@chat6/client'

/** Where a mesh client keeps its data: a store (reopened across restarts) or a way to open one. */
export type StoreSource = Store | (() => Store)

class ClosedHandleError extends Error {
  readonly code = 'closed'
  constructor() {
    super('store is closed')
    this.name = 'StoreError'
  }
}

/**
 * @internal A handle on `inner` whose `close()` closes only the handle: calls on it then throw a
 * `StoreError` with code `closed`, as a closed store does, and `inner` stays open.
 */
export function storeHandle(inner: Store): Store {
  let closed = false
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'close') {
        return () => {
          closed = true
        }
      }
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (closed) throw new ClosedHandleError()
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
}
