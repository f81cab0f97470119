// NiFi's validation errors explained with a component's descriptors, and the verdict read off an entity.
import { describe, expect, it } from 'vitest';
import { explainValidationErrors, validationOf } from './validation.ts';

const descriptors = {
  'Regular Expression': { name: 'Regular Expression', displayName: 'Search Value' },
  Directory: { name: 'Directory', displayName: 'Directory' },
};
const unsupported = (key: string) => `'${key}' validated against 'x' is invalid because '${key}' is not a supported property or has no Validator associated with it`;

describe('explainValidationErrors', () => {
  it('names the real property of a display name or of another case, and leaves other errors as NiFi wrote them', () => {
    expect(explainValidationErrors([unsupported('Search Value'), unsupported('directory'), unsupported('greeting'), "'Upstream Connections' is invalid because Processor requires an upstream connection"], descriptors)).toEqual([
      `${unsupported('Search Value')} ('Search Value' is the display name of property 'Regular Expression': set 'Regular Expression')`,
      `${unsupported('directory')} (property names are case-sensitive: 'Directory')`,
      unsupported('greeting'),
      "'Upstream Connections' is invalid because Processor requires an upstream connection",
    ]);
  });
});

describe('validationOf', () => {
  it('reads processors and services by their status, and ports (which have none) by their errors', () => {
    expect(validationOf({ validationStatus: 'VALID', validationErrors: [] })).toEqual({ status: 'VALID', errors: [] });
    expect(validationOf({ validationStatus: 'VALIDATING' })).toEqual({ status: 'VALIDATING', errors: [] });
    expect(validationOf({ validationStatus: 'INVALID', validationErrors: [unsupported('Search Value')], config: { descriptors } }).errors[0]).toContain("is the display name of property 'Regular Expression'");
    expect(validationOf({ validationErrors: ["'Port 'out'' is invalid because Port has no outgoing connections"] }).status).toBe('INVALID');
    expect(validationOf({})).toEqual({ status: 'VALID', errors: [] });
  });
});
