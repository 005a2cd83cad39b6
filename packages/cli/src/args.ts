// Argument parsing on node:util parseArgs, with one-line usage errors (and a "did you mean")
// instead of parseArgs' exceptions, and help text generated from spec.ts.
import { parseArgs } from 'node:util'
import type { Availability } from '@chat6/client'
import { CliError } from './errors.ts'
import { COMMANDS, type CommandSpec, findCommand } from './spec.ts'

/** Option values after parsing: strings, booleans, or string lists for repeatable options. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>

/** A parsed command line. */
export interface ParsedCommand {
  spec: CommandSpec
  values: OptionValues
  /** Positionals by name; a `rest` positional holds the remaining words joined by spaces. */
  args: Record<string, string>
  help: boolean
  /** The words after the command name, as given (for forwarding). */
  argv: string[]
}

/** What the top level of `chat6` was asked. */
export type TopLevel =
  | { kind: 'help'; exitCode: 0 | 2 }
  | { kind: 'version' }
  | { kind: 'command'; parsed: ParsedCommand }

/** Levenshtein distance, for suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length] as number
}

/** The closest candidate within distance 2, if any. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestD = 3
  for (const c of candidates) {
    const d = distance(word, c)
    if (d < bestD) {
      best = c
      bestD = d
    }
  }
  return best
}

/**
 * `--wait -5` as `--wait=-5`: parseArgs takes a value that starts with a dash for an option of
 * its own ("argument is ambiguous"); joined, the option's own check says what is wrong with it.
 */
function joinNegativeValues(spec: CommandSpec, argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string
    const next = argv[i + 1]
    const long = /^--([\w-]+)$/.exec(word)?.[1]
    const short = /^-(\w)$/.exec(word)?.[1]
    const name =
      long ??
      Object.entries(spec.options).find(([, o]) => short !== undefined && o.short === short)?.[0]
    if (
      name !== undefined &&
      spec.options[name]?.type === 'string' &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      out.push(`--${name}=${next}`)
      i++
    } else out.push(word)
  }
  return out
}

const usageHint = (spec: CommandSpec) => `run 'chat6 ${spec.name} --help' for usage`

/**
 * Parses the words after the command name.
 * @throws CliError `usage` for an unknown option, a missing value or argument, or extra words
 * @example
 * ```ts
 * parseCommand(findCommand('send')!, ['bob', 'hi', 'there', '--wait', '5'])
 * // → { args: { FRIEND: 'bob', TEXT: 'hi there' }, values: { wait: '5' }, … }
 * ```
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: joinNegativeValues(spec, argv),
      options: spec.options,
      allowPositionals: true,
      strict: true,
      allowNegative: false,
    })
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg)
    if (unknown?.[1] !== undefined) {
      const name = unknown[1].replace(/^-+/, '')
      const near = suggest(name, Object.keys(spec.options))
      throw new CliError(
        'usage',
        `unknown option '${unknown[1]}' for 'chat6 ${spec.name}'${near ? ` (did you mean --${near}?)` : ''}`,
        { hint: usageHint(spec) },
      )
    }
    const needs = /Option '(?:-\w, )?(--[\w-]+)(?: <value>)?' argument missing/.exec(msg)
    if (needs?.[1] !== undefined)
      throw new CliError('usage', `option '${needs[1]}' needs a value`, { hint: usageHint(spec) })
    throw new CliError('usage', msg.split('\n')[0] ?? msg, { hint: usageHint(spec) })
  }
  const values = parsed.values as OptionValues
  const help = values.help === true
  const args: Record<string, string> = {}
  const words = [...parsed.positionals]
  for (const p of spec.positionals) {
    const word = p.rest ? (words.length > 0 ? words.splice(0).join(' ') : undefined) : words.shift()
    if (word === undefined || word === '') {
      if (p.required && !help)
        throw new CliError('usage', `'chat6 ${spec.name}' needs ${p.name}`, {
          hint: `usage: ${usageLine(spec)}`,
        })
      continue
    }
    args[p.name] = word
  }
  if (words.length > 0 && !help)
    throw new CliError('usage', `unexpected argument '${words[0]}' for 'chat6 ${spec.name}'`, {
      hint: `usage: ${usageLine(spec)}`,
    })
  return { spec, values, args, help, argv: [...argv] }
}

/**
 * Parses a whole `chat6` command line (without the node and script paths).
 * @throws CliError `usage` for an unknown command
 */
