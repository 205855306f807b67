/** Request shapes every module's routes share: an id in a path. */
import * as z from 'zod/mini';

/** An id in a path: an application, a webhook endpoint, a delivery. */
export const idPathSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(128)) });
