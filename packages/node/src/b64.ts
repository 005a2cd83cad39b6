// base64 of bytes, the key of clients, links and MSGHASHes in every table of the node.

/** @internal */
export const b64 = (u: Uint8Array): string =>
  Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64')
