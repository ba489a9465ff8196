import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessPolicy } from './access.policy.js';

/**
 * `@Access('docs')` for what is not a controller: Swagger UI and the OpenAPI document
 * (DOCS_REQUIRE_AUTH=true asks for a key). Same policy as the access guard; a refusal goes
 * to the exception filter like any other.
 */
@Injectable()
export class DocsAccessMiddleware implements NestMiddleware {
  constructor(private readonly policy: AccessPolicy) {}

  readonly use = (
    req: IncomingMessage,
    res: ServerResponse,
    next: (err?: unknown) => void,
  ): void => {
    let checked: void | Promise<void>;
    try {
      checked = this.policy.check(req, res, 'docs');
    } catch (refusal) {
      return next(refusal);
    }
    if (checked) checked.then(() => next(), next);
    else next();
  };
}
