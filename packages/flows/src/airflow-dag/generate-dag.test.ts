// The generated DAG file: deterministic, names and descriptions as exact Python string literals (an
// injection corpus parsed by the real Python), and the flows command fixed in the file, never read from an
// Airflow Variable (issue 14, findings 4 and 11).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defaultDagId, generateAirflowDag, type DagOptions } from './generate-dag.ts';

/** What Python itself reads from the generated source: the module docstring and the string constants. */
function readByPython(source: string): { doc: string; flow: string; flowsCommand: string[]; project: string | null } {
  const script = [
    'import ast, json, shlex, sys',
    'tree = ast.parse(sys.stdin.read())',
    'constants = {}',
    'for node in tree.body:',
    '    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):',
    '        constants[node.targets[0].id] = node.value',
    'command = constants["FLOWS_COMMAND"]',
    'assert isinstance(command, ast.Call) and command.func.value.id == "shlex" and command.func.attr == "split"',
    'print(json.dumps({"doc": ast.get_docstring(tree, clean=False), "flow": ast.literal_eval(constants["FLOW"]),',
    '  "flowsCommand": shlex.split(ast.literal_eval(command.args[0])),',
    '  "project": ast.literal_eval(constants["PROJECT"]) if "PROJECT" in constants else None}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: source, encoding: 'utf8' })) as ReturnType<typeof readByPython>;
}

describe('generateAirflowDag', () => {
  it('derives a valid DAG id from the flow name', () => {
    expect(defaultDagId('IoT sensors: v2')).toBe('nifi_flow_iot_sensors_v2');
  });

  it('is deterministic and embeds names as Python string literals', () => {
    const source = generateAirflowDag('orders "nightly"', { schedule: '@daily', connectionId: 'nifi_prod', parentGroupId: 'abc' });
    expect(source).toBe(generateAirflowDag('orders "nightly"', { schedule: '@daily', connectionId: 'nifi_prod', parentGroupId: 'abc' }));
    expect(source).toContain('FLOW = "orders \\"nightly\\""');
    expect(source).toContain('NIFI_CONNECTION_ID = "nifi_prod"');
    expect(source).toContain('schedule="@daily"');
    expect(source).toContain('dag_id="nifi_flow_orders_nightly"');
    expect(generateAirflowDag('x')).toContain('schedule=None');
  });

  it('passes the project to flows run when the flow belongs to one, and says nothing of projects otherwise', () => {
    const source = generateAirflowDag('orders', { project: 'shop-team' });
    expect(source).toContain('PROJECT = "shop-team"');
    expect(source).toContain('(["--parent", PARENT_GROUP_ID] if PARENT_GROUP_ID else []) + ["--project", PROJECT] + ["--", FLOW]');
    expect(generateAirflowDag('orders')).not.toContain('PROJECT');
  });

  // Each entry: text that meets Python in the generated file; Python must read back exactly that text.
  const corpus: Array<[string, string]> = [
    ['a backslash (SyntaxError before: \\N{ in a docstring)', 'C:\\data\\N{bad} \\x41 \\u0041 ends with \\'],
    ['triple quotes', 'ends the docstring """ here, \'\'\' and \\"""'],
    ['a quote at the very end', 'says "'],
    ['newlines and a carriage return', 'line one\nimport os; os.system("id")\r\nline three'],
    ['NUL and other control characters', 'nul\u0000 bell\u0007 escape\u001b[31m nel\u0085'],
    ['Unicode line separators and look-alike quotes', 'sep\u2028para\u2029 \u201cquoted\u201d \uff02'],
  ];

  it.each(corpus)('keeps %s in a description as text Python reads back exactly', (_label, description) => {
    const source = generateAirflowDag('orders', { description });
    expect(source).toBe(generateAirflowDag('orders', { description }));
    const read = readByPython(source);
    expect(read.doc).toContain(`\n\nThe flow: ${description}\n`);
    expect(read.doc.startsWith('Runs the NiFi flow "orders" once')).toBe(true);
  });

  it.each(corpus)('keeps %s in the flow name and project as exact Python strings', (_label, text) => {
    const read = readByPython(generateAirflowDag(text, { project: text }));
    expect(read.flow).toBe(text);
    expect(read.project).toBe(text);
    expect(read.doc.startsWith(`Runs the NiFi flow "${text}" once`)).toBe(true);
  });

  it('runs the flows command written into the file, never one from an Airflow Variable', () => {
    const defaults = generateAirflowDag('orders');
    expect(defaults).not.toContain('Variable.get');
    expect(defaults).not.toMatch(/^from airflow\.sdk import .*Variable/m);
    expect(readByPython(defaults).flowsCommand).toEqual(['flows']);
    const pinned: DagOptions = { flowsCommand: "npx --yes '@dataplat/flows@0.1.0' --with 'two words'" };
    expect(readByPython(generateAirflowDag('orders', pinned)).flowsCommand).toEqual(['npx', '--yes', '@dataplat/flows@0.1.0', '--with', 'two words']);
    // Options first and `--` before the flow name: a flow named like an option is still a name.
    expect(defaults).toContain('command = FLOWS_COMMAND + ["run", "--json"] + (["--parent", PARENT_GROUP_ID] if PARENT_GROUP_ID else []) + ["--", FLOW]');
  });

  it('refuses a flows command with control characters (they hide parts of it from review)', () => {
    expect(() => generateAirflowDag('orders', { flowsCommand: 'flows\nrm -rf /' })).toThrow(expect.objectContaining({ code: 'FLOWS_BAD_FLOWS_COMMAND' }));
    expect(() => generateAirflowDag('orders', { flowsCommand: '  ' })).toThrow(expect.objectContaining({ code: 'FLOWS_BAD_FLOWS_COMMAND' }));
  });
});
