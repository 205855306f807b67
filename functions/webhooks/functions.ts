/** The webhook functions, for the CDK stack and the local runtime (which runs the same modules in-process). */
export const webhookFunctions = {
  streamConsumer: {
    entry: 'functions/webhooks/events/stream-consumer.ts',
    name: 'WebhookStreamConsumer',
    table: { actions: ['Query', 'PutItem'] },
  },
  deliveryWorker: {
    entry: 'functions/webhooks/events/delivery-worker.ts',
    name: 'WebhookDeliveryWorker',
    table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], queries: ['webhook-due'] },
  },
} as const;
