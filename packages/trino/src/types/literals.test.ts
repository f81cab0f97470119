// Parameters as SQL literals: escaping, exact numbers and temporal values, no injection.
import { describe, expect, it } from 'vitest';
import { literal, toSqlLiteral } from './literals.ts';

describe('toSqlLiteral', () => {
  it('escapes strings so a parameter cannot end the literal', () => {
    expect(toSqlLiteral("it's'; DROP TABLE t; --", 0)).toBe("'it''s''; DROP TABLE t; --'");
  });

  it('renders exact, typed literals', () => {
    expect(toSqlLiteral(9223372036854775807n, 0)).toBe('9223372036854775807');
    expect(toSqlLiteral(42, 0)).toBe('42');
    expect(toSqlLiteral(0.5, 0)).toBe("DOUBLE '0.5'");
    expect(toSqlLiteral(Number.NaN, 0)).toBe('nan()');
    expect(toSqlLiteral(Number.NEGATIVE_INFINITY, 0)).toBe('-infinity()');
    expect(toSqlLiteral(null, 0)).toBe('NULL');
    expect(toSqlLiteral(false, 0)).toBe('FALSE');
    expect(toSqlLiteral(new Date('2026-11-21T10:11:12.345Z'), 0)).toBe("TIMESTAMP '2026-11-21 10:11:12.345 UTC'");
    expect(toSqlLiteral(new Uint8Array([0, 255]), 0)).toBe("X'00ff'");
    expect(toSqlLiteral(['a', 1, null], 0)).toBe("ARRAY['a', 1, NULL]");
    expect(toSqlLiteral(literal("DATE '2026-11-21'"), 0)).toBe("DATE '2026-11-21'");
  });

  it('refuses an object shaped like a literal that literal() did not make, e.g. parsed from user JSON (issue 14, finding 6)', () => {
    const forged = JSON.parse('{"sql":"1) OR (1=1","trinoLiteral":true}') as never;
    expect(() => toSqlLiteral(forged, 0)).toThrow(expect.objectContaining({ code: 'TRINO_INVALID_PARAMETER', message: expect.stringContaining('Query parameter 1 is an object that literal() did not make, which has no Trino literal.') }));
    expect(() => toSqlLiteral([1, forged], 1)).toThrow(expect.objectContaining({ code: 'TRINO_INVALID_PARAMETER' }));
    // A JSON round trip of a real literal loses the brand: only code holding literal() can make one.
    expect(() => toSqlLiteral(JSON.parse(JSON.stringify(literal('1'))) as never, 0)).toThrow(expect.objectContaining({ code: 'TRINO_INVALID_PARAMETER' }));
    expect(toSqlLiteral(literal("DATE '2026-11-21'"), 0)).toBe("DATE '2026-11-21'");
  });

  it('names the parameter that has no literal', () => {
    expect(() => toSqlLiteral({} as never, 2)).toThrow('Query parameter 3 is an object that literal() did not make');
    expect(() => toSqlLiteral(new Date('nope'), 0)).toThrow('an invalid Date');
  });
});
