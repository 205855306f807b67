/**
 * The HTTP API's routes and the handler behind each: read by the CDK stack (one function per
 * route, least-privilege grants from `needs`) and by the local HTTP server, so the two cannot drift.
 * Each module lists its own routes; this file only assembles them. Each route names the schemas of
 * what it takes (`request`), the ones its handler validates with: the OpenAPI document
 * (`GET /openapi.json`) is generated from them, and a test requires them.
 */

import { administrationRoutes } from '../administration/http/routes.js';
import { applicationsRoutes } from '../applications/http/routes.js';
import { employmentRoutes } from '../employment/http/routes.js';
import { integrityRoutes } from '../integrity/http/routes.js';
import type { ApiRoute } from '../kernel/http/route.js';
import { monitoringRoutes } from '../monitoring/http/routes.js';
import { webhooksRoutes } from '../webhooks/http/routes.js';
import { workflowRoutes } from '../workflow/http/routes.js';
import { apiOwnRoutes } from './own-routes.js';

export type { ApiRoute, RouteRequest } from '../kernel/http/route.js';

export const apiRoutes: readonly ApiRoute[] = [
  ...apiOwnRoutes,
  ...administrationRoutes,
  ...applicationsRoutes,
  ...workflowRoutes,
  ...webhooksRoutes,
  ...monitoringRoutes,
  ...employmentRoutes,
  ...integrityRoutes,
];
