/**
 * The capability modules of ../shared/DESIGN.md as rules: what each folder may import. `npm run deps`
 * checks them (and `npm test` runs it); `npm run deps:graph` draws them for docs/architecture.md.
 *
 * functions/ is one folder per capability over a small kernel. A module meets another only through
 * that module's index.ts, and only a module above it in `modulesBelow` (so no two modules import
 * each other); a module's domain/ is pure.
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** Each module and the modules it may use (through their index.ts). The kernel is below them all. */
const modulesBelow = {
  administration: [],
  // Facts checked against other offices' records: asked by intake, approvals and the monthly re-check.
  verification: ['administration'],
  applications: ['administration', 'verification'],
  workflow: ['administration', 'verification', 'applications'],
  webhooks: ['administration', 'applications'],
  monitoring: ['administration', 'applications'],
  employment: ['administration', 'applications', 'monitoring'],
  integrity: ['administration', 'applications', 'employment'],
  // The HTTP API as one: it assembles every module's routes and describes them (OpenAPI).
  api: [
    'administration',
    'verification',
    'applications',
    'workflow',
    'webhooks',
    'monitoring',
    'employment',
    'integrity',
  ],
};
const modules = Object.keys(modulesBelow);

const eachModuleUsesOnlyTheModulesBelowIt = modules.map((module) => ({
  name: `${module}-uses-only-modules-below-it`,
  comment: `functions/${module} may use ${modulesBelow[module].join(', ') || 'no other module'} (and the kernel): see modulesBelow.`,
  severity: 'error',
  from: { path: `^functions/${module}/` },
  to: {
    path: `^functions/(${modules.filter((other) => other !== module && !modulesBelow[module].includes(other)).join('|')})/`,
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'every-file-in-a-module',
      comment: 'Every file under functions/ sits in a capability module or in the kernel.',
      severity: 'error',
      from: { path: '^functions/', pathNot: `^functions/(kernel|${modules.join('|')})/` },
      to: {},
    },
    {
      name: 'modules-meet-through-their-face',
      comment:
        "A module imports another only through that module's index.ts, its one face; the kernel's parts are imported where they are.",
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: {
        path: '^functions/[^/]+/.',
        pathNot: ['^functions/$1/', '^functions/kernel/', '^functions/[^/]+/index\\.ts$'],
      },
    },
    ...eachModuleUsesOnlyTheModulesBelowIt,
    {
      name: 'kernel-imports-no-module',
      comment: 'The kernel is what every module builds on: it knows none of them.',
      severity: 'error',
      from: { path: '^functions/kernel/' },
      to: { path: '^functions/', pathNot: '^functions/kernel/' },
    },
    {
      name: 'domain-is-pure',
      comment:
        "A module's domain/ is business logic: its own domain, the kernel's pure parts (kernel/domain) and zod, no I/O.",
      severity: 'error',
      from: { path: '^functions/([^/]+)/domain/' },
      to: {
        pathNot: ['^functions/$1/domain/', '^functions/kernel/domain/', '^node_modules/zod/'],
        // Types are checked by the next rule: they run nothing.
        dependencyTypesNot: ['core', 'type-only'],
      },
    },
    {
      name: 'domain-reads-types-of-faces',
      comment:
        "A domain may name the types of a module below it (its face's: what an application keeps of its checks, " +
        'the answers a re-check judges), as the rest of its module may; types run nothing, so the domain stays pure.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/domain/' },
      to: {
        dependencyTypes: ['type-only'],
        pathNot: [
          '^functions/$1/domain/',
          '^functions/kernel/domain/',
          '^functions/[^/]+/index\\.ts$',
          '^node_modules/zod/',
        ],
      },
    },
    {
      name: 'domain-does-no-io',
      comment: 'A domain may use node:crypto (hashing, signing) but no file, network or process I/O.',
      severity: 'error',
      from: { path: '^functions/[^/]+/domain/' },
      to: { dependencyTypes: ['core'], pathNot: '^crypto$' },
    },
    {
      name: 'bench-and-tools-do-not-import-tests',
      comment: 'What the benchmark and the tools share with the tests lives in their own support folders.',
      severity: 'error',
      from: { path: '^(bench|tools)/' },
      to: { path: '^tests/' },
    },
    {
      name: 'product-does-not-import-local-bench-tests',
      comment: 'What is deployed never depends on the one-machine runtime, the benchmark or the tests.',
      severity: 'error',
      from: { path: '^(functions|workflows|infra)/' },
      to: { path: '^(local|bench|tests|tools)/' },
    },
    {
      name: 'workflows-are-cdk-only',
      comment: 'A state machine file is CDK chainables and nothing else: the state machine routes, the domain decides.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(functions|infra|local)/' },
    },
    {
      name: 'infra-names-entries-not-code',
      comment:
        "infra composes constructs; of the product it reads only the manifests: the API's route table, each " +
        "module's functions.ts (entry paths, and what monitoring needs) and the table design.",
      severity: 'error',
      from: { path: '^infra/' },
      to: {
        path: '^functions/',
        pathNot: [
          '^functions/api/routes\\.ts$',
          '^functions/[^/]+/functions\\.ts$',
          '^functions/kernel/store/table-design\\.ts$',
          // The vocabulary of the manifests' table needs (types only).
          '^functions/kernel/store/table-needs\\.ts$',
        ],
      },
    },
    {
      name: 'console-uses-only-the-pure-domain',
      comment:
        "The staff console (console/src) runs in the browser: of the product it imports only the modules' " +
        'domain/ folders (the shared schemas, types and vocabulary), never a handler, a store or the runtime; ' +
        'Node modules are refused here and, reached through a domain, by the build (console/vite.config.ts).',
      severity: 'error',
      from: { path: '^console/src/' },
      to: {
        path: '^(functions|workflows|infra|local|bench|tests|tools)/',
        pathNot: '^functions/[^/]+/domain/',
      },
    },
    {
      name: 'console-is-not-node',
      severity: 'error',
      from: { path: '^console/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'nothing-imports-the-console',
      comment:
        'The console is a client of the API, not a part of it: only its security headers are shared, with the ' +
        'stack that deploys it and the local server that serves it (and the tests read its catalogs).',
      severity: 'error',
      from: { path: '^(functions|workflows|infra|local|bench|tools)/' },
      to: { path: '^console/', pathNot: '^console/headers\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment:
        'A module nobody imports is dead code, unless it is an entry point (a handler, a script, a test, a config).',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '(^|/)\\.[^/]+\\.(js|cjs|mjs|ts|json)$',
          '\\.d\\.ts$',
          '(^|/)tsconfig\\.json$',
          '^vitest\\.config\\.ts$',
          '^tests/',
          '^bench/',
          '^local/',
          '^tools/',
          '^infra/app\\.ts$',
          '^console/src/main\\.tsx$',
          '^console/vite\\.config\\.ts$',
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js'],
    },
    exclude: { path: ['^node_modules', '^cdk\\.out', '^\\.data', '^console/dist/'] },
    reporterOptions: {
      dot: {
        collapsePattern: '^(functions/[^/]+|node_modules/(@[^/]+/)?[^/]+|workflows|infra|local|bench|tests/[^/]+)',
      },
    },
  },
};

// The order of the modules, for tests/unit/layout.test.ts (which checks the folders against it).
Object.defineProperty(module.exports, 'modulesBelow', { value: modulesBelow, enumerable: false });
