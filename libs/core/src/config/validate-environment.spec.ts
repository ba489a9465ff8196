import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsIntegerBetween } from './env-rules.js';
import {
  ConfigError,
  Secret,
  secretVariables,
  validateEnvironment,
  validateEnvironments,
  variableNames,
} from './validate-environment.js';

class ShopVariables {
  @IsIntegerBetween(1, 10) SHOP_SIZE: number = 3;
  @IsIn(['red', 'blue'], { message: 'must be one of red, blue' }) SHOP_COLOUR = 'red';
  @Secret()
  @IsOptional()
  @Matches(/^\S{8,}$/, { message: 'must be 8 characters or more without spaces' })
  SHOP_TOKEN?: string;
}

class OtherVariables {
  @IsIntegerBetween(0, 1) OTHER_FLAG: number = 0;
}

describe('validateEnvironment', () => {
  it('applies defaults, converts values and counts empty values as unset', () => {
    expect(validateEnvironment(ShopVariables, { SHOP_SIZE: '7', SHOP_COLOUR: '' })).toEqual({
      SHOP_SIZE: 7,
      SHOP_COLOUR: 'red',
      SHOP_TOKEN: undefined,
    });
  });

  it('copies only the variables the class declares', () => {
    const values = validateEnvironment(ShopVariables, { DATABASE_URL: 'postgres://u:p@h/db' });
    expect(Object.keys(values)).not.toContain('DATABASE_URL');
  });

  it('names every bad variable with its value and rule, in one error', () => {
    let error: unknown;
    try {
      validateEnvironment(ShopVariables, { SHOP_SIZE: 'big', SHOP_COLOUR: 'green' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'SHOP_SIZE="big": SHOP_SIZE must be an integer number',
      'SHOP_COLOUR="green": must be one of red, blue',
    ]);
  });

  it('never shows the value of a variable marked secret', () => {
    expect(() => validateEnvironment(ShopVariables, { SHOP_TOKEN: 'a s3cret' })).toThrow(
      'SHOP_TOKEN=(hidden): must be 8 characters or more without spaces',
    );
    expect(() => validateEnvironment(ShopVariables, { SHOP_TOKEN: 'a s3cret' })).not.toThrow(
      /s3cret/,
    );
  });

  it('lists what a class declares and which of it is secret', () => {
    expect(variableNames(ShopVariables)).toEqual(['SHOP_COLOUR', 'SHOP_SIZE', 'SHOP_TOKEN']);
    expect([...secretVariables(ShopVariables)]).toEqual(['SHOP_TOKEN']);
    expect([...secretVariables(OtherVariables)]).toEqual([]);
  });
});

describe('validateEnvironments', () => {
  it('reports the problems of every class at once', () => {
    expect(() =>
      validateEnvironments([ShopVariables, OtherVariables], { SHOP_SIZE: '11', OTHER_FLAG: '2' }),
    ).toThrow(/SHOP_SIZE=11: .*\n.*OTHER_FLAG=2: /);
    expect(() => validateEnvironments([ShopVariables, OtherVariables], {})).not.toThrow();
  });
});
