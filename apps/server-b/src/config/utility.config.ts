import { type ConfigType, registerAs } from '@nestjs/config';
import { type Environment, IsIntegerBetween, validateEnvironment } from '@app/core';

/** How much one call of Server B's data tools may take. */
export class UtilityVariables {
  @IsIntegerBetween(1, 10_000_000) DATA_MAX_ITEMS: number = 1_000_000;
  @IsIntegerBetween(1, 10_000_000) TEXT_MAX_CHARS: number = 100_000;
}

/** Server B's input limits, injected with `@Inject(utilityConfig.KEY)`. */
export const utilityConfig = registerAs('utility', (env: Environment = process.env) => {
  const vars = validateEnvironment(UtilityVariables, env);
  return {
    /** Most items `data_processor` accepts in one call. */
    dataMaxItems: vars.DATA_MAX_ITEMS,
    /** Longest text (in user-perceived characters) `text_analyzer` accepts. */
    textMaxChars: vars.TEXT_MAX_CHARS,
  };
});

export type UtilityConfig = ConfigType<typeof utilityConfig>;
