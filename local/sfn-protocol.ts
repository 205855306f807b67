/**
 * The Step Functions JSON protocol on loopback, in front of the local engine: what the handlers'
 * @aws-sdk/client-sfn calls (StartExecution, SendTaskSuccess/Failure/Heartbeat, DescribeExecution,
 * StopExecution, DescribeStateMachine; RedriveExecution refused), answered with the service's
 * error names, or with a fault a test injected.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An error the service answers with, named as the SDK's exception classes are. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** 400 for the caller's mistakes; 500 or 503 for the service's own failures (the SDK retries those). */
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** An execution as the protocol describes it. */
export interface DescribedExecution {
  executionArn: string;
  name: string;
  input: unknown;
  status: string;
  startDate: Date;
  stopDate?: Date;
  output?: unknown;
  error?: string;
  cause?: string;
}

/** What the protocol asks of the engine. */
export interface StepFunctionsOperations {
  readonly stateMachineArn: string;
  readonly definition: unknown;
  startExecution(name: string, input: unknown): DescribedExecution;
  sendTaskSuccess(token: string, output: unknown): void;
  sendTaskFailure(token: string, error?: string, cause?: string): void;
  hasTask(token: string): boolean;
  describeExecution(executionArn: string): DescribedExecution;
  stopExecution(record: DescribedExecution): void;
  /** A fault a test injected for this operation (the service failing), answered instead of the operation. */
  injectedFault?(operation: string): ServiceError | undefined;
}

/** Serves the protocol on loopback; answers the endpoint and how to close it. */
export async function serveStepFunctions(
  engine: StepFunctionsOperations,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => void answer(engine, request, response));
  await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the local Step Functions endpoint has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await new Promise<void>((closed) => server.close(() => closed()));
      server.closeAllConnections();
    },
  };
}

async function answer(
  engine: StepFunctionsOperations,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const operation = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
  const send = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify(body));
  };
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, string>;
    const fault = engine.injectedFault?.(operation);
    if (fault) {
      send(fault.status, { __type: fault.type, message: fault.message });
      return;
    }
    send(200, operate(engine, operation, body));
  } catch (error) {
    if (error instanceof ServiceError) send(error.status, { __type: error.type, message: error.message });
    else send(500, { __type: 'InternalFailure', message: String(error) });
  }
}

function operate(engine: StepFunctionsOperations, operation: string, body: Record<string, string>): unknown {
  const input = (text: string | undefined) => (text ? (JSON.parse(text) as unknown) : {});
  switch (operation) {
    case 'StartExecution': {
      if (body.stateMachineArn !== engine.stateMachineArn)
        throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
      const record = engine.startExecution(body.name ?? randomUUID(), input(body.input));
      return { executionArn: record.executionArn, startDate: record.startDate.getTime() / 1000 };
    }
    case 'SendTaskSuccess':
      engine.sendTaskSuccess(String(body.taskToken), input(body.output));
      return {};
    case 'SendTaskFailure':
      engine.sendTaskFailure(String(body.taskToken), body.error, body.cause);
      return {};
    case 'SendTaskHeartbeat':
      if (!engine.hasTask(String(body.taskToken)))
        throw new ServiceError('TaskDoesNotExist', 'Task Token does not exist');
      return {};
    case 'DescribeExecution': {
      const record = engine.describeExecution(String(body.executionArn));
      return {
        executionArn: record.executionArn,
        stateMachineArn: engine.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: record.startDate.getTime() / 1000,
        ...(record.stopDate ? { stopDate: record.stopDate.getTime() / 1000 } : {}),
        input: JSON.stringify(record.input),
        ...(record.output !== undefined ? { output: JSON.stringify(record.output) } : {}),
        ...(record.error ? { error: record.error, cause: record.cause } : {}),
      };
    }
    case 'RedriveExecution': {
      // The local engine keeps no record of where an execution stopped: the reconciler starts the
      // next generation instead, which routes from the application's stored state.
      const record = engine.describeExecution(String(body.executionArn));
      throw new ServiceError('ExecutionNotRedrivable', `the local engine does not redrive ${record.name}`);
    }
    case 'StopExecution': {
      const record = engine.describeExecution(String(body.executionArn));
      engine.stopExecution(record);
      return { stopDate: Date.now() / 1000 };
    }
    case 'DescribeStateMachine':
      if (body.stateMachineArn !== engine.stateMachineArn)
        throw new ServiceError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
      return {
        stateMachineArn: engine.stateMachineArn,
        name: engine.stateMachineArn.split(':').pop(),
        status: 'ACTIVE',
        type: 'STANDARD',
        definition: JSON.stringify(engine.definition),
        roleArn: 'arn:aws:iam::000000000000:role/local',
        creationDate: 0,
      };
    default:
      throw new ServiceError('UnknownOperationException', `the local engine does not implement ${operation}`);
  }
}
