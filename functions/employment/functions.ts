/** The employment functions, for the CDK stack and the local runtime (which runs the same modules in-process). */
export const employmentFunctions = {
  /** Final approvals → the employment ledger (a third consumer of the table's stream). */
  employmentFeed: {
    entry: 'functions/employment/events/employment-feed.ts',
    name: 'EmploymentFeed',
    table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  },
} as const;
