/** The Embedded Metric Format lines the handlers and the backlog probe write. */
import { describe, expect, it } from 'vitest';
import {
  metricsNamespace,
  transitionMetricLines,
  transitionMetricsPublisher,
} from '../../../functions/kernel/runtime/metrics.js';
import { backlogMetricLines } from '../../../functions/monitoring/scheduled/backlog-probe.js';

describe('EMF lines', () => {
  it('publishes a decision by stage and outcome with its latency since the stage was entered', () => {
    const [line] = transitionMetricLines(
      { action: 'approved', at: '2026-11-28T03:00:00Z', stage: 'street', stageAfter: 'city' },
      'post-subsidy',
      '2026-11-27T03:00:00Z',
    );
    const document = JSON.parse(line as string);
    expect(document).toMatchObject({
      _aws: {
        Timestamp: Date.parse('2026-11-28T03:00:00Z'),
        CloudWatchMetrics: [{ Namespace: metricsNamespace, Dimensions: [['Stage', 'Outcome'], ['Stage']] }],
      },
      Stage: 'street',
      Outcome: 'advanced',
      Decided: 1,
      DecisionLatency: 86_400,
    });
  });

  it('publishes a submission by programme, and nothing for deadline events', () => {
    const [line] = transitionMetricLines(
      { action: 'submitted', at: '2026-11-28T03:00:00Z', stage: 'community', stageAfter: 'street' },
      'post-subsidy',
      '2026-11-28T03:00:00Z',
    );
    expect(JSON.parse(line as string)).toMatchObject({ Programme: 'post-subsidy', Submitted: 1 });
    expect(
      transitionMetricLines(
        { action: 'overdue', at: '2026-11-28T03:00:00Z', stage: 'street', stageAfter: 'street' },
        'post-subsidy',
        '2026-11-28T03:00:00Z',
      ),
    ).toEqual([]);
  });

  it('writes one line per metric set through the writer it is given, and names no person', () => {
    const written: string[] = [];
    transitionMetricsPublisher((l) => written.push(l))(
      { action: 'rejected', at: '2026-11-28T03:00:00Z', stage: 'city', stageAfter: null },
      'post-subsidy',
      '2026-11-20T03:00:00Z',
    );
    expect(written).toHaveLength(1);
    expect(Object.keys(JSON.parse(written[0] as string)).sort()).toEqual([
      'Decided',
      'DecisionLatency',
      'Outcome',
      'Stage',
      '_aws',
    ]);
  });

  it('publishes the backlog, overdue and oldest wait per stage, the oldest of all, and the days the holiday schedules still cover', () => {
    const now = new Date('2026-11-28T03:00:00Z');
    const lines = backlogMetricLines(
      [
        { stage: 'street', waiting: 3, overdue: 1, oldestEnteredAt: '2026-11-27T03:00:00Z' },
        { stage: 'district', waiting: 0, overdue: 0 },
        { stage: 'city', waiting: 1, overdue: 0, oldestEnteredAt: '2026-11-20T03:00:00Z' },
      ],
      now,
    ).map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ Stage: 'street', Backlog: 3, Overdue: 1, OldestWaiting: 86_400 });
    // 2026-11-28 to 2026-12-31: the last day the 2026 schedule covers.
    expect(lines.at(-1)).toMatchObject({ OldestWaiting: 8 * 86_400, HolidayCalendarDaysLeft: 33 });
    expect(lines.at(-1)._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toEqual([
      'OldestWaiting',
      'HolidayCalendarDaysLeft',
    ]);
    expect(lines.at(-1)).not.toHaveProperty('Stage');
  });
});