export function parseTopLevel(argv: readonly string[]): TopLevel {
  const [first, ...rest] = argv
  if (first === undefined) return { kind: 'help', exitCode: 2 }
  if (first === '--help' || first === '-h') return { kind: 'help', exitCode: 0 }
  if (first === '--version' || first === '-V') return { kind: 'version' }
  if (first === 'help') {
    if (rest[0] === undefined) return { kind: 'help', exitCode: 0 }
    return { kind: 'command', parsed: parseTopLevelCommand(rest[0], ['--help']) }
  }
  return { kind: 'command', parsed: parseTopLevelCommand(first, rest) }
}

function parseTopLevelCommand(name: string, rest: readonly string[]): ParsedCommand {
  const spec = findCommand(name)
  if (spec === undefined) {
    const near = suggest(
      name,
      COMMANDS.map((c) => c.name),
    )
    throw new CliError(
      'usage',
      `unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}`,
      { hint: "run 'chat6 --help' for the list of commands" },
    )
  }
  return parseCommand(spec, rest)
}

/** `chat6 send [options] FRIEND TEXT…` */
export function usageLine(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => {
    const n = p.rest ? `${p.name}…` : p.name
    return p.required ? n : `[${n}]`
  })
  return ['chat6', spec.name, '[options]', ...pos].join(' ')
}

/** The help text of one command. */
export function commandHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.arg ? ` ${o.arg}` : ''}`
    return [left, `${o.help}${o.multiple ? '' : ''}`] as const
  })
  const width = Math.max(...rows.map(([l]) => l.length)) + 2
  const lines = [
    `usage: ${usageLine(spec)}`,
    '',
    `${spec.summary[0]?.toUpperCase()}${spec.summary.slice(1)}.`,
    spec.description,
    '',
    'options:',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`),
    '',
    spec.examples.length > 1 ? 'examples:' : 'example:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ]
  return lines.join('\n')
}

/** The help text of `chat6` itself. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2
  return [
    'usage: chat6 <command> [options]',
    '',
    'chat6: IPv6-only peer-to-peer end-to-end-encrypted chat.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'chat6 <command> --help' for a command's options and an example.",
    'Environment: CHAT6_DATA_DIR, CHAT6_PASSPHRASE, CHAT6_DEBUG=1 (stack traces).',
    '',
    'example:',
    '  chat6 demo',
    '',
  ].join('\n')
}

/** An integer option within bounds, or its default. */
export function intOption(
  values: OptionValues,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = values[name]
  if (raw === undefined) return fallback
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new CliError(
      'usage',
      `--${name} must be a whole number from ${min} to ${max}, not '${String(raw)}'`,
    )
  return Number(raw)
}

/** A duration option in seconds (decimals allowed), as milliseconds. */
export function secondsOption(
  values: OptionValues,
  name: string,
  fallbackMs: number,
  maxSeconds = 86_400,
): number {
  const raw = values[name]
  if (raw === undefined) return fallbackMs
  if (typeof raw !== 'string' || !/^\d+(\.\d+)?$/.test(raw) || Number(raw) > maxSeconds)
    throw new CliError(
      'usage',
      `--${name} must be a number of seconds from 0 to ${maxSeconds}, not '${String(raw)}'`,
    )
  return Math.round(Number(raw) * 1000)
}

/** A string option, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name]
  return typeof v === 'string' ? v : undefined
}

/** A repeatable string option, as a list. */
export function listOption(values: OptionValues, name: string): string[] {
  const v = values[name]
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
}

/**
 * The availability a STATUS word names: `online`, `away`, `busy` (any case), or `back` for
 * online.
 * @throws CliError `usage` naming the allowed words
 */
export function availabilityArg(word: string): Availability {
  const w = word.trim().toLowerCase()
  const a = w === 'back' ? 'online' : w
  if (a === 'online' || a === 'away' || a === 'busy') return a
  throw new CliError('usage', `STATUS is online, away or busy, not '${word}'`)
}
