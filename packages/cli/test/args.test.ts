import { describe, expect, it } from 'vitest'
import {
  commandHelp,
  intOption,
  mainHelp,
  parseCommand,
  parseTopLevel,
  secondsOption,
  suggest,
} from '../src/args.ts'
import { CliError } from '../src/errors.ts'
import { EXIT } from '../src/exit-codes.ts'
import { COMMANDS, type CommandSpec, findCommand } from '../src/spec.ts'

const spec = (name: string) => {
  const s = findCommand(name)
  if (s === undefined) throw new Error(name)
  return s
}

const usageError = (fn: () => unknown): CliError => {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(CliError)
    expect((e as CliError).exitCode).toBe(EXIT.USAGE)
    return e as CliError
  }
  throw new Error('expected a usage error')
}

describe('parseTopLevel', () => {
  it('behavior: no words is help with exit 2, --help exit 0', () => {
    expect(parseTopLevel([])).toEqual({ kind: 'help', exitCode: 2 })
    expect(parseTopLevel(['--help'])).toEqual({ kind: 'help', exitCode: 0 })
    expect(parseTopLevel(['--version'])).toEqual({ kind: 'version' })
  })
  it('behavior: help COMMAND is COMMAND --help', () => {
    const t = parseTopLevel(['help', 'send'])
    expect(t.kind === 'command' && t.parsed.help && t.parsed.spec.name).toBe('send')
  })
  it('error: unknown command suggests the closest', () => {
    const e = usageError(() => parseTopLevel(['sned']))
    expect(e.message).toBe("unknown command 'sned' (did you mean 'send'?)")
  })
})

describe('parseCommand', () => {
  it('behavior: send joins the rest of the words into TEXT, options anywhere', () => {
    const p = parseCommand(spec('send'), ['bob', 'hi', 'there', '--wait', '5', '--json'])
    expect(p.args).toEqual({ FRIEND: 'bob', TEXT: 'hi there' })
    expect(p.values.wait).toBe('5')
    expect(p.values.json).toBe(true)
  })
  it('behavior: -- lets a message start with a dash', () => {
    expect(parseCommand(spec('send'), ['bob', '--', '-1 is fine']).args.TEXT).toBe('-1 is fine')
  })
  it('behavior: --peer repeats', () => {
    const p = parseCommand(spec('node'), ['--peer', '[::1]:1', '--peer', '[::1]:2'])
    expect(p.values.peer).toEqual(['[::1]:1', '[::1]:2'])
  })
  it('behavior: --help skips the required-argument check', () => {
    expect(parseCommand(spec('send'), ['--help']).help).toBe(true)
  })
  it('error: unknown option names the command and suggests', () => {
    const e = usageError(() => parseCommand(spec('init'), ['--nik', 'al']))
    expect(e.message).toBe("unknown option '--nik' for 'chat6 init' (did you mean --nick?)")
  })
  it('error: missing value, missing argument, extra argument', () => {
    expect(usageError(() => parseCommand(spec('init'), ['--nick'])).message).toMatch(
      /--nick' needs a value/,
    )
    expect(usageError(() => parseCommand(spec('send'), ['bob'])).message).toBe(
      "'chat6 send' needs TEXT",
    )
    expect(usageError(() => parseCommand(spec('whoami'), ['x'])).message).toMatch(
      /unexpected argument 'x'/,
    )
  })
})

describe('options', () => {
  it('behavior: numbers in range, seconds to ms', () => {
    expect(intOption({ n: '5' }, 'n', 1, 1, 10)).toBe(5)
    expect(intOption({}, 'n', 7, 1, 10)).toBe(7)
    expect(secondsOption({ wait: '1.5' }, 'wait', 0)).toBe(1500)
    usageError(() => intOption({ n: '11' }, 'n', 1, 1, 10))
    usageError(() => secondsOption({ wait: '-1' }, 'wait', 0))
  })
  it('behavior: suggest finds close words only', () => {
    expect(suggest('frends', ['friends', 'send'])).toBe('friends')
    expect(suggest('zzzzzz', ['friends'])).toBeUndefined()
  })
})

describe('help', () => {
  it('behavior: every command has a summary, an example and --help', () => {
    for (const c of COMMANDS) {
      const text = commandHelp(c)
      expect(text).toContain(`usage: chat6 ${c.name}`)
      expect(text).toMatch(/examples?:\n {2}chat6 /)
      expect(c.options.help).toBeDefined()
    }
    expect(mainHelp()).toContain('demo')
  })
  it('behavior: node and status name the sockets the code uses', () => {
    const node = commandHelp(findCommand('node') as CommandSpec)
    expect(node).toContain('through node.sock in the data dir')
    expect(node).toContain('--metrics [ADDR]:PORT')
    const status = commandHelp(findCommand('status') as CommandSpec)
    expect(`${node}${status}`).not.toContain('control.sock')
  })
  it('error: a negative value is the option\'s own error, not parseArgs\' "ambiguous"', () => {
    const parsed = parseCommand(findCommand('send') as CommandSpec, ['bob', 'hi', '--wait', '-5'])
    expect(parsed.values.wait).toBe('-5')
    expect(() => secondsOption(parsed.values, 'wait', 0)).toThrow(
      "--wait must be a number of seconds from 0 to 86400, not '-5'",
    )
  })
})
