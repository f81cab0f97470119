// The one schema of flow test files (`flows/<anything>.test.yaml`): cases that name a flow, feed it
// flowfiles before a processor, stub processors as captures and say what must come out where. YAML test
// files are checked against it, and it is exported as JSON Schema for editor completion.
import * as z from 'zod';
import { duration } from '../cli/arguments/options.ts';

/** The kinds of stub a processor can be replaced with; `capture` holds what reaches it, for expectations. */
export const stubKinds = ['capture'] as const;
export type StubKind = (typeof stubKinds)[number];

/** How long a case may take unless it says otherwise. */
export const defaultCaseTimeout = '60s';

const componentName = z.string().min(1).max(200);
const attributeName = z.string().min(1).max(200).regex(/^[^\p{Cc}]+$/u, 'an attribute name without control characters');

const caseTimeout = z
  .string()
  .refine((text) => {
    try {
      return duration(text) > 0;
    } catch {
      return false;
    }
  }, 'a duration such as 30s, 2m or 1m30s')
  .describe('How long the case may run before it fails, saying where the data stopped (queue counts per connection). Default 60s.');

const input = z.strictObject({
  before: componentName.optional().describe('The processor the flowfile is queued to, as if it came from upstream (e.g. the processor after a ListenHTTP).'),
  trigger: componentName
    .optional()
    .describe('Instead of a flowfile: a source processor of the flow (a GenerateFlowFile, a QueryDatabaseTableRecord…) run once as it is, like flows run does.'),
  text: z.string().optional().describe('The content as text (UTF-8).'),
  json: z.unknown().optional().describe('The content as JSON: written as YAML (objects, lists) or as a string of JSON text, which must parse.'),
  csv: z
    .array(z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()])))
    .min(1)
    .optional()
    .describe('The content as CSV: records written as YAML, a header line of their fields (in order of first appearance) and a line per record (RFC 4180 quoting, empty for null or a missing field).'),
  file: z.string().min(1).optional().describe('The content of this file (UTF-8 text), relative to the test file.'),
  attributes: z.record(attributeName, z.string()).default({}).describe('FlowFile attributes, e.g. what ListenHTTP would have read from headers.'),
});

const attributeExpectation = z.union([
  z.string().describe('The exact value.'),
  z.strictObject({
    equals: z.string().optional().describe('The exact value.'),
    matches: z.string().optional().describe('A regular expression (JavaScript syntax) the whole value must match.'),
    exists: z.boolean().optional().describe('true: the attribute is set (any value); false: it is absent.'),
  }),
]);

const contentExpectation = z.strictObject({
  equals: z.string().optional().describe('The exact content, as text.'),
  contains: z.union([z.string(), z.array(z.string())]).optional().describe('Text (or every text of a list) the content contains.'),
  matches: z.string().optional().describe('A regular expression (JavaScript syntax) that matches somewhere in the content.'),
  json: z.unknown().optional().describe('The content parsed as JSON equals this value (numbers compared as numbers, key order ignored).'),
  fields: z
    .record(z.string().min(1), z.unknown())
    .optional()
    .describe('JSON paths into the parsed content and the value each must have, e.g. "$[0].above_who_pm25": true or "sensor_id": s-1.'),
  records: z
    .array(z.record(z.string(), z.unknown()))
    .optional()
    .describe('The content\'s records (a JSON array, one JSON object, or JSON lines), in order: as many as listed, each having at least the fields given.'),
});

const expectation = z.strictObject({
  at: z
    .string()
    .min(1)
    .describe(
      'Where flowfiles come out: processor.relationship (e.g. validate.invalid), a stubbed processor (its capture), a funnel or an output port of the flow, or trigger:<name> — the request body an Airflow trigger would send (captured instead of sent).',
    ),
  count: z.number().int().min(0).optional().describe('Exactly this many flowfiles (default: at least one).'),
  content: contentExpectation.optional().describe('What every flowfile there contains.'),
  attributes: z.record(attributeName, attributeExpectation).default({}).describe('Attributes every flowfile there has.'),
});

/** NiFi's bulletin levels, lowest first. */
export const bulletinLevels = ['INFO', 'WARN', 'ERROR'] as const;
export type BulletinLevel = (typeof bulletinLevels)[number];

const bulletinExpectation = z.strictObject({
  level: z.enum(bulletinLevels).optional().describe('Its level (any when unset).'),
  source: componentName.optional().describe('The processor or service that raised it.'),
  matches: z.string().optional().describe('A regular expression (JavaScript syntax) that matches somewhere in its message.'),
});

const bulletins = z
  .strictObject({
    expect: z.array(bulletinExpectation).default([]).describe('Bulletins the case must raise: each matches at least one.'),
    forbid: z
      .enum([...bulletinLevels, 'none'])
      .default('ERROR')
      .describe('Bulletins at this level or above that no expectation matches fail the case (default ERROR; none allows every bulletin).'),
  })
  .default({ expect: [], forbid: 'ERROR' })
  .describe('What NiFi\'s bulletins (errors and warnings of the copy\'s processors and services) must and must not say.');

export const flowTestCaseSchema = z.strictObject({
  name: z.string().min(1).max(200).describe('Names the case in the output, JUnit and --filter.'),
  flow: componentName.optional().describe('The flow under test (by name, from the flow files); default: the file\'s flow.'),
  description: z.string().optional().describe('What the case checks, for readers.'),
  parameters: z.record(z.string(), z.string()).default({}).describe('Parameter values for this case (only in its own copy of the parameter context): test databases, local endpoints, thresholds.'),
  stubs: z
    .record(componentName, z.enum(stubKinds))
    .default({})
    .describe('Processors replaced for the test: `capture` holds the flowfiles that reach it (no database or remote service needed); expect them at the processor\'s name.'),
  inputs: z.array(input).min(1).describe('The flowfiles fed into the flow, each once, or the sources triggered once.'),
  expect: z.array(expectation).default([]).describe('What must come out where.'),
  bulletins,
  nothingElse: z
    .boolean()
    .default(true)
    .describe('Fail when flowfiles wait anywhere the expectations don\'t name (a capture, a funnel, a queue into a stopped processor). Relationships the flow auto-terminates are dropped as in production.'),
  timeout: caseTimeout.optional(),
});

export const flowTestFileSchema = z.strictObject({
  flow: componentName.optional().describe('The flow the cases test unless a case names another.'),
  cases: z.array(flowTestCaseSchema).min(1).describe('The test cases, each in its own temporary copy of its flow (one after another, or several at once with --parallel).'),
});

export type FlowTestFile = z.output<typeof flowTestFileSchema>;
export type FlowTestCaseModel = z.output<typeof flowTestCaseSchema>;
/** A case as written in TypeScript (defineFlowTest): the YAML keys, the flow given as the flow itself. */
export type FlowTestCaseInput = Omit<z.input<typeof flowTestCaseSchema>, 'flow'>;
export type FlowTestInput = z.output<typeof input>;
export type ExpectationModel = z.output<typeof expectation>;
export type ContentExpectation = z.output<typeof contentExpectation>;
export type AttributeExpectation = z.output<typeof attributeExpectation>;
export type BulletinExpectation = z.output<typeof bulletinExpectation>;

/** The schema of flow test files as JSON Schema, for editors (`# yaml-language-server: $schema=…`). */
export function flowTestJsonSchema(): unknown {
  return z.toJSONSchema(flowTestFileSchema, { io: 'input', unrepresentable: 'any' });
}
