/**
 * The CDK app (`cdk.json` runs it): the product's one stack. Context: `-c region=cn-north-1` (any
 * region, the China ones included: every ARN is built with the partition), `-c issuer=https://…
 * -c audience=… [-c subClaim=…]` for an OIDC issuer other than Cognito.
 */
import { App } from 'aws-cdk-lib';
import { SubsidyStack } from './subsidy-stack.js';

const app = new App();
const region = app.node.tryGetContext('region');
new SubsidyStack(app, 'EmploymentSubsidy', {
  description: 'Employment-subsidy applications: intake, street and city approval',
  ...(typeof region === 'string' && region ? { env: { region } } : {}),
});
