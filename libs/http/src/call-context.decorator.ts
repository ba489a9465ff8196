import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type CallContext, callContext } from '@app/core';

/**
 * The one {@link CallContext} of a tool call made on this request: its id, the caller the
 * access guard identified (key name, else `ip:<address>`) and a signal that aborts when the
 * client goes away.
 */
export const CallOrigin = createParamDecorator(
  (transport: CallContext['transport'], context: ExecutionContext): CallContext => {
    const http = context.switchToHttp();
    return callContext(http.getRequest<Request>(), http.getResponse<Response>(), transport);
  },
);
