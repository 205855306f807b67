/**
 * A write with a condition whose refusal is an answer, not a failure (a delivery created twice, a
 * save on a revision someone else moved on): whether it was made.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** Runs the write; false when DynamoDB refused it by its condition, anything else thrown as it came. */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
