// The public face of @chat6/node stays small and documented: at most 40 names at run time, each
// with a TSDoc comment, each function with an @example; test helpers only behind /testing.
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import * as face from '../src/index.ts'
import * as testing from '../src/testing.ts'

const entry = (name: string) => fileURLToPath(new URL(`../src/${name}`, import.meta.url))

// One program for both entry points, without @types/*: the exports' declarations are all it needs.
const files = ['index.ts', 'testing.ts'].map(entry)
const program = ts.createProgram(files, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
  customConditions: ['@chat6/source'],
})

function documented(file: string): Array<{ name: string; doc: string; fn: boolean }> {
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file) as ts.SourceFile
  const moduleSymbol = checker.getSymbolAtLocation(source) as ts.Symbol
  return checker.getExportsOfModule(moduleSymbol).flatMap((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s
    if (!(target.flags & ts.SymbolFlags.Value)) return []
    const decl = target.declarations?.[0]
    const doc =
      decl === undefined
        ? ''
        : ts
            .getJSDocCommentsAndTags(decl)
            .map((d) => d.getText())
            .join('\n')
    const fn = decl !== undefined && ts.isFunctionDeclaration(decl)
    return [{ name: s.name, doc, fn }]
  })
}

describe('the face of @chat6/node', () => {
  it('behavior: at most 40 runtime exports, none of them a test helper', () => {
    const names = Object.keys(face)
    expect(names.length).toBeLessThanOrEqual(40)
    for (const helper of Object.keys(testing)) expect(names).not.toContain(helper)
  })

  it('behavior: every runtime export has TSDoc, every function an @example', () => {
    for (const file of files) {
      const exports = documented(file)
      expect(exports.length).toBeGreaterThan(0)
      for (const e of exports) {
        expect(e.doc, `${e.name} has no TSDoc`).toMatch(/\/\*\*/)
        if (e.fn) expect(e.doc, `${e.name} has no @example`).toMatch(/@example/)
      }
    }
  })
})
