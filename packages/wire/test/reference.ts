// A slow, obviously-correct decoder for differential testing: split on spaces, parse leniently,
// validate with zod (checkFrame), then insist the line is what encode() writes (§2's rule
// "a decoder MUST reject any line that encode(decode(line)) would not reproduce").
import { checkFrame, type Envelope, encodeToString, MAX_LINE_BYTES } from '../src/index.ts'

const KINDS: Record<string, 'b64' | 'uint' | 'text' | 'token' | 'addr'> = {
  version: 'uint',
  port: 'uint',
  id: 'uint',
  nonce: 'uint',
  metric: 'uint',
  ttl: 'uint',
  mtype: 'uint',
  nickname: 'text',
  reason: 'token',
  neighbor: 'addr',
}

function lenientB64(s: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
  } catch {
    return undefined
  }
}

export function referenceDecode(input: string): Envelope | undefined {
  const line = input.endsWith('\n') ? input.slice(0, -1) : input
  if (line.length + 1 > MAX_LINE_BYTES || !/^[\x20-\x7e]*$/.test(line)) return undefined
  const [sigT, hashT, tsT, type, ...fieldTs] = line.split(' ')
  if (type === undefined) return undefined
  const signature = lenientB64(sigT as string)
  const hash = lenientB64(hashT as string)
  if (!signature || !hash || !/^\d+$/.test(tsT as string)) return undefined
  const frame: Record<string, unknown> = { type, timestamp: Number(tsT) }
  if (type === 'NEIGHBORS_RESPONSE') frame.neighbor = []
  for (const t of fieldTs) {
    const i = t.indexOf('=')
    if (i < 1) return undefined
    const name = t.slice(0, i)
    const value = t.slice(i + 1)
    let v: unknown
    switch (KINDS[name] ?? 'b64') {
      case 'uint':
        if (!/^\d+$/.test(value)) return undefined
        v = Number(value)
        break
      case 'token':
        v = value
        break
      case 'text': {
        const b = lenientB64(value)
        if (!b) return undefined
        try {
          v = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b)
        } catch {
          return undefined
        }
        break
      }
      case 'addr': {
        const c = value.lastIndexOf(',')
        if (c < 0 || !/^\d+$/.test(value.slice(c + 1))) return undefined
        v = { ip: value.slice(0, c), port: Number(value.slice(c + 1)) }
        break
      }
      default:
        v = lenientB64(value)
        if (!v) return undefined
    }
    if (name === 'neighbor' && Array.isArray(frame.neighbor)) frame.neighbor.push(v)
    else if (Object.hasOwn(frame, name)) return undefined
    else frame[name] = v
  }
  const c = checkFrame(frame)
  if (!c.ok) return undefined
  const env = { signature, hash, frame: c.frame }
  try {
    return encodeToString(env) === `${line}\n` ? env : undefined
  } catch {
    return undefined
  }
}
