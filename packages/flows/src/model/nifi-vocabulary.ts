// The one table of NiFi words the DSL spells its own way (scheduling strategies, run states, retry
// backoff, execution node, load balancing and its compression, queue prioritizers). The schema's enums, the compiler's mapping to NiFi and the
// export's mapping back are all derived from these tables, so a word added here reaches all three and
// a NiFi value the tables don't know is caught by the compiler, not at run time.
import type { NifiSchemas } from '@dataplat/nifi';

/** NiFi's OpenAPI spec writes some enums as one comma-joined string ("A, B, C"): this splits them into a union. */
type SpecEnum<Joined> = Joined extends `${infer Head}, ${infer Tail}` ? Head | SpecEnum<Tail> : Joined;

type Processor = NifiSchemas['VersionedProcessor'];
type Connection = NifiSchemas['VersionedConnection'];

/** `schedule.strategy` → NiFi's scheduling strategy. */
export const schedulingStrategies = { timer: 'TIMER_DRIVEN', cron: 'CRON_DRIVEN' } as const satisfies Record<string, string>;

/** A processor's `state` → NiFi's run state (what apply leaves it in). */
export const runStates = { running: 'RUNNING', stopped: 'STOPPED', disabled: 'DISABLED' } as const satisfies Record<string, string>;

/** A processor's `executionNode` → NiFi's execution node: every node of a cluster, or the primary node only. */
export const executionNodes = { all: 'ALL', primary: 'PRIMARY' } as const satisfies Record<string, SpecEnum<NonNullable<Processor['executionNode']>>>;

/** `retry.backoff` → NiFi's backoff mechanism between retries. */
export const backoffMechanisms = { penalize: 'PENALIZE_FLOWFILE', yield: 'YIELD_PROCESSOR' } as const satisfies Record<string, SpecEnum<NonNullable<Processor['backoffMechanism']>>>;

/** A connection's `loadBalance` → NiFi's load-balance strategy. */
export const loadBalanceStrategies = {
  none: 'DO_NOT_LOAD_BALANCE',
  'round-robin': 'ROUND_ROBIN',
  'single-node': 'SINGLE_NODE',
  'partition-by-attribute': 'PARTITION_BY_ATTRIBUTE',
} as const satisfies Record<string, SpecEnum<NonNullable<Connection['loadBalanceStrategy']>>>;

/** A connection's `compression` → what NiFi compresses when it moves the queue's flowfiles between nodes. */
export const loadBalanceCompressions = {
  none: 'DO_NOT_COMPRESS',
  attributes: 'COMPRESS_ATTRIBUTES_ONLY',
  'attributes-and-content': 'COMPRESS_ATTRIBUTES_AND_CONTENT',
} as const satisfies Record<string, SpecEnum<NonNullable<Connection['loadBalanceCompression']>>>;

/** A connection's `prioritizers` → NiFi's prioritizer classes. */
export const prioritizers = {
  'first-in-first-out': 'org.apache.nifi.prioritizer.FirstInFirstOutPrioritizer',
  'newest-first': 'org.apache.nifi.prioritizer.NewestFlowFileFirstPrioritizer',
  'oldest-first': 'org.apache.nifi.prioritizer.OldestFlowFileFirstPrioritizer',
  'priority-attribute': 'org.apache.nifi.prioritizer.PriorityAttributePrioritizer',
} as const satisfies Record<string, string>;

type Vocabulary = Readonly<Record<string, string>>;

/** The DSL words of a table, as the non-empty tuple `z.enum` takes. */
export function dslWords<Table extends Vocabulary>(table: Table): [keyof Table & string, ...Array<keyof Table & string>] {
  const [first, ...rest] = Object.keys(table) as Array<keyof Table & string>;
  return [first!, ...rest];
}

/** The DSL word for a NiFi value, or undefined when the table doesn't know it. */
export function dslWordOf<Table extends Vocabulary>(table: Table, nifiValue: string | undefined): (keyof Table & string) | undefined {
  return (Object.keys(table) as Array<keyof Table & string>).find((word) => table[word] === nifiValue);
}
