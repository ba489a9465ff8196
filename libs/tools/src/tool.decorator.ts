import { Injectable, type Type } from '@nestjs/common';
import type { ToolDefinition, ToolHandler } from './tool.types.js';

const TOOL_METADATA = Symbol('mcp:tool');

/** Marks an injectable class as a built-in tool; its `execute` method answers calls. */
export function Tool(definition: ToolDefinition): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(TOOL_METADATA, definition, target);
    Injectable()(target);
  };
}

/** The definition given to `@Tool(...)`, or undefined for an undecorated class. */
export function toolDefinitionOf(
  handler: Type<ToolHandler> | ToolHandler,
): ToolDefinition | undefined {
  const target = typeof handler === 'function' ? handler : handler.constructor;
  return Reflect.getMetadata(TOOL_METADATA, target) as ToolDefinition | undefined;
}
