/**
 * The layout is the architecture: what dependency-cruiser cannot check (it sees imports, not
 * folders or lengths) is checked here. Every file under functions/ sits in a capability module or
 * in the kernel, each module has the same small shape and one face, and no source file grows past
 * the length a reader takes in at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
// The modules and their order, as the dependency rules declare them: one list for both checks.
const { modulesBelow } = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
  modulesBelow: Record<string, string[]>;
};

const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? filesUnder(path) : [path];
  });

/** What a module may hold: its pure rules, its items, its routes, what consumes its events, what the state machine or a schedule runs. */
const moduleFolders = ['domain', 'store', 'http', 'events', 'steps', 'scheduled'];
const kernelFolders = ['domain', 'runtime', 'store', 'http', 'adapters'];
const longestFile = 300;

describe('the layout of functions/', () => {
  const files = filesUnder('functions');

  it('puts every file in the kernel or a module the dependency rules know', () => {
    const homes = new Set(files.map((file) => file.split('/')[1]));

    expect([...homes].sort()).toEqual(['kernel', ...Object.keys(modulesBelow)].sort());
  });

  it('gives every capability module one face, index.ts, and the same few folders', () => {
    for (const module of Object.keys(modulesBelow).filter((m) => m !== 'api')) {
      const inside = files.filter((file) => file.startsWith(`functions/${module}/`));
      const folders = new Set(inside.map((file) => file.split('/')[2]).filter((part) => !part?.endsWith('.ts')));

      expect(inside, module).toContain(`functions/${module}/index.ts`);
      expect(
        [...folders].filter((folder) => !moduleFolders.includes(folder as string)),
        module,
      ).toEqual([]);
      for (const top of inside.filter((file) => file.split('/').length === 3))
        expect(['index.ts', 'functions.ts'], top).toContain(top.split('/')[2]);
    }
  });

  it('keeps the kernel to its own folders', () => {
    const folders = new Set(files.filter((f) => f.startsWith('functions/kernel/')).map((f) => f.split('/')[2]));

    expect([...folders].filter((folder) => !kernelFolders.includes(folder as string))).toEqual([]);
  });
});

describe('source files', () => {
  it(`stay within ${longestFile} lines in functions/, local/ and console/src/`, () => {
    const sources = ['functions', 'local', 'console/src']
      .flatMap(filesUnder)
      .filter((file) => /\.(ts|tsx)$/.test(file));
    const long = sources
      .map((file) => ({
        file: relative(root, join(root, file)),
        lines: readFileSync(join(root, file), 'utf8').split('\n').length - 1,
      }))
      .filter(({ lines }) => lines > longestFile);

    expect(sources.length).toBeGreaterThan(200);
    expect(long).toEqual([]);
  });
});
