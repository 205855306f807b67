/**
 * The fact checker: the function that re-checks active grants against other offices' records every
 * month (and works runs asked for by hand), the only one that may open sealed resident IDs. One at
 * a time (reserved concurrency 1): a long run and the next tick never work the same run together
 * (the run's lease says so too, on AWS and locally).
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { applicationsFunctions } from '../functions/applications/functions.js';
import type { DataExchangeAccess } from './data-exchange.js';
import type { HistoryMacKey } from './history-mac-key.js';
import type { ResidentIdKey } from './resident-id-key.js';
import type { ResidentIdVaultKey } from './resident-id-vault-key.js';
import { SubsidyFunction } from './subsidy-function.js';

export interface FactCheckerProps {
  table: dynamodb.ITable;
  historyMac: HistoryMacKey;
  residentIdVault: ResidentIdVaultKey;
  /** The keyed hash finds a person in the exchange's snapshot files. */
  residentIdKey: ResidentIdKey;
  dataExchange: DataExchangeAccess;
}

export class FactChecker extends Construct {
  readonly fn: SubsidyFunction;

  constructor(scope: Construct, id: string, props: FactCheckerProps) {
    super(scope, id);
    const { factChecker } = applicationsFunctions;
    this.fn = new SubsidyFunction(this, factChecker.name, {
      entry: factChecker.entry,
      // A run stops taking pages a minute before this and is resumed by the next tick.
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: 1,
      description:
        'Verification: re-checks active grants monthly against other offices records; suspends those no longer qualifying',
    });
    this.fn.bindTable(props.table, factChecker.table);
    // Suspensions are history events: MACed like every other.
    props.historyMac.bindTo(this.fn, 'write');
    props.residentIdVault.bindOpener(this.fn);
    props.residentIdKey.bindTo(this.fn);
    props.dataExchange.bindTo(this.fn);
    new events.Rule(this, 'Monthly', {
      description: 'Verification: on the 1st (Shanghai), re-check every active grant for the month just ended',
      schedule: events.Schedule.cron({
        day: factChecker.monthly.dayOfMonth,
        hour: String(factChecker.monthly.hourUtc),
        minute: String(factChecker.monthly.minuteUtc),
      }),
      targets: [
        new targets.LambdaFunction(this.fn, {
          event: events.RuleTargetInput.fromObject({ kind: 'monthly-recheck' }),
          retryAttempts: 2,
        }),
      ],
    });
    new events.Rule(this, 'Resume', {
      description: `Verification: every ${factChecker.resumeEveryMinutes} minutes, work re-check runs asked for or left unfinished`,
      schedule: events.Schedule.rate(Duration.minutes(factChecker.resumeEveryMinutes)),
      targets: [
        new targets.LambdaFunction(this.fn, {
          event: events.RuleTargetInput.fromObject({ kind: 'resume-runs' }),
          retryAttempts: 0,
        }),
      ],
    });
  }
}
