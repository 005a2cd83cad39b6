// `pnpm test`: everything `pnpm lint` and `pnpm typecheck` check (Biome, publint, the layering,
// the README examples, tsc on every package and on the workspace tooling), so that a formatting,
// packaging or type error cannot land; then builds every package and runs every package's tests
// through turbo, and adds up the vitest JSON reports into one closing line
// `tests: N passed, N failed`. Exits non-zero if anything failed or a report is missing.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The fields of Vitest's JSON reporter output that are counted here.
 * @typedef {{ numPassedTests: number, numFailedTests: number, numPendingTests: number,
 *   numTodoTests: number, success: boolean,
 *   testResults: { status: string, assertionResults: { status: string }[] }[] }} VitestJsonReport
 */

const root = join(import.meta.dirname, '..')
const REPORT = '.vitest-report.json'
const packagesDir = join(root, 'packages')
const packages = readdirSync(packagesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(packagesDir, d.name, 'package.json')))
  .map((d) => d.name)
  .sort()

/**
 * Runs a command from the workspace root with inherited output; returns true on exit 0.
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.error) console.error(`${command}: ${result.error.message}`)
  return result.status === 0
}

// A report left over from an earlier run must not be counted as this run's result.
for (const name of packages) rmSync(join(packagesDir, name, REPORT), { force: true })

const problems = []
const bin = (/** @type {string} */ name) => join(root, 'node_modules', '.bin', name)
if (!run(bin('biome'), ['check', '.'])) {
  problems.push('biome check failed (`pnpm format` fixes formatting)')
}
if (!run(process.execPath, [join(root, 'scripts', 'check-layers.mjs')])) {
  problems.push('check:deps failed')
}
if (!run(process.execPath, [join(root, 'scripts', 'check-readme-examples.mjs')])) {
  problems.push('a package README example does not compile')
}
const turbo = bin('turbo')
// dependencies-successful: a package whose own dependencies built is still checked and tested
if (!run(turbo, ['run', 'build', 'typecheck', 'lint', '--continue=dependencies-successful'])) {
  problems.push('turbo run build typecheck lint failed (tsc or publint)')
}
if (!run(bin('tsc'), ['-p', 'tsconfig.json'])) {
  problems.push('tsc -p tsconfig.json (the workspace tooling) failed')
}
// the tests run on their own, not beside tsc and publint, so timing never depends on them
if (!run(turbo, ['run', 'test', '--continue=dependencies-successful'])) {
  problems.push('turbo run test failed')
}

let passed = 0
let failed = 0
let skipped = 0
for (const name of packages) {
  const file = join(packagesDir, name, REPORT)
  if (!existsSync(file)) {
    // vitest writes a report even when a package has no tests, so a missing one means the
    // tests did not run (a dependency failed to build) or vitest crashed: count it as a failure.
    problems.push(`@chat6/${name}: no test report (tests did not run)`)
    failed += 1
    continue
  }
  /** @type {VitestJsonReport} */
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests
  skipped += report.numPendingTests + report.numTodoTests
  // A test file that fails to load fails no test, so count each such file as one failure.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  ).length
  failed += report.numFailedTests + brokenFiles
  if (report.success === false && report.numFailedTests + brokenFiles === 0) {
    problems.push(`@chat6/${name}: vitest reported errors outside tests`)
    failed += 1
  }
}

console.log('')
for (const problem of problems) console.log(`problem: ${problem}`)
if (skipped > 0) console.log(`skipped or todo: ${skipped}`)
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(problems.length > 0 || failed > 0 ? 1 : 0)
