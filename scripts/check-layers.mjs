// `pnpm check:deps`: keeps the layering described in README.md true in code. Fails when
// a file in a package's src/ sits in an import cycle, when a package imports a layer above
// its own (from source or from its package.json), or when anything but a test imports
// testkit. Imports are found and resolved by dependency-cruiser, type-only ones included.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cruise } from 'dependency-cruiser'

/**
 * What each package may import, bottom layer first; testkit sits beside the layers.
 * @type {Record<string, string[]>}
 */
const LAYERS = {
  wire: [],
  crypto: ['wire'],
  node: ['wire', 'crypto'],
  client: ['wire', 'crypto', 'node'],
  cli: ['wire', 'crypto', 'node', 'client'],
  testkit: ['wire', 'crypto', 'node', 'client'],
}
/** Packages only tests may import; and only tests of a package they do not import themselves,
 * since a devDependency back on one's own dependant is a package cycle (so: testkit's own tests
 * and cli's; integration scenarios across layers belong in testkit's tests). */
const TEST_ONLY = ['testkit']
/** @param {string} name */
const testOnlyFor = (name) => TEST_ONLY.filter((t) => !(LAYERS[t] ?? []).includes(name))

const root = join(import.meta.dirname, '..')
process.chdir(root)

const names = Object.keys(LAYERS)
const present = readdirSync('packages').filter((d) =>
  existsSync(join('packages', d, 'package.json')),
)
const problems = []
for (const dir of present) {
  if (!names.includes(dir)) problems.push(`packages/${dir} has no place in LAYERS`)
}

// A module outside the package: its folder once resolved, or its name when unresolved.
/** @param {string[]} others */
const target = (others) => `^(packages/(${others.join('|')})/|@chat6/(${others.join('|')})($|/))`

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
const forbidden = [
  {
    name: 'no-cycle',
    comment: 'files in a package src/ must not import each other in a circle',
    severity: 'error',
    from: { path: '^packages/[^/]+/src/' },
    to: { circular: true },
  },
]
for (const name of names) {
  const allowed = LAYERS[name] ?? []
  const notForSrc = names.filter((n) => n !== name && !allowed.includes(n))
  const notForTests = notForSrc.filter((n) => !testOnlyFor(name).includes(n))
  if (notForSrc.length > 0) {
    forbidden.push({
      name: `layer-${name}`,
      comment: `@chat6/${name} may import only ${allowed.join(', ') || 'no chat6 package'}`,
      severity: 'error',
      from: { path: `^packages/${name}/src/` },
      to: { path: target(notForSrc) },
    })
  }
  if (notForTests.length > 0) {
    forbidden.push({
      name: `layer-${name}-tests`,
      comment: `tests of @chat6/${name} may import only ${[...allowed, ...testOnlyFor(name)].join(', ')}`,
      severity: 'error',
      from: { path: `^packages/${name}/test/` },
      to: { path: target(notForTests) },
    })
  }
}

const roots = present.flatMap((d) =>
  ['src', 'test'].map((sub) => join('packages', d, sub)).filter((p) => existsSync(p)),
)
if (roots.length > 0) {
  const { output, exitCode } = await cruise(roots, {
    validate: true,
    ruleSet: { forbidden },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@chat6/source', 'types', 'import', 'default'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.json'],
    },
    outputType: 'err',
  })
  if (exitCode !== 0) problems.push(`import rules broken:\n${output}`)
}

// package.json dependencies must follow the same layers; testkit only as a devDependency.
for (const dir of present.filter((d) => names.includes(d))) {
  const manifest = JSON.parse(readFileSync(join('packages', dir, 'package.json'), 'utf8'))
  for (const field of [
    'dependencies',
    'devDependencies',
    'peerDependencies',
    'optionalDependencies',
  ]) {
    for (const dep of Object.keys(manifest[field] ?? {})) {
      const other = dep.startsWith('@chat6/') ? dep.slice('@chat6/'.length) : undefined
      if (other === undefined) continue
      const allowed =
        (LAYERS[dir] ?? []).includes(other) ||
        (field === 'devDependencies' && testOnlyFor(dir).includes(other))
      if (!allowed) problems.push(`packages/${dir}/package.json: ${field} may not name ${dep}`)
    }
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`check:deps: ${problem}`)
  process.exit(1)
}
console.log(`check:deps: ${present.length} packages follow the layers, no import cycles`)
