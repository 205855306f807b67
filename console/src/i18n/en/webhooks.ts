/** English: an application's webhook endpoints; the keys of `../zh/webhooks.ts`, no more. */
import type { webhooks as zh } from '../zh/webhooks.js';

export const webhooks: Record<keyof typeof zh, string> = {
  'hook.title': 'Notifications (webhooks)',
  'hook.url': 'Receiver URL',
  'hook.events': 'Events',
  'hook.register': 'Register a receiver',
  'hook.secretOnce': 'The signing secret is shown this once; keep it safe:',
  'hook.pause': 'Pause',
  'hook.resume': 'Resume',
  'hook.rotate': 'Rotate secret',
  'hook.deliveries': 'Deliveries',
  'hook.replay': 'Replay',
  'hook.attempts': 'Attempts',
};
