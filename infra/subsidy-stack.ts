/**
 * The whole product in one stack: the table, the resident-ID key, the approval workflow, staff
 * sign-in, webhook notifications, the HTTP API and its monitoring. Each feature is its own construct; this file only wires them.
 */
import { CfnOutput, type Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmNotifications } from './alarm-notifications.js';
import { ApplicationTable } from './application-table.js';
import { ApprovalStateMachine } from './approval-state-machine.js';
import { DataExchangeAccess } from './data-exchange.js';
import { EmploymentFeed } from './employment-feed.js';
import { ExchangeSnapshots } from './exchange-snapshots.js';
import { FactChecker } from './fact-checker.js';
import { HistoryDigests } from './history-digests.js';
import { HistoryMacKey } from './history-mac-key.js';
import { Monitoring } from './monitoring.js';
import { ResidentIdKey } from './resident-id-key.js';
import { ResidentIdVaultKey } from './resident-id-vault-key.js';
import { StaffConsole } from './staff-console.js';
import { cognitoSignInOrigins, StaffSignIn, type StaffSignInProps } from './staff-sign-in.js';
import { SubsidyApi } from './subsidy-api.js';
import { WebhookNotifications } from './webhook-notifications.js';
import { WebhookSecretKey } from './webhook-secret-key.js';

export interface SubsidyStackProps extends StackProps {
  /** The longest a routed workflow wait may last when nothing falls due; the domain's cap otherwise. */
  longestWait?: Duration;
  /** Sign-in by another OIDC issuer than Cognito (CDK context `issuer`, `audience`, `subClaim`). */
  signIn?: StaffSignInProps;
}

export class SubsidyStack extends Stack {
  constructor(scope: Construct, id: string, props: SubsidyStackProps = {}) {
    super(scope, id, props);

    const { table } = new ApplicationTable(this, 'Applications');
    const residentIdKey = new ResidentIdKey(this, 'ResidentIdKey');
    const residentIdVault = new ResidentIdVaultKey(this, 'ResidentIdVault');
    const historyMac = new HistoryMacKey(this, 'HistoryMac');
    const approval = new ApprovalStateMachine(this, 'Approval', { table, historyMac, longestWait: props.longestWait });
    const context = (key: string) => {
      const value = this.node.tryGetContext(key);
      return typeof value === 'string' && value ? value : undefined;
    };
    const issuer = props.signIn?.issuer ?? context('issuer');
    const staffConsole = new StaffConsole(this, 'Console', {
      signInOrigins: issuer ? [issuer] : cognitoSignInOrigins(this),
    });
    const signIn = new StaffSignIn(this, 'StaffSignIn', {
      consoleOrigin: staffConsole.origin,
      consoleClientId: context('consoleClientId'),
      issuer: context('issuer'),
      audience: context('audience'),
      subClaim: context('subClaim'),
      ...props.signIn,
    });
    const digests = new HistoryDigests(this, 'HistoryDigests', { table });
    const webhookSecretKey = new WebhookSecretKey(this, 'WebhookSecretKey');
    const webhooks = new WebhookNotifications(this, 'Webhooks', { table, secretKey: webhookSecretKey });
    // The exchange's keys and its sources' alarms; the functions that run the checks are bound to it (`bindTo`).
    const dataExchange = new DataExchangeAccess(this, 'DataExchange');
    const api = new SubsidyApi(this, 'Api', {
      table,
      dataExchange,
      stateMachine: approval.stateMachine,
      signIn,
      residentIdKey,
      residentIdVault,
      historyMac,
      webhooks,
    });
    staffConsole.serveApi(api.httpApi);
    staffConsole.deploy({
      issuer: signIn.issuer,
      clientId: signIn.consoleClientId,
      apiUrl: staffConsole.apiUrl,
      bearer: 'id_token',
    });
    new EmploymentFeed(this, 'EmploymentFeed', { table, historyMac, residentIdKey });
    const snapshots = new ExchangeSnapshots(this, 'ExchangeSnapshots', {
      table,
      residentIdKey,
      accessLogs: digests.accessLogs,
    });
    new FactChecker(this, 'FactChecker', { table, historyMac, residentIdVault, residentIdKey, dataExchange });
    const monitoring = new Monitoring(this, 'Monitoring', {
      table,
      stateMachine: approval.stateMachine,
      httpApi: api.httpApi,
    });

    new CfnOutput(this, 'ConsoleUrl', { value: staffConsole.origin, description: 'The staff console' });
    // Every alarm of the stack, whoever adds it, notifies this topic.
    const alarms = new AlarmNotifications(this, 'Alarms');
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'Subscribe here to hear every alarm',
    });
    new CfnOutput(this, 'ApiUrl', {
      value: api.stage.url,
      description: "Base URL of the HTTP API (the console calls the same API at the console's /api)",
    });
    new CfnOutput(this, 'Issuer', { value: signIn.issuer, description: 'The OIDC issuer whose tokens the API takes' });
    if (signIn.userPool && signIn.client) {
      new CfnOutput(this, 'UserPoolId', { value: signIn.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: signIn.client.userPoolClientId });
    }
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: approval.stateMachine.stateMachineArn });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'ExchangeSnapshotBucket', {
      value: snapshots.bucket.bucketName,
      description: 'Where the data exchange drops its snapshot files (exchange-snapshots/<cityId>/<source>/<asOf>/)',
    });
    new CfnOutput(this, 'HistoryDigestBucket', {
      value: digests.bucket.bucketName,
      description: 'Where the signed daily digests of the history are kept (Object Lock, compliance mode)',
    });
  }
}
