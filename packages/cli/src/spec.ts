// Every command of `chat6` as data: its options (in node:util parseArgs form), positionals, help
// text and example. Pure, so parsing and help are unit-tested without starting anything.

/** One option: parseArgs' descriptor plus what the help shows. */
export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
  /** Placeholder of the value in help (`PORT`, `FILE`); absent for flags. */
  arg?: string
  /** One line of help. */
  help: string
}

/** A positional argument. */
export interface PositionalSpec {
  name: string
  required: boolean
  /** Takes the rest of the line (joined with spaces), e.g. a message text. */
  rest?: boolean
}

/** A command of `chat6`. */
export interface CommandSpec {
  name: string
  summary: string
  /** Paragraph(s) under the usage line. */
  description: string
  positionals: PositionalSpec[]
  options: Record<string, OptionSpec>
  examples: string[]
  /** Needs the node and client packages (a running mesh). */
  network: boolean
}

const help: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' }
const json: OptionSpec = { type: 'boolean', help: 'print JSON instead of text' }
const dataDir: OptionSpec = {
  type: 'string',
  arg: 'DIR',
  help: 'data directory (default: $CHAT6_DATA_DIR, else the platform data dir)',
}
const passphraseFile: OptionSpec = {
  type: 'string',
  arg: 'FILE',
  help: 'read the identity passphrase from FILE (or set $CHAT6_PASSPHRASE)',
}

/** Options of every command that runs a node in the process. */
const net: Record<string, OptionSpec> = {
  listen: {
    type: 'string',
    arg: '[ADDR]:PORT',
    help: 'accept peers on this IPv6 address and port',
  },
  peer: {
    type: 'string',
    multiple: true,
    arg: '[ADDR]:PORT',
    help: 'dial this node (repeatable)',
  },
  bootstrap: {
    type: 'string',
    arg: 'FILE',
    help: 'dial the nodes listed in FILE, one [ADDR]:PORT a line (# comments)',
  },
  'max-peers': { type: 'string', arg: 'N', help: 'hold at most N peer links (default 32)' },
  'allow-loopback': {
    type: 'boolean',
    help: 'allow ::1 peers (implied by a ::1 --listen or --peer)',
  },
  'allow-ula': { type: 'boolean', help: 'allow fc00::/7 peers (implied by such an address)' },
}

const client = { 'data-dir': dataDir, 'passphrase-file': passphraseFile }

