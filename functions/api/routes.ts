/**
 * The HTTP API's routes and the handler behind each: read by the CDK stack (one function per
 * route, least-privilege grants from `needs`) and by the local HTTP server, so the two cannot drift.
 * Each module lists its own routes; this file only assembles them. Each route names the schemas of
 * what it takes (`request`), the ones its handler validates with: the OpenAPI document
 * (`GET /openapi.json`) is generated from them, and a test requires them.
 */

import { administrationRoutes } from '../administration/index.js';
import { applicationsRoutes } from '../applications/index.js';
import { employmentRoutes } from '../employment/index.js';
import { integrityRoutes } from '../integrity/index.js';
import type { ApiRoute } from '../kernel/http/route.js';
import { monitoringRoutes } from '../monitoring/index.js';
import { verificationRoutes } from '../verification/index.js';
import { webhooksRoutes } from '../webhooks/index.js';
import { workflowRoutes } from '../workflow/index.js';
import { apiRoutesOfItsOwn } from './http/routes.js';

export type { ApiRoute, RouteRequest } from '../kernel/http/route.js';

export const apiRoutes: readonly ApiRoute[] = [
  ...apiRoutesOfItsOwn,
  ...administrationRoutes,
  ...verificationRoutes,
  ...applicationsRoutes,
  ...workflowRoutes,
  ...webhooksRoutes,
  ...monitoringRoutes,
  ...employmentRoutes,
  ...integrityRoutes,
];
