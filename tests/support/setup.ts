/** Per test file: the SDK mock matchers, and the file's DynamoDB Local tables dropped when it ends. */
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll } from 'vitest';
import { dropTablesMadeHere } from './dynamo.js';

afterAll(dropTablesMadeHere);