/** Every command, in the order `chat6 --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    summary: 'create your identity',
    description:
      'Creates a new identity (a client key pair) in the data dir, sealed under a passphrase if\n' +
      'one is given (--passphrase-file, $CHAT6_PASSPHRASE, or a prompt on a terminal).\n' +
      'Network options given here are saved to config.json and used by later commands.',
    positionals: [],
    options: {
      nick: { type: 'string', arg: 'NAME', help: 'your nickname (1..64 UTF-8 bytes)' },
      icon: { type: 'string', arg: 'FILE', help: 'an icon image (at most 16384 bytes)' },
      'no-passphrase': { type: 'boolean', help: 'store the identity unsealed, do not prompt' },
      ...client,
      listen: net.listen as OptionSpec,
      peer: net.peer as OptionSpec,
      'allow-loopback': net['allow-loopback'] as OptionSpec,
      'allow-ula': net['allow-ula'] as OptionSpec,
      json,
      help,
    },
    examples: ['chat6 init --nick alice --peer [2001:db8::7]:7600'],
    network: false,
  },
  {
    name: 'whoami',
    summary: 'show your client key, target hash and fingerprint',
    description:
      'Shows what you give others so they can add you (the key) and how to check it;\n' +
      'with --qr, also the key as a QR code to scan with a phone.',
    positionals: [],
    options: {
      qr: { type: 'boolean', help: 'also print the key as a QR code' },
      ...client,
      json,
      help,
    },
    examples: ['chat6 whoami', 'chat6 whoami --qr', 'chat6 whoami --json | jq -r .key'],
    network: false,
  },
  {
    name: 'node',
    summary: 'run a relay node',
    description:
      'Runs a relay: accepts and dials peers, relays presence and messages for others; no\n' +
      'identity needed. Logs one line per significant event and a status line periodically.\n' +
      'SIGINT/SIGTERM send BYE to every peer, save the last-known nodes and exit 0.\n' +
      '`chat6 status` asks it for its state through node.sock in the data dir; --metrics\n' +
      'serves Prometheus metrics (only when given).',
    positionals: [],
    options: {
      ...net,
      'status-interval': {
        type: 'string',
        arg: 'SECONDS',
        help: 'print a status line every SECONDS (default 60; 0: never)',
      },
      metrics: {
        type: 'string',
        arg: '[ADDR]:PORT',
        help: 'serve Prometheus metrics at http://[ADDR]:PORT/metrics (e.g. [::1]:9600)',
      },
      verbose: {
        type: 'boolean',
        short: 'v',
        help: 'also log every client going online or offline anywhere in the mesh',
      },
      'data-dir': dataDir,
      json: { type: 'boolean', help: 'log JSON lines instead of text' },
      help,
    },
    examples: [
      'chat6 node --listen [::]:7600 --peer [2001:db8::7]:7600',
      'chat6 node --listen [::1]:7600 --allow-loopback',
      'chat6 node --listen [::]:7600 --metrics [::1]:9600',
    ],
    network: true,
  },
  {
    name: 'status',
    summary: 'ask the running node (or daemon/chat) of a data dir for its state',
    description:
      'Connects to node.sock (a running `chat6 node`) or client.sock (`daemon`, `chat`) in the\n' +
      'data dir and prints its peers, known clients, frames relayed and drops.',
    positionals: [],
    options: { 'data-dir': dataDir, json, help },
    examples: ['chat6 status', 'chat6 status --json'],
    network: false,
  },
  {
    name: 'chat',
    summary: 'interactive terminal chat',
    description:
      'Opens the full-screen chat: friends with presence, the conversation with delivery marks\n' +
      '(… queued, ✓ sent, ✓✓ delivered, ✓✓ read), pending requests and a command line.\n' +
      'Runs its own node in this process; type /help inside for the commands.',
    positionals: [],
    options: { ...net, ...client, ascii: { type: 'boolean', help: 'ASCII marks only' }, help },
    examples: ['chat6 chat', 'chat6 chat --peer [2001:db8::7]:7600'],
    network: true,
  },
  {
    name: 'daemon',
    summary: 'stay online: deliver the outbox, receive messages',
    description:
      'Runs your client and its node without a screen: queued messages are delivered when\n' +
      'friends come online, incoming ones are stored and logged. While it runs, the scripting\n' +
      'commands (send, add, accept, …) on the same data dir are carried out by it.',
    positionals: [],
    options: {
      ...net,
      ...client,
      flush: { type: 'boolean', help: 'exit 0 once the outbox is empty' },
      timeout: {
        type: 'string',
        arg: 'SECONDS',
        help: 'with --flush: give up after SECONDS and exit 3',
      },
      help,
    },
    examples: ['chat6 daemon', 'chat6 daemon --flush --timeout 60'],
    network: true,
  },
  {
    name: 'add',
    summary: 'send a friend request',
    description:
      'Adds KEY (their `chat6 whoami` key) as a friend and sends the request. It stays\n' +
      'pending until they accept; chat and daemon keep re-sending it while they are online.',
    positionals: [{ name: 'KEY', required: true }],
    options: {
      nick: { type: 'string', arg: 'NAME', help: 'a local name for them until they announce one' },
      wait: {
        type: 'string',
        arg: 'SECONDS',
        help: 'wait up to SECONDS for them to accept (default 0)',
      },
      ...net,
      ...client,
      json,
      help,
    },
    examples: ['chat6 add q0Xz…base64…= --nick bob'],
    network: true,
  },
  {
    name: 'friends',
    summary: 'list friends with presence',
    description: 'Lists your friends: nickname, hash prefix, status, presence.',
    positionals: [],
    options: { ...net, ...client, json, help },
    examples: ['chat6 friends', 'chat6 friends --json'],
    network: true,
  },
  {
    name: 'send',
    summary: 'send a message',
    description:
      'Sends TEXT to FRIEND (a key, a hash prefix or a nickname) and waits for the delivery\n' +
      'receipt. Exits 0 when delivered; 3 when the message stays queued in the outbox (friend\n' +
      'offline, or no receipt within --wait): the next chat or daemon run delivers it.',
    positionals: [
      { name: 'FRIEND', required: true },
      { name: 'TEXT', required: true, rest: true },
    ],
    options: {
      wait: {
        type: 'string',
        arg: 'SECONDS',
        help: 'wait up to SECONDS for delivery (default 10; offline friends: 3)',
      },
      ...net,
      ...client,
      json,
      help,
    },
    examples: ['chat6 send bob "see you at 8"', 'chat6 send 3fa9 hello --wait 60'],
    network: true,
  },
  {
    name: 'history',
    summary: 'show the conversation with a friend',
    description: 'Prints the last messages with FRIEND, oldest first, with delivery states.',
    positionals: [{ name: 'FRIEND', required: true }],
    options: {
      limit: { type: 'string', arg: 'N', help: 'at most N messages (default 50)' },
      'mark-read': { type: 'boolean', help: 'mark the incoming messages shown as read' },
      ...net,
      ...client,
      json,
      help,
    },
    examples: ['chat6 history bob', 'chat6 history bob --json --limit 10'],
    network: true,
  },
  {
    name: 'requests',
    summary: 'list pending friend requests',
    description: 'Lists the friend requests waiting for `chat6 accept` or `chat6 reject`.',
    positionals: [],
    options: { ...net, ...client, json, help },
    examples: ['chat6 requests'],
    network: true,
  },
  {
    name: 'accept',
    summary: 'accept a friend request',
    description: 'Accepts the pending request from KEY (a key, hash prefix or nickname).',
    positionals: [{ name: 'KEY', required: true }],
    options: { ...net, ...client, json, help },
    examples: ['chat6 accept alice'],
    network: true,
  },
  {
    name: 'reject',
    summary: 'reject a friend request',
    description: 'Rejects the pending request from KEY; that key is blocked from then on.',
    positionals: [{ name: 'KEY', required: true }],
    options: { ...net, ...client, json, help },
    examples: ['chat6 reject 9c1e'],
    network: true,
  },
  {
    name: 'set-status',
    summary: 'set your status (online, away, busy) and status message',
    description:
      'Tells your friends, end to end, whether you are online, away or busy, and a status\n' +
      'message (NOTE, up to 140 bytes; left out, the current one stays). Kept in the data dir:\n' +
      'friends online now get it at once, the others when you are next online together.',
    positionals: [
      { name: 'STATUS', required: true },
      { name: 'NOTE', required: false, rest: true },
    ],
    options: {
      'clear-note': { type: 'boolean', help: 'remove the status message' },
      ...net,
      ...client,
      json,
      help,
    },
    examples: ['chat6 set-status away "back at 2"', 'chat6 set-status online --clear-note'],
    network: true,
  },
  {
    name: 'demo',
    summary: 'run a small local chat6 network and chat with bots',
    description:
      'Starts 4 relays on ::1 with an echo bot and a clock bot in this process, narrates\n' +
      'presence spreading and messages delivered with receipts, then lets you chat with the\n' +
      'bots when stdin is a terminal. Everything lives in a temp dir removed at the end.',
    positionals: [],
    options: {
      'no-interactive': { type: 'boolean', help: 'run the scripted part only, then exit' },
      keep: { type: 'boolean', help: 'keep the temp dir (its path is printed)' },
      nodes: { type: 'string', arg: 'N', help: 'relays to start (2..16, default 4)' },
      help,
    },
    examples: ['chat6 demo', 'chat6 demo --no-interactive'],
    network: true,
  },
]

/** The spec of a command by name. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name)
}
