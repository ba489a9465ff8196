import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidRequestError } from '@app/core';

/** Flattens class-validator errors into `field: problem` pairs with dotted paths. */
export function flattenValidationErrors(
  errors: ValidationError[],
  prefix = '',
): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => {
    const field = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => ({
      field,
      message: m.startsWith(e.property)
        ? `${field}${m.slice(e.property.length)}`
        : `${field}: ${m}`,
    }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** The global pipe: DTO classes, unknown fields rejected, errors naming the field. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const problems = flattenValidationErrors(errors);
      return new InvalidRequestError(
        problems.map((p) => p.message).join('; ') || 'Invalid request body',
        problems,
      );
    },
  });
}
