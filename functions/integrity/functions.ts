/** The history's integrity jobs, for the CDK stack and the local runtime. */
export const integrityFunctions = {
  /**
   * Signs the Merkle root of a day's history events and writes it where nobody can rewrite it.
   * Runs once a day at `atUtc` (00:10 in Shanghai), for the day before.
   */
  dailyDigest: {
    entry: 'functions/integrity/scheduled/daily-digest.ts',
    name: 'DailyHistoryDigest',
    atUtc: { hour: 16, minute: 10 },
    table: { actions: ['Scan'] },
  },
} as const;
