// Resolves what a user types for FRIEND — a client key, a hash prefix or a nickname — to one
// entry of a list (friends or requests), or says clearly why it cannot.
import { CliError } from './errors.ts'
import { fromBase64, sanitize, shortHash, toBase64, toHex } from './format.ts'

/** What resolution needs of a friend or a request. */
export interface Named {
  key: Uint8Array
  hash: Uint8Array
  nickname: string | undefined
}

/** Shortest hash prefix accepted (hex digits): fewer would match by accident. */
export const MIN_PREFIX = 4

/**
 * Parses a client key as typed: 32 bytes in base64 (44 characters).
 * @throws CliError `usage` naming what is wrong
 */
export function parseKey(text: string): Uint8Array {
  const t = text.trim()
  const bytes = fromBase64(t)
  if (bytes === undefined || bytes.length !== 32)
    throw new CliError(
      'usage',
      `'${sanitize(t.length > 50 ? `${t.slice(0, 47)}...` : t)}' is not a client key: expected 44 characters of base64 (see 'chat6 whoami')`,
    )
  return bytes
}

const describe = (n: Named) =>
  `${n.nickname === undefined ? '(no name)' : sanitize(n.nickname)} ${shortHash(n.hash)}`

/**
 * Finds the one entry `text` names: an exact key (base64), then a unique hash prefix (at least
 * 4 hex digits), then a unique nickname (exact, then ignoring case).
 * @param what - 'friend' or 'request', for messages
 * @throws CliError `not_found` when nothing matches, `usage` when several do
 * @example
 * ```ts
 * resolveNamed('bob', await client.friends(), 'friend')
 * ```
 */
export function resolveNamed<T extends Named>(text: string, list: readonly T[], what: string): T {
  const t = text.trim()
  if (t === '') throw new CliError('usage', `empty ${what} name`)
  const key = fromBase64(t)
  if (key !== undefined && key.length === 32) {
    const b64 = toBase64(key)
    const hit = list.find((n) => toBase64(n.key) === b64)
    if (hit !== undefined) return hit
    throw new CliError('not_found', `no ${what} with key ${t}`)
  }
  const candidates: T[][] = []
  if (/^[0-9a-fA-F]+$/.test(t) && t.length >= MIN_PREFIX) {
    const prefix = t.toLowerCase()
    candidates.push(list.filter((n) => toHex(n.hash).startsWith(prefix)))
  }
  candidates.push(list.filter((n) => n.nickname === t))
  const lower = t.toLowerCase()
  candidates.push(list.filter((n) => n.nickname?.toLowerCase() === lower))
  for (const found of candidates) {
    if (found.length === 1) return found[0] as T
    if (found.length > 1)
      throw new CliError('usage', `'${sanitize(t)}' matches ${found.length} ${what}s`, {
        hint: `use a longer hash prefix or the key:\n${found.map((n) => `  ${describe(n)}`).join('\n')}`,
      })
  }
  throw new CliError(
    'not_found',
    `no ${what} named '${sanitize(t)}'${list.length === 0 ? ` (you have no ${what}s)` : ''}`,
    list.length === 0 ? undefined : { hint: `${what}s: ${list.map(describe).join(', ')}` },
  )
}
