// Validation of frame objects with the zod schemas, reported in the §14 vocabulary so that a
// caller sees one set of codes whether a frame came from a line or from code.
import { _wireError, type WireError } from './errors.ts'
import { type Frame, type FrameType, frameSchemas } from './schema.ts'

/**
 * Checks that a value is a valid frame, with the zod schemas. Problems are returned in the §14
 * vocabulary: an unknown key is `unknown_field`, an absent one `missing_field`, a bad nickname
 * `bad_utf8`, and so on.
 *
 * @param frame - any value
 * @returns the parsed frame (a shallow copy), or the first problem found
 * @example
 * ```ts
 * checkFrame({ type: 'BYE', timestamp: 0, reason: 'Shut down' })
 * // { ok: false, error: { code: 'bad_value', field: 'reason', message: … } }
 * ```
 */
export function checkFrame(
  frame: unknown,
): { ok: true; frame: Frame } | { ok: false; error: WireError } {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    return { ok: false, error: _wireError('bad_structure', 'a frame is an object') }
  }
  const record = frame as Record<string, unknown>
  const type = record.type
  if (typeof type !== 'string' || !Object.hasOwn(frameSchemas, type)) {
    return { ok: false, error: _wireError('unknown_type', 'not a frame type of §4') }
  }
  const r = frameSchemas[type as FrameType].safeParse(frame)
  if (r.success) return { ok: true, frame: r.data }
  const issue = r.error.issues[0]
  if (issue === undefined) return { ok: false, error: _wireError('bad_value', r.error.message) }
  // an extra key inside a `neighbor` entry is a bad value of that field, not an unknown field
  if (issue.code === 'unrecognized_keys' && issue.path.length === 0) {
    const name = issue.keys[0] as string
    return { ok: false, error: _wireError('unknown_field', `${type} has no field ${name}`, name) }
  }
  const name = String(issue.path[0])
  if (name === 'timestamp')
    return { ok: false, error: _wireError('bad_timestamp', issue.message, name) }
  if (record[name] === undefined)
    return { ok: false, error: _wireError('missing_field', issue.message, name) }
  if (issue.code === 'too_big' && issue.path.length === 1 && Array.isArray(record[name])) {
    return { ok: false, error: _wireError('too_many_fields', issue.message, name) }
  }
  if (issue.code === 'custom' && issue.params?.wire === 'bad_utf8') {
    return { ok: false, error: _wireError('bad_utf8', issue.message, name) }
  }
  return { ok: false, error: _wireError('bad_value', issue.message, name) }
}
