/**
 * The keys of what the monthly re-check writes beside the benefit ledger, owned here (the kernel's
 * registry, `table-design.ts`, holds the `active-grants` index they are read through):
 * - `GRANTS#<city>`: the index partition of a city's grants (on each grant item, `active-grants.ts`);
 * - `RECHECK#<city>#<month>`: a run (`RUN`) and each grant it suspended (`SUSPENDED#<application>`);
 * - `RECHECK-DUE`: the runs not finished, one partition for all (a few a month), by `<city>#<month>`;
 * - `NOTICES#<recipient>`: what a person or a community is told in their inbox (`notices.ts`).
 */
export const recheckKeys = {
  activeGrants: (cityId: string) => `GRANTS#${cityId}`,
  recheckRun: (cityId: string, month: string) => ({ pk: `RECHECK#${cityId}#${month}`, sk: 'RUN' }),
  recheckSuspension: (cityId: string, month: string, id: string) => ({
    pk: `RECHECK#${cityId}#${month}`,
    sk: `SUSPENDED#${id}`,
  }),
  recheckSuspensionPrefix: 'SUSPENDED#',
  recheckDue: (cityId: string, month: string) => ({ pk: 'RECHECK-DUE', sk: `${cityId}#${month}` }),
  recheckDuePartition: 'RECHECK-DUE',
  notice: (recipient: string, noticeId: string) => ({ pk: `NOTICES#${recipient}`, sk: noticeId }),
} as const;
