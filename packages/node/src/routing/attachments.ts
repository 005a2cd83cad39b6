// Clients attached to this node: their handle (announce, send, lookup, detach), presence they
// publish through it as their home node (§8.1, §8.2), and the presence changes they listen to.
import { hashInput } from '@chat6/wire'
import { b64 } from '../b64.ts'
import type { PresenceFrame } from '../client-table.ts'
import type { AttachedClient, Attachments, ServiceComponents } from '../components.ts'
import { AttachError, NodeInputError } from '../errors.ts'
import { equalBytes } from '../link.ts'
import { LOCAL } from '../routes.ts'
import type {
  AnnounceResult,
  ClientHandler,
  ClientInfo,
  OutgoingPresenceFrame,
  OutgoingRoutedFrame,
  RoutedFrame,
  SendResult,
} from '../types.ts'

type Bytes = Uint8Array<ArrayBuffer>

/** @internal */
export interface AttachmentsInit {
  /** ttl of presence and routed frames attached clients originate (§8.2, §9). */
  defaultTtl: number
}

/** @internal */
export type AttachmentsComponents = Pick<
  ServiceComponents,
  'crypto' | 'log' | 'table' | 'forwarder' | 'views'
>

/** @internal */
export class AttachmentImpl implements AttachedClient {
  detached = false
  constructor(
    private readonly owner: AttachmentOps,
    readonly clientkey: Uint8Array,
    readonly hash: Bytes,
    readonly id: string,
    readonly handler: ClientHandler,
  ) {}
  announce(frame: OutgoingPresenceFrame): AnnounceResult {
    return this.owner.announce(this, frame)
  }
  send(frame: OutgoingRoutedFrame): SendResult {
    return this.owner.send(this, frame)
  }
  lookup(hash: Uint8Array | string): ClientInfo | undefined {
    return this.owner.lookup(hash)
  }
  detach(): void {
    this.owner.detach(this)
  }
}

interface AttachmentOps {
  announce(att: AttachmentImpl, input: OutgoingPresenceFrame): AnnounceResult
  send(att: AttachmentImpl, input: OutgoingRoutedFrame): SendResult
  lookup(hash: Uint8Array | string): ClientInfo | undefined
  detach(att: AttachmentImpl): void
}

/** @internal */
export function createAttachments(c: AttachmentsComponents, init: AttachmentsInit): Attachments {
  const attached = new Map<string, AttachmentImpl>()

  const ops: AttachmentOps = {
    announce(att, input) {
      if (att.detached) return { ok: false, reason: 'detached' }
      if (!(input?.clientkey instanceof Uint8Array) || !equalBytes(input.clientkey, att.clientkey))
        return { ok: false, reason: 'wrong_client' }
      let f: PresenceFrame
      let h: Bytes
      try {
        f = (
          input.type === 'CLIENT_OFFLINE'
            ? { ...input, timestamp: 0, ttl: init.defaultTtl }
            : { ...input, timestamp: 0, metric: 0, ttl: init.defaultTtl }
        ) as PresenceFrame
        h = c.crypto.sha256(hashInput(f))
        if (!c.crypto.verifyProof(f)) return { ok: false, reason: 'bad_proof' }
      } catch {
        return { ok: false, reason: 'invalid' }
      }
      const { table } = c
      let rec = table.records.get(att.id)
      if (rec !== undefined && f.nonce <= rec.frame.nonce) return { ok: false, reason: 'stale' }
      if (rec === undefined) {
        table.makeRoom()
        rec = table.newRecord(att.id, att.hash, f, h, b64(h))
        rec.local = true
        table.records.insert(rec)
      } else {
        rec.frame = f
        rec.frameHash = h
        rec.frameHashKey = b64(h)
        rec.local = true
      }
      table.applyNewPresence(rec, f, LOCAL)
      return { ok: true, hash: h }
    },
    send(att, input) {
      if (att.detached) return { ok: false, reason: 'detached' }
      let f: RoutedFrame
      let h: Uint8Array
      try {
        f = { ...input, timestamp: 0, ttl: init.defaultTtl } as RoutedFrame
        h = c.crypto.sha256(hashInput(f))
      } catch {
        return { ok: false, reason: 'invalid' }
      }
      return c.forwarder.originate(f, h)
    },
    lookup: (hash) => c.views.client(hash),
    detach(att) {
      if (att.detached) return
      att.detached = true
      attached.delete(att.id)
      const rec = c.table.records.get(att.id)
      if (rec === undefined) return
      rec.local = false
      c.table.routes.setLocal(att.id, false)
      if (rec.status === 'online') c.table.reevaluate(att.id)
    },
  }

  return {
    attach(clientkey, handler) {
      if (!(clientkey instanceof Uint8Array) || clientkey.length !== 32)
        throw new NodeInputError('clientkey', 'expected 32 bytes')
      if (handler === null || typeof handler !== 'object' || typeof handler.onFrame !== 'function')
        throw new NodeInputError('handler', 'expected { onFrame }')
      const hash = c.crypto.sha256(clientkey)
      const id = b64(hash)
      if (attached.has(id)) throw new AttachError('attached', 'this client is already attached')
      const att = new AttachmentImpl(ops, clientkey.slice(), hash, id, handler)
      attached.set(id, att)
      const rec = c.table.records.get(id)
      if (rec !== undefined) rec.local = true
      return att
    },
    get: (id) => attached.get(id),
    get size() {
      return attached.size
    },
    hasPresenceListeners() {
      for (const a of attached.values()) if (a.handler.onPresence !== undefined) return true
      return false
    },
    notifyPresence(change) {
      for (const a of [...attached.values()]) {
        try {
          a.handler.onPresence?.(change)
        } catch (e) {
          c.log('error', 'client onPresence threw', { client: a.id, error: String(e) })
        }
      }
    },
  }
}
