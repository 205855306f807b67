/** What the webhook routes take: an endpoint's registration and the list's query. */
import * as z from 'zod/mini';
import { webhookEventTypeSchema } from '../domain/webhook-events.js';

export const registrationSchema = z.object({
  url: z.string().check(z.trim(), z.minLength(1), z.maxLength(2048)),
  events: z.array(webhookEventTypeSchema).check(z.minLength(1), z.maxLength(20)),
  applicationId: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
});

/** `GET /webhook-endpoints?applicationId=`. */
export const webhookEndpointsQuerySchema = z.object({
  applicationId: z.string().check(z.minLength(1), z.maxLength(128)),
});
