/** The webhook functions, for the CDK stack and the local runtime (which runs the same modules in-process). */
export const webhookFunctions = {
  streamConsumer: { entry: 'functions/webhooks/events/stream-consumer.ts', name: 'WebhookStreamConsumer' },
  deliveryWorker: { entry: 'functions/webhooks/events/delivery-worker.ts', name: 'WebhookDeliveryWorker' },
} as const;
