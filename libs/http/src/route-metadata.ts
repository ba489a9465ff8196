import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/**
 * A route decorator's value, read once per handler: the handler's own, else its
 * controller's. Guards run on every request, so the lookup is cached by handler.
 */
export class RouteMetadata<T> {
  private readonly cache = new Map<unknown, T | undefined>();

  constructor(
    private readonly reflector: Reflector,
    private readonly key: string,
  ) {}

  of(context: ExecutionContext): T | undefined {
    const handler = context.getHandler();
    if (this.cache.has(handler)) return this.cache.get(handler);
    const value = this.reflector.getAllAndOverride<T | undefined>(this.key, [
      handler,
      context.getClass(),
    ]);
    this.cache.set(handler, value);
    return value;
  }
}
