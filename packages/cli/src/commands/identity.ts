// `chat6 init` and `chat6 whoami`: creating the identity and showing what others need of it.
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { createInterface } from 'node:readline/promises'
import { createClient, createSqliteStore, MAX_ICON_BYTES } from '@chat6/client'
import { clientHash } from '@chat6/crypto'
import { createNode } from '@chat6/node'
import { listOption, stringOption } from '../args.ts'
import { EMPTY_CONFIG, writeConfig } from '../config.ts'
import type { Context } from '../context.ts'
import { serveControl } from '../control.ts'
import { checkInitDir, makeDataDir } from '../data-dir.ts'
import { CliError } from '../errors.ts'
import { EXIT } from '../exit-codes.ts'
import { fingerprint, sanitize, table, toBase64, toHex } from '../format.ts'
import { networkPlan } from '../network.ts'
import { givenPassphrase, promptHidden } from '../passphrase.ts'
import { qrLines } from '../qr.ts'
import { openStore } from '../session.ts'

/** What `whoami` shows. */
export interface WhoAmI {
  nickname: string
  key: string
  hash: string
  targetHash: string
  fingerprint: string
  sealed: boolean
  dataDir: string
}

function describe(ctx: Context, key: Uint8Array, nickname: string, sealed: boolean): WhoAmI {
  const hash = clientHash(key)
  return {
    nickname,
    key: toBase64(key),
    hash: toHex(hash),
    targetHash: toBase64(hash),
    fingerprint: fingerprint(hash),
    sealed,
    dataDir: ctx.files.dir,
  }
}

function printWho(ctx: Context, w: WhoAmI): void {
  if (ctx.json) {
    ctx.out(`${JSON.stringify(w, null, 2)}\n`)
    return
  }
  ctx.out(
    `${table([
      ['nickname', sanitize(w.nickname)],
      ['key', w.key],
      ['hash', w.hash],
      ['target', w.targetHash],
      ['fingerprint', w.fingerprint],
      ['sealed', w.sealed ? 'yes (passphrase)' : 'no'],
      ['data dir', w.dataDir],
    ])}\n\nGive your key to friends: they run 'chat6 add ${w.key}'\n`,
  )
}

async function ask(ctx: Context, question: string): Promise<string> {
  const rl = createInterface({ input: ctx.io.stdin, output: process.stderr })
  try {
    return (await rl.question(question)).trim()
  } finally {
    rl.close()
  }
}

/** `chat6 init`. */
export async function runInit(ctx: Context): Promise<number> {
  const { values } = ctx.parsed
  const tty = ctx.io.stdin.isTTY === true
  await checkInitDir(ctx.files)
  if (existsSync(ctx.files.store)) {
    const store = createSqliteStore(ctx.files.store)
    const id = store.getIdentity()
    store.close()
    if (id !== undefined)
      throw new CliError('conflict', `an identity exists already in ${ctx.files.dir}`, {
        hint: `its key: ${toBase64(id.key)}\nuse another --data-dir for a second identity`,
      })
  }
  let nick = stringOption(values, 'nick')
  if (nick === undefined && tty) nick = await ask(ctx, 'Nickname: ')
  if (nick === undefined || nick === '')
    throw new CliError('usage', "'chat6 init' needs --nick NAME", {
      hint: 'example: chat6 init --nick alice',
    })
  let icon: Uint8Array | undefined
  const iconFile = stringOption(values, 'icon')
  if (iconFile !== undefined) {
    try {
      icon = new Uint8Array(await readFile(iconFile))
    } catch (e) {
      throw new CliError('usage', `cannot read --icon ${iconFile}: ${(e as Error).message}`)
    }
    if (icon.length < 1 || icon.length > MAX_ICON_BYTES)
      throw new CliError(
        'usage',
        `--icon ${iconFile} is ${icon.length} bytes: at most ${MAX_ICON_BYTES}`,
      )
  }
  let passphrase: string | undefined
  if (values['no-passphrase'] !== true) {
    passphrase = await givenPassphrase(ctx)
    if (passphrase === undefined && tty) {
      const first = await promptHidden(ctx, 'Passphrase to seal your identity (empty: none): ')
      if (first !== '') {
        const again = await promptHidden(ctx, 'Same passphrase again: ')
        if (again !== first) throw new CliError('passphrase', 'the passphrases differ')
        passphrase = first
      }
    }
  }
  // settings to save are checked before anything is written
  const hasNet =
    listOption(values, 'peer').length > 0 ||
    values.listen !== undefined ||
    values['allow-loopback'] === true ||
    values['allow-ula'] === true
  const plan = hasNet ? await networkPlan(values, EMPTY_CONFIG, false) : undefined

  await makeDataDir(ctx.files)
  const control = await serveControl(ctx.files.clientSocket, async () => {}, 'another chat6')
  const created = !existsSync(ctx.files.store)
  // the identity is made by the client itself; its node is offline (no listen, no peers)
  const node = createNode({
    listen: false,
    useShippedBootstrap: false,
    useEnvBootstrap: false,
    dataDir: false,
  })
  try {
    await node.start()
    const client = await createClient({
      node,
      store: createSqliteStore(ctx.files.store),
      nickname: nick,
      ...(icon === undefined ? {} : { icon }),
      ...(passphrase === undefined ? {} : { passphrase }),
    })
    const who = describe(ctx, client.key, client.nickname, passphrase !== undefined)
    await client.stop({ offline: false })
    if (plan !== undefined)
      await writeConfig(ctx.files.config, {
        peers: listOption(values, 'peer'),
        listen: stringOption(values, 'listen'),
        allowLoopback: plan.allowLoopback,
        allowUla: plan.allowUla,
      })
    if (!ctx.json) {
      ctx.out(`Created identity '${sanitize(nick)}' in ${ctx.files.dir}\n`)
      if (passphrase === undefined)
        ctx.out('It is not sealed: anyone who can read the data dir can use it.\n')
      if (plan !== undefined) ctx.out(`Saved network settings to ${ctx.files.config}\n`)
      ctx.out('\n')
    }
    printWho(ctx, who)
    return EXIT.OK
  } catch (e) {
    if (created) await rm(ctx.files.store, { force: true })
    throw e
  } finally {
    await node.stop().catch(() => {})
    await control.close()
  }
}

/** `chat6 whoami`: needs no passphrase: it shows public values only. */
export async function runWhoami(ctx: Context): Promise<number> {
  const store = await openStore(ctx)
  try {
    const id = store.getIdentity()
    if (id === undefined) throw new CliError('not_found', `no identity in ${ctx.files.dir}`)
    const who = describe(ctx, id.key, id.nickname, id.sealed)
    printWho(ctx, who)
    if (ctx.parsed.values.qr === true && !ctx.json) {
      const color =
        ctx.io.stdout.isTTY === true &&
        ctx.io.env.NO_COLOR === undefined &&
        ctx.io.env.TERM !== 'dumb'
      ctx.out(`\n${qrLines(who.key, { color }).join('\n')}\n`)
    }
    return EXIT.OK
  } finally {
    store.close()
  }
}
