/**
 * Every alarm of the stack notifies one SNS topic, encrypted with the operations key. Who hears
 * it is deployment data: `cdk deploy -c alarmEmails=ops@city.example,duty@city.example` subscribes
 * each address (each confirms by mail); other subscribers (a pager, a chat bridge) subscribe to
 * the topic output `AlarmTopicArn`. An aspect adds the action at synthesis, so an alarm added
 * anywhere in the stack, by any construct, notifies too.
 */
import { Aspects, type IAspect } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';
import { OperationsKey } from './operations-key.js';

/** CDK context key: comma-separated e-mail addresses subscribed to the alarm topic. */
export const alarmEmailsContextKey = 'alarmEmails';

export class AlarmNotifications extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Employment-subsidy alarms',
      masterKey: OperationsKey.of(this),
      enforceSSL: true,
    });
    const emails = String(this.node.tryGetContext(alarmEmailsContextKey) ?? '')
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean);
    for (const email of emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    const action = new actions.SnsAction(this.topic);
    const everyAlarm: IAspect = {
      visit(node: IConstruct) {
        if (node instanceof cloudwatch.Alarm) node.addAlarmAction(action);
      },
    };
    Aspects.of(scope).add(everyAlarm);
  }
}
