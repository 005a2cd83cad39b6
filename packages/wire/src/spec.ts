// The codec's view of §4, derived once from the zod schemas: per type, its fields in canonical
// order with their wire form. Deriving it keeps the schemas the single source of truth.
import * as z from 'zod'
import { _fieldKinds, FRAME_TYPES, frameSchemas } from './schema.ts'

/**
 * Fields a relay rewrites per hop (§4). They come last in every type and are left out of the
 * hash input (§5.1).
 *
 * @example
 * ```ts
 * PER_HOP_FIELDS.includes('ttl') // true
 * ```
 */
export const PER_HOP_FIELDS = ['metric', 'ttl'] as const

/** @internal */
export interface _FieldSpec {
  name: string
  /** ASCII of `name`, to compare with a line without making strings. */
  nameBytes: Uint8Array
  kind: 'b64' | 'text' | 'uint' | 'token' | 'addr'
  min: number
  max: number
  optional: boolean
  /** Most occurrences of a repeatable field, 0 for the others. */
  repeat: number
  perHop: boolean
}

/** @internal */
export interface _TypeSpec {
  type: string
  typeBytes: Uint8Array
  fields: _FieldSpec[]
  byName: Map<string, _FieldSpec>
  /** Bit i set: fields[i] must be present. */
  requiredMask: number
}

const ascii = (s: string) => new TextEncoder().encode(s)
const perHop: ReadonlySet<string> = new Set(PER_HOP_FIELDS)

/**
 * @internal The codec's view of one object schema: frames here, end-to-end payloads (§19) in
 * payloads/. Keys other than `type` and `timestamp` are the fields, in canonical order.
 */
export function _buildSpec(type: string, shape: Record<string, z.ZodType>): _TypeSpec {
  const fields: _FieldSpec[] = []
  let requiredMask = 0
  for (const [name, schema] of Object.entries(shape)) {
    if (name === 'type' || name === 'timestamp') continue
    const optional = schema instanceof z.ZodOptional
    const inner = optional ? (schema as z.ZodOptional).unwrap() : schema
    const kind = _fieldKinds.get(inner as z.ZodType)
    if (kind === undefined) throw new Error(`@chat6/wire: ${type}.${name} has no wire kind`)
    const repeat = kind.repeat ?? 0
    if (!optional && repeat === 0) requiredMask |= 1 << fields.length
    fields.push({
      name,
      nameBytes: ascii(name),
      kind: kind.kind,
      min: kind.min,
      max: kind.max,
      optional,
      repeat,
      perHop: perHop.has(name),
    })
  }
  // The decoder hands out the hash input as one slice of the line, which needs this (§4).
  const firstPerHop = fields.findIndex((f) => f.perHop)
  if (firstPerHop >= 0 && fields.slice(firstPerHop).some((f) => !f.perHop)) {
    throw new Error(`@chat6/wire: ${type} has a per-hop field before an end-to-end one`)
  }
  return {
    type,
    typeBytes: ascii(type),
    fields,
    byName: new Map(fields.map((f) => [f.name, f])),
    requiredMask,
  }
}

/** @internal Spec of every type, by type name. */
export const _specs: ReadonlyMap<string, _TypeSpec> = new Map(
  FRAME_TYPES.map((t) => [t, _buildSpec(t, frameSchemas[t].shape)]),
)

/** @internal Specs grouped by the length of their type name, for matching type bytes. */
export const _specsByTypeLength: ReadonlyMap<number, readonly _TypeSpec[]> = (() => {
  const m = new Map<number, _TypeSpec[]>()
  for (const s of _specs.values()) {
    const list = m.get(s.typeBytes.length) ?? []
    list.push(s)
    m.set(s.typeBytes.length, list)
  }
  return m
})()
