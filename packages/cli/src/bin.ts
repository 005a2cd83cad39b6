#!/usr/bin/env node
// Entry point of the `chat6` command. Subcommands are placeholders until the CLI is written:
// they say so and fail rather than pretend to work.
import { argv, exit, stderr, stdout } from 'node:process'

const USAGE =
  'usage: chat6 <command>\n\ncommands:\n  demo    run a small local chat6 network (not implemented yet)\n'

const command = argv[2]

if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  stdout.write(USAGE)
  exit(command === undefined ? 2 : 0)
} else if (command === 'demo') {
  stderr.write('chat6 demo: not implemented yet\n')
  exit(1)
} else {
  stderr.write(`chat6: unknown command '${command}'\n\n${USAGE}`)
  exit(2)
}
