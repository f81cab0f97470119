// The SQL-literal injection corpus of the security suite (issue 14): values a caller might bind to `?` that
// try to end a literal, smuggle SQL or confuse the placeholder count, with the exact statement each must
// become. Used by the unit test against a fake Trino and by the round trip through the real Trino.
import { literal, type TrinoParameter } from '../src/types/literals.ts';

/** [what it tries, the SQL, the values, the exact statement sent] */
export const literalInjectionCorpus: Array<[string, string, TrinoParameter[], string]> = [
  ['a quote that would end the literal', 'SELECT ?', ["'"], "EXECUTE IMMEDIATE 'SELECT ?' USING ''''"],
  ['a classic injection', 'SELECT ?', ["x'; DROP TABLE t; --"], "EXECUTE IMMEDIATE 'SELECT ?' USING 'x''; DROP TABLE t; --'"],
  ['a doubled quote', 'SELECT ?', ["''"], "EXECUTE IMMEDIATE 'SELECT ?' USING ''''''"],
  ['a backslash before a quote (no escape in SQL)', 'SELECT ?', ["\\'"], "EXECUTE IMMEDIATE 'SELECT ?' USING '\\'''"],
  ['a trailing backslash', 'SELECT ?', ['a\\'], "EXECUTE IMMEDIATE 'SELECT ?' USING 'a\\'"],
  ['NUL', 'SELECT ?', ['a\u0000b'], "EXECUTE IMMEDIATE 'SELECT ?' USING 'a\u0000b'"],
  ['look-alike quotes', 'SELECT ?', ['\u2019\u02bc\uff07'], "EXECUTE IMMEDIATE 'SELECT ?' USING '\u2019\u02bc\uff07'"],
  ['a placeholder inside a value', 'SELECT ?, ?', ['?', 'b'], "EXECUTE IMMEDIATE 'SELECT ?, ?' USING '?', 'b'"],
  ['comment markers', 'SELECT ?', ['-- /* */'], "EXECUTE IMMEDIATE 'SELECT ?' USING '-- /* */'"],
  ['a Unicode escape literal', 'SELECT ?', ["U&'\\0027'"], "EXECUTE IMMEDIATE 'SELECT ?' USING 'U&''\\0027'''"],
  ['a newline then SQL', 'SELECT ?', ["\n') OR (1=1"], "EXECUTE IMMEDIATE 'SELECT ?' USING '\n'') OR (1=1'"],
  ['quotes and ? in the SQL itself', "SELECT '?' AS q, ? AS v -- ?\n", ['x'], "EXECUTE IMMEDIATE 'SELECT ''?'' AS q, ? AS v -- ?\n' USING 'x'"],
  ['an emoji (surrogate pair)', 'SELECT ?', ['\u{1F600}'], "EXECUTE IMMEDIATE 'SELECT ?' USING '\u{1F600}'"],
  ['the largest bigint', 'SELECT ?', [9223372036854775807n], "EXECUTE IMMEDIATE 'SELECT ?' USING 9223372036854775807"],
  ['a negative number', 'SELECT ?', [-5], "EXECUTE IMMEDIATE 'SELECT ?' USING -5"],
  ['a huge double', 'SELECT ?', [1e21], "EXECUTE IMMEDIATE 'SELECT ?' USING DOUBLE '1e+21'"],
  ['NaN and infinity', 'SELECT ?, ?', [Number.NaN, Number.POSITIVE_INFINITY], "EXECUTE IMMEDIATE 'SELECT ?, ?' USING nan(), infinity()"],
  ['a Date', 'SELECT ?', [new Date('2026-11-21T10:11:12.345Z')], "EXECUTE IMMEDIATE 'SELECT ?' USING TIMESTAMP '2026-11-21 10:11:12.345 UTC'"],
  ['bytes that spell a quote', 'SELECT ?', [new Uint8Array([0x27, 0x3b])], "EXECUTE IMMEDIATE 'SELECT ?' USING X'273b'"],
  ['nested arrays of quoted strings', 'SELECT ?', [[["a'b"], [null]]], "EXECUTE IMMEDIATE 'SELECT ?' USING ARRAY[ARRAY['a''b'], ARRAY[NULL]]"],
  ['booleans and null', 'SELECT ?, ?, ?', [true, false, null], "EXECUTE IMMEDIATE 'SELECT ?, ?, ?' USING TRUE, FALSE, NULL"],
  ['a literal() the caller wrote', 'SELECT ?', [literal("DATE '2026-11-21'")], "EXECUTE IMMEDIATE 'SELECT ?' USING DATE '2026-11-21'"],
];

