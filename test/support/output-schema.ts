import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { http } from './harness.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Fetches a server's tools and returns a checker of results against each tool's outputSchema. */
export async function outputChecker(
  baseUrl: string,
): Promise<(tool: string, result: unknown) => void> {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const { body } = await http<{ tools: Array<{ name: string; outputSchema: object | null }> }>(
    'GET',
    `${baseUrl}/tools`,
  );
  const validators = new Map(
    body.tools.filter((t) => t.outputSchema).map((t) => [t.name, ajv.compile(t.outputSchema!)]),
  );
  return (tool, result) => {
    const validate = validators.get(tool);
    if (!validate) throw new Error(`${tool} declares no outputSchema`);
    if (!validate(result)) {
      throw new Error(
        `${tool} result does not match its outputSchema: ${ajv.errorsText(validate.errors)}`,
      );
    }
  };
}
