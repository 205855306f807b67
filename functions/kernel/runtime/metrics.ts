import type { HistoryEvent } from '../domain/application-events.js';
/**
 * The metrics publisher use cases are given: CloudWatch metrics in the Embedded Metric Format,
 * one JSON line per metric set on stdout, which Lambda's log stream turns into metrics with no
 * API call. Only programme, stage and outcome become dimensions: nothing about the applicant,
 * the staff or the application.
 */

export const metricsNamespace = 'EmploymentSubsidy';

export interface MetricDatum {
  name: string;
  value: number;
  unit: 'Count' | 'Seconds';
}

/** One EMF document: the values under their dimensions, declared for each dimension set. */
export function emfLine(
  dimensions: Record<string, string>,
  dimensionSets: string[][],
  metrics: MetricDatum[],
  at: Date,
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: metricsNamespace,
          Dimensions: dimensionSets,
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(metrics.map((m) => [m.name, m.value])),
  });
}

/**
 * The metric sets a person's change publishes: a submission, resubmission or withdrawal counted by
 * programme; a decision counted by stage and outcome (`advanced` = approved at a level before the
 * last), with its latency: the time since the application arrived at that stage.
 */
export function transitionMetricLines(
  event: Pick<HistoryEvent, 'action' | 'at' | 'stage' | 'stageAfter'>,
  programme: string,
  stageEnteredAt: string,
): string[] {
  const at = new Date(event.at);
  switch (event.action) {
    case 'submitted':
    case 'resubmitted':
    case 'withdrawn': {
      const name = `${event.action[0]?.toUpperCase()}${event.action.slice(1)}`;
      return [emfLine({ Programme: programme }, [['Programme'], []], [{ name, value: 1, unit: 'Count' }], at)];
    }
    case 'approved':
    case 'rejected':
    case 'returned': {
      const outcome = event.action === 'approved' && event.stageAfter !== null ? 'advanced' : event.action;
      const latency = Math.max(0, (at.getTime() - Date.parse(stageEnteredAt)) / 1000);
      return [
        emfLine(
          { Stage: event.stage, Outcome: outcome },
          [['Stage', 'Outcome'], ['Stage']],
          [
            { name: 'Decided', value: 1, unit: 'Count' },
            { name: 'DecisionLatency', value: latency, unit: 'Seconds' },
          ],
          at,
        ),
      ];
    }
    default:
      return [];
  }
}

/** Publishes the metric lines of a person's change to an application. */
export type TransitionMetricsPublisher = (
  event: Pick<HistoryEvent, 'action' | 'at' | 'stage' | 'stageAfter'>,
  programme: string,
  stageEnteredAt: string,
) => void;

/**
 * A publisher writing each line with `write`; never throws, since a metric must not fail the
 * change it describes.
 */
export function transitionMetricsPublisher(write: (line: string) => void): TransitionMetricsPublisher {
  return (event, programme, stageEnteredAt) => {
    try {
      for (const line of transitionMetricLines(event, programme, stageEnteredAt)) write(line);
    } catch {
      // A metric is never worth a failed request.
    }
  };
}

/**
 * The production publisher: stdout on Lambda, where the log stream carries EMF into CloudWatch;
 * elsewhere (`npm start`, tests) nothing reads it, so nothing is written.
 */
export function lambdaMetricsPublisher(onLambda: boolean): TransitionMetricsPublisher {
  return onLambda ? transitionMetricsPublisher((line) => process.stdout.write(`${line}\n`)) : () => undefined;
}
