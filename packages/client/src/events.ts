// The client's events: @chat6/node's typed emitter, except that an error thrown by an 'error'
// listener is never reported again (reporting it would be another 'error' event).
import { Emitter as NodeEmitter, type TypedEvents } from '@chat6/node'

export type { TypedEvents }

export class Emitter<M extends object> extends NodeEmitter<M> {
  constructor(onListenerError: (error: unknown) => void = () => {}) {
    super((error, name) => {
      if (name !== 'error') onListenerError(error)
    })
  }
}
