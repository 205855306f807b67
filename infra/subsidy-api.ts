/**
 * The HTTP API: one function per route in `functions/api/routes.ts`, each granted exactly what
 * its `needs` declare. Every route but the health check requires a staff member's token.
 */

import { Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { apiRoutes } from '../functions/api/routes.js';
import type { DataExchangeAccess } from './data-exchange.js';
import type { HistoryMacKey } from './history-mac-key.js';
import { retainedLogGroup } from './operations-key.js';
import { PagingCursorKey } from './paging-cursor-key.js';
import type { ResidentIdKey } from './resident-id-key.js';
import type { ResidentIdVaultKey } from './resident-id-vault-key.js';
import type { StaffSignIn } from './staff-sign-in.js';
import { SubsidyFunction } from './subsidy-function.js';
import type { WebhookNotifications } from './webhook-notifications.js';

export interface SubsidyApiProps {
  table: dynamodb.ITable;
  stateMachine: sfn.IStateMachine;
  signIn: StaffSignIn;
  residentIdKey: ResidentIdKey;
  /** Seals the resident ID numbers intake takes in. */
  residentIdVault: ResidentIdVaultKey;
  /** The data exchange's credentials, for the routes that ask it (intake and its dry run). */
  dataExchange: DataExchangeAccess;
  historyMac: HistoryMacKey;
  webhooks: WebhookNotifications;
}

const handlerTimeout = Duration.seconds(10);

/**
 * The stage's default limits, per second across all routes. A city's staff (hundreds at once)
 * stay far below them; the benchmark's province (`docs/performance.md`) peaks near 30 requests a
 * second. Raise them with measured traffic.
 */
export const apiThrottle = { rateLimit: 200, burstLimit: 400 } as const;

export class SubsidyApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly functions: SubsidyFunction[] = [];

  constructor(scope: Construct, id: string, props: SubsidyApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-api`,
      // Any route added without an explicit authorizer is protected.
      defaultAuthorizer: props.signIn.authorizer,
      // The default stage is declared below, with access logging.
      createDefaultStage: false,
      // No CORS: the console reaches the API through its own origin (`/api/*` of its CloudFront
      // distribution), and curl needs none, so no other site's page may read an answer.
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // What the stage lets through is what reaches the table: a flood (a runaway client, a
      // retry storm) is answered 429 here instead of throttling every writer behind it.
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(retainedLogGroup(this, 'AccessLogs')),
      },
    });

    // Made only when some route pages.
    const pagingCursorKey = apiRoutes.some((route) => route.needs.pagingCursors)
      ? new PagingCursorKey(this, 'PagingCursorKey')
      : undefined;
    for (const route of apiRoutes) {
      const fn = new SubsidyFunction(this, route.name, {
        entry: route.entry,
        timeout: handlerTimeout,
        description: `${route.method} ${route.path}`,
      });
      if (route.needs.table) fn.bindTable(props.table, route.needs.table);
      if (props.signIn.subClaim) fn.addEnvironment('STAFF_SUB_CLAIM', props.signIn.subClaim);
      fn.bindWorkflow(props.stateMachine, {
        start: route.needs.startExecutions,
        release: route.needs.releaseTasks,
        describe: route.needs.describeWorkflow,
      });
      if (route.needs.residentIdKey) props.residentIdKey.bindTo(fn);
      if (route.needs.sealResidentIds) props.residentIdVault.bindTo(fn);
      if (route.needs.dataExchange) props.dataExchange.bindTo(fn);
      if (route.needs.historyKey) props.historyMac.bindTo(fn, route.needs.historyKey);
      if (route.needs.webhookSecretKey) props.webhooks.secretKey.bindTo(fn);
      if (route.needs.pagingCursors) pagingCursorKey?.bindTo(fn);
      if (route.needs.webhookQueue) props.webhooks.bindQueue(fn);
      const [added] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn),
        authorizer: route.authorized ? props.signIn.authorizer : new HttpNoneAuthorizer(),
      });
      if (!route.authorized && added)
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is the health check: it answers up or down and no data, and the monitors that call it hold no staff token`,
        });
      this.functions.push(fn);
    }
  }
}
