/** Per test file: the SDK mock matchers, and the file's DynamoDB Local tables dropped when it ends. */
import 'aws-sdk-client-mock-vitest/extend';
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { startLocalKms } from '../../local/kms.js';
import { dropTablesMadeHere } from './dynamo.js';

// Every test file gets a KMS on loopback, as handlers reach it under `npm start`: the history's
// HMAC key (events and heads are MACed as they are written) and the seal key. A file that starts
// the local runtime gets the runtime's own instead.
const kms = await startLocalKms(randomBytes(32).toString('base64url'));
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
process.env.HISTORY_MAC_KMS_KEY_ID = kms.macKeyId;
process.env.DIGEST_SIGNING_KMS_KEY_ID = kms.signKeyId;
afterAll(dropTablesMadeHere);
afterAll(() => kms.close());
