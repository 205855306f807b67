/**
 * The rooms of ../shared/DESIGN.md as rules: what each folder may import. `npm run deps` checks
 * them (and `npm test` runs it); `npm run deps:graph` draws them for docs/architecture.md.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'functions/domain is business logic: it imports only itself, zod, and no I/O of Node.',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: {
        pathNot: ['^functions/domain/', '^node_modules/zod/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'domain-does-no-io',
      comment: 'functions/domain may use node:crypto (hashing) but no file, network or process I/O.',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: { dependencyTypes: ['core'], pathNot: '^crypto$' },
    },
    {
      name: 'shared-imports-domain-only',
      comment: 'functions/shared holds what every feature uses; it builds on the domain and libraries only.',
      severity: 'error',
      from: { path: '^functions/shared/' },
      to: { path: '^functions/', pathNot: ['^functions/shared/', '^functions/domain/'] },
    },
    {
      name: 'store-imports-domain-and-shared',
      comment: 'functions/store owns the table; it knows the domain and shared helpers, never a feature.',
      severity: 'error',
      from: { path: '^functions/(store|sfn)/' },
      to: { path: '^functions/', pathNot: ['^functions/(store|sfn)/', '^functions/domain/', '^functions/shared/'] },
    },
    {
      name: 'features-do-not-import-features',
      comment:
        'api, steps, notify, metrics and integrity each build on store, sfn, domain and shared, never on each other; ' +
        'the one door: the webhook routes in api call the endpoint use cases of notify (notify/endpoints.ts).',
      severity: 'error',
      from: { path: '^functions/(api|steps|notify|metrics|integrity)/' },
      to: {
        path: '^functions/(api|steps|notify|metrics|integrity)/',
        pathNot: ['^functions/$1/', '^functions/notify/endpoints\\.ts$'],
      },
    },
    {
      name: 'only-api-uses-the-endpoint-door',
      severity: 'error',
      from: { path: '^functions/(steps|metrics|integrity)/' },
      to: { path: '^functions/notify/' },
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
        "infra composes constructs; of the product it reads only the manifests: the routes, each feature's " +
        'functions.ts (entry paths, and what monitoring needs) and the table design.',
      severity: 'error',
      from: { path: '^infra/' },
      to: {
        path: '^functions/',
        pathNot: [
          '^functions/api/routes\\.ts$',
          '^functions/[^/]+/functions\\.ts$',
          '^functions/store/table-design\\.ts$',
        ],
      },
    },
    {
      name: 'console-uses-only-the-pure-domain',
      comment:
        'The staff console (console/src) runs in the browser: of the product it imports only functions/domain ' +
        '(the shared schemas and types), never a handler, the store or the runtime; Node modules are refused ' +
        'here and, reached through the domain, by the build (console/vite.config.ts).',
      severity: 'error',
      from: { path: '^console/src/' },
      to: {
        path: '^(functions|workflows|infra|local|bench|tests|tools)/',
        pathNot: '^functions/domain/',
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
