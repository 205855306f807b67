/** The applications module's functions outside the API, for the CDK stack and the local runtime. */
export const applicationsFunctions = {
  /**
   * FactChecker: re-checks active grants against other offices' records (`scheduled/fact-checker.ts`).
   * The only function granted `kms:Decrypt` on the resident-ID key (for that key's encryption
   * context only): it opens sealed IDs to ask about their holders. Runs on the 1st of each month
   * (`monthly`, in UTC: 18:00 of the month's last day is 02:00 on the 1st in Shanghai) for the month
   * just ended, and every `resumeEveryMinutes` for runs asked for by hand or left unfinished.
   */
  factChecker: {
    entry: 'functions/applications/scheduled/fact-checker.ts',
    name: 'FactChecker',
    monthly: { dayOfMonth: 'L', hourUtc: 18, minuteUtc: 0 },
    resumeEveryMinutes: 5,
    table: {
      actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      queries: ['active-grants'],
    },
  },
} as const;
