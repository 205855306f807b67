/**
 * Integrity: what auditors use to trust the record. It owns the history's verification, the
 * daily signed digests, the read audit's view (who read whose personal data; recording a read is
 * the kernel's) and the personal-data export.
 *
 * This file is the module's face: other modules import it, and only it.
 */

export { integrityRoutes } from './http/routes.js';
