// Builds dist/ of this package before the end-to-end tests spawn dist/bin.js. The packages it
// imports must be built already: `pnpm test` (turbo, `^build`) does that; so does `pnpm build`.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export default function setup(): void {
  for (const dep of ['wire', 'crypto', 'node', 'client'])
    if (!existsSync(join(pkg, '..', dep, 'dist', 'index.js')))
      throw new Error(`@chat6/${dep} is not built: run 'npx -y pnpm@12.4.2 build' first`)
  const tsc = join(pkg, '..', '..', 'node_modules', '.bin', 'tsc')
  execFileSync(tsc, ['-p', join(pkg, 'tsconfig.build.json')], { stdio: 'inherit' })
}
