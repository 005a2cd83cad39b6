// Seeded frame faults. Every line written between two nodes draws its fate from the mesh's fault
// random source, so a seed reproduces the same drops, duplicates, delays and reorders.

/** What happens to one line on its way: see {@link FrameFaults} for how a fate is chosen. */
export type LineFate = 'deliver' | 'drop' | 'duplicate' | { delay: number } | { reorder: number }

/**
 * Probabilities (0..1) of what happens to each line written between nodes. At most one fault
 * applies to a line, drawn in the order drop, duplicate, reorder, delay.
 *
 * Frames inside one connection carry a counter in their link MAC (§6.3), so a dropped, duplicated
 * or reordered line makes the receiver close the link (`BYE bad_signature`) and the nodes dial
 * again: these faults exercise link loss and reconnection. `delay` keeps order and only adds
 * latency (which moves link metrics and so routes).
 */
export interface FrameFaults {
  /** Line never arrives. */
  drop?: number
  /** Line arrives twice. */
  duplicate?: number
  /** Line is held for `delayMs` while the lines after it pass it. */
  reorder?: number
  /** Line and every line after it on that connection are held for `delayMs`. */
  delay?: number
  /** Extra latency of a delayed or reordered line, ms: a fixed value or `[min, max]` (default [1, 500]). */
  delayMs?: number | readonly [number, number]
  /** Only lines of these frame types (default: all). */
  types?: readonly string[]
  /** Only lines between these node indexes, either direction (default: all). */
  between?: readonly [number, number]
}

const checkProbability = (name: string, p: number | undefined): void => {
  if (p !== undefined && !(p >= 0 && p <= 1)) {
    throw new RangeError(`faults.${name}: a probability must be between 0 and 1`)
  }
}

/** @internal Validates a fault configuration up front, naming the bad field. */
export function checkFaults(f: FrameFaults): void {
  checkProbability('drop', f.drop)
  checkProbability('duplicate', f.duplicate)
  checkProbability('reorder', f.reorder)
  checkProbability('delay', f.delay)
  const d = f.delayMs
  if (d !== undefined && (typeof d === 'number' ? d < 0 : !(d[0] >= 0 && d[1] >= d[0]))) {
    throw new RangeError('faults.delayMs: must be >= 0, or [min, max] with 0 <= min <= max')
  }
}

/** @internal Draws the fate of one line of type `type` between node indexes `a` and `b`. */
export function drawFate(
  f: FrameFaults,
  float: () => number,
  type: string,
  a: number,
  b: number,
): LineFate {
  if (f.types !== undefined && !f.types.includes(type)) return 'deliver'
  if (f.between !== undefined) {
    const [x, y] = f.between
    if (!((a === x && b === y) || (a === y && b === x))) return 'deliver'
  }
  const u = float()
  const ms = (): number => {
    const d = f.delayMs ?? [1, 500]
    return typeof d === 'number' ? d : Math.round(d[0] + float() * (d[1] - d[0]))
  }
  const drop = f.drop ?? 0
  const duplicate = drop + (f.duplicate ?? 0)
  const reorder = duplicate + (f.reorder ?? 0)
  const delay = reorder + (f.delay ?? 0)
  if (u < drop) return 'drop'
  if (u < duplicate) return 'duplicate'
  if (u < reorder) return { reorder: ms() }
  if (u < delay) return { delay: ms() }
  return 'deliver'
}
