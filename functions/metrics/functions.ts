/** The monitoring functions, for the CDK stack and the local runtime (which runs the same modules in-process). */
export const metricsFunctions = {
  aggregator: { entry: 'functions/metrics/stream-aggregator.ts', name: 'ThroughputAggregator' },
  backlogProbe: { entry: 'functions/metrics/backlog-probe.ts', name: 'BacklogProbe' },
} as const;
