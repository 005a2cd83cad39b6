// What a line typed into the chat screen means: a message, or one of the slash commands.

/** A parsed input line. */
export type ChatInput =
  | { kind: 'empty' }
  | { kind: 'message'; text: string }
  | { kind: 'add'; key: string; nick: string | undefined }
  | { kind: 'accept'; who: string | undefined }
  | { kind: 'reject'; who: string | undefined }
  | { kind: 'nick'; name: string }
  | { kind: 'status'; availability: 'online' | 'away' | 'busy'; note: string | undefined }
  | { kind: 'note'; note: string | undefined }
  | { kind: 'verify'; confirm: boolean }
  | { kind: 'switch'; who: string | undefined }
  | { kind: 'mykey' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string }

/** The slash commands, for /help and the footer. */
export const CHAT_COMMANDS: readonly (readonly [string, string])[] = [
  ['/add KEY [NICK]', 'send a friend request to KEY'],
  ['/accept [WHO]', 'accept a friend request (the oldest if WHO is left out)'],
  ['/reject [WHO]', 'reject a friend request'],
  ['/nick NAME', 'change your nickname'],
  ['/status STATUS [NOTE]', 'online, away or busy, and a status message, told to your friends'],
  ['/note [TEXT]', 'set your status message (/note alone clears it)'],
  ['/verify', "show the safety number with this friend; '/verify ok' marks them verified"],
  ['/switch WHO', 'talk to another friend (or press Tab / Shift-Tab)'],
  ['/mykey', 'show your key and its QR code, for a friend to add you'],
  ['/help', 'show this list'],
  ['/quit', 'leave (or Ctrl-C)'],
  ['//text', 'send a message that starts with /'],
]

/**
 * Parses a line typed on the chat screen.
 * @example
 * ```ts
 * parseChatInput('/add q0Xz…= bob') // { kind: 'add', key: 'q0Xz…=', nick: 'bob' }
 * parseChatInput('hello')          // { kind: 'message', text: 'hello' }
 * ```
 */
export function parseChatInput(line: string): ChatInput {
  const trimmed = line.trim()
  if (trimmed === '') return { kind: 'empty' }
  if (trimmed.startsWith('//')) return { kind: 'message', text: line.trimStart().slice(1) }
  if (!trimmed.startsWith('/')) return { kind: 'message', text: line }
  const [head = '', ...words] = trimmed.split(/\s+/)
  const rest = trimmed.slice(head.length).trim()
  switch (head.toLowerCase()) {
    case '/add':
      if (words[0] === undefined) return { kind: 'error', message: 'usage: /add KEY [NICK]' }
      return {
        kind: 'add',
        key: words[0],
        nick: words.length > 1 ? words.slice(1).join(' ') : undefined,
      }
    case '/accept':
      return { kind: 'accept', who: rest === '' ? undefined : rest }
    case '/reject':
      return { kind: 'reject', who: rest === '' ? undefined : rest }
    case '/nick':
      if (rest === '') return { kind: 'error', message: 'usage: /nick NAME' }
      return { kind: 'nick', name: rest }
    case '/status': {
      const word = (words[0] ?? '').toLowerCase()
      const availability = word === 'back' ? 'online' : word
      if (availability !== 'online' && availability !== 'away' && availability !== 'busy')
        return {
          kind: 'error',
          message: `usage: /status online|away|busy [NOTE]${word === '' ? '' : ` ('${words[0]}' is none of them)`}`,
        }
      const note = rest.slice((words[0] ?? '').length).trim()
      return { kind: 'status', availability, note: note === '' ? undefined : note }
    }
    case '/note':
      return { kind: 'note', note: rest === '' ? undefined : rest }
    case '/verify':
      if (rest === '') return { kind: 'verify', confirm: false }
      if (/^(ok|yes|confirm)$/i.test(rest)) return { kind: 'verify', confirm: true }
      return {
        kind: 'error',
        message: `'/verify ${rest}' is not a command: /verify shows the safety number, /verify ok marks the friend verified once it matches`,
      }
    case '/mykey':
    case '/key':
      return { kind: 'mykey' }
    case '/switch':
    case '/s':
      return { kind: 'switch', who: rest === '' ? undefined : rest }
    case '/help':
    case '/?':
      return { kind: 'help' }
    case '/quit':
    case '/q':
    case '/exit':
      return { kind: 'quit' }
  }
  return { kind: 'error', message: `unknown command ${head} (type /help)` }
}
