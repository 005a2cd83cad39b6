// The first ```ts block of every package README is that package's minimal example: this script
// type-checks each one against the package's own settings, so a README cannot drift from the
// API it shows. Run by `pnpm test` (and so by CI) and by `pnpm lint`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const tsc = join(root, 'node_modules', '.bin', 'tsc')
const packagesDir = join(root, 'packages')
const FENCE = /^```ts\n([\s\S]*?)^```/m

let checked = 0
const failures = []
for (const name of readdirSync(packagesDir).sort()) {
  const readme = join(packagesDir, name, 'README.md')
  if (!existsSync(readme)) continue
  const block = FENCE.exec(readFileSync(readme, 'utf8'))?.[1]
  if (block === undefined) {
    failures.push(`@chat6/${name}: README.md has no \`\`\`ts example`)
    continue
  }
  // Inside the package, so that `@chat6/<name>` and its dependencies resolve as for its tests.
  const dir = join(packagesDir, name, '.readme-example')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir)
  try {
    writeFileSync(join(dir, 'example.ts'), block)
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', include: ['example.ts'] }),
    )
    const r = spawnSync(tsc, ['-p', dir, '--noEmit'], { cwd: root, encoding: 'utf8' })
    checked += 1
    if (r.status !== 0) {
      failures.push(`@chat6/${name}: the README example does not compile\n${r.stdout}${r.stderr}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

for (const f of failures) console.error(f)
console.log(`readme examples: ${checked - failures.length} of ${checked} compile`)
process.exit(failures.length > 0 ? 1 : 0)
