/**
 * What a function may do with the single table, in the manifests' words (`needs.table` of a route,
 * `table` of a function in `functions.ts`): infra grants exactly this, and the local runtime
 * refuses anything else (`local/local-iam.ts`).
 */
import type { tableDesign } from './table-design.js';
export type TableAction =
  | 'DescribeTable'
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'ConditionCheckItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem';

export type IndexName = (typeof tableDesign.indexes)[keyof typeof tableDesign.indexes]['indexName'];

/**
 * What a function does with the table, as its manifest declares it and its role is granted
 * (least privilege: infra grants exactly this). A transaction needs the action of each of its
 * parts (Put → PutItem, Update → UpdateItem, ConditionCheck → ConditionCheckItem).
 */
export interface TableNeeds {
  /** The actions on the table itself (its items by key, a query of the base table, a scan). */
  actions: readonly TableAction[];
  /** The indexes the function queries (`dynamodb:Query` on each, and nothing else on any index). */
  queries?: readonly IndexName[];
}
