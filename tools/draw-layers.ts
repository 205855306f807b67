/**
 * `npm run deps:graph`: draws the rooms and who imports whom with dependency-cruiser's own
 * mermaid reporter, and writes the picture into docs/architecture.md between its markers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const graph = execFileSync(
  'npx',
  [
    'depcruise',
    'functions',
    'workflows',
    'infra',
    'local',
    '--config',
    '.dependency-cruiser.cjs',
    '--include-only',
    '^(functions|workflows|infra|local)/',
    '--collapse',
    '^(functions/[^/]+|workflows|infra|local)',
    '--output-type',
    'mermaid',
  ],
  { encoding: 'utf8' },
).trim();

const path = 'docs/architecture.md';
const start = '<!-- layers:start (npm run deps:graph) -->';
const end = '<!-- layers:end -->';
const doc = readFileSync(path, 'utf8');
const from = doc.indexOf(start);
const to = doc.indexOf(end);
if (from < 0 || to < from) throw new Error(`${path} has no ${start} … ${end} markers`);
writeFileSync(path, `${doc.slice(0, from + start.length)}\n\`\`\`mermaid\n${graph}\n\`\`\`\n${doc.slice(to)}`);
console.log(`${path}: layers drawn`);
