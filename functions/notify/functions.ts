/** The webhook functions, for the CDK stack and the local runtime (which runs the same modules in-process). */
export const notifyFunctions = {
  streamConsumer: { entry: 'functions/notify/stream-consumer.ts', name: 'WebhookStreamConsumer' },
  deliveryWorker: { entry: 'functions/notify/delivery-worker.ts', name: 'WebhookDeliveryWorker' },
} as const;
