/** The CDK app (`cdk.json` runs it): the product's one stack. */
import { App } from 'aws-cdk-lib';
import { SubsidyStack } from './subsidy-stack.js';

const app = new App();
new SubsidyStack(app, 'EmploymentSubsidy', {
  description: 'Employment-subsidy applications: intake, street and city approval',
});
