import type { Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AccessGuard } from './access.guard.js';
import { AccessPolicy } from './access.policy.js';
import { DocsAccessMiddleware } from './docs-access.middleware.js';
import { RestExceptionFilter } from './exception.filters.js';
import { InFlightRequests } from './in-flight.middleware.js';
import { JsonBodyGuard } from './json-body.guard.js';
import { HTTP_PIPELINE_OPTIONS, type HttpPipelineOptions } from './pipeline.options.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { validationPipe } from './validation.pipe.js';

/**
 * What a module serving HTTP provides for the pipeline to apply to every route: the global
 * guards in the order they run (who may call, rate limit, body), the REST exception filter,
 * the validation pipe, and the in-flight count that drains requests on shutdown. Used by the server's composition module and by tests that build
 * an edge with `Test.createTestingModule`.
 */
export function httpPipelineProviders(options: HttpPipelineOptions): Provider[] {
  return [
    { provide: HTTP_PIPELINE_OPTIONS, useValue: options },
    AccessPolicy,
    DocsAccessMiddleware,
    InFlightRequests,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: JsonBodyGuard },
    { provide: APP_FILTER, useClass: RestExceptionFilter },
    { provide: APP_PIPE, useValue: validationPipe() },
  ];
}
