import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { SeveritySchema } from '../core/rules/rule-pack.js';
import { exitCodeOf, makeKit, SEVERITIES, severityOption } from './command-kit.js';
import { table } from './output.js';

describe('exit codes from handlers', () => {
  it('takes only a whole number as an exit code', () => {
    expect([exitCodeOf(1), exitCodeOf(0), exitCodeOf(undefined), exitCodeOf(true), exitCodeOf(false), exitCodeOf('1'), exitCodeOf(1.5)]).toEqual([1, 0, 0, 0, 0, 0, 0]);
  });

  it('a handler that returns what stdout.write returned (a boolean) exits 0, not with the boolean', async () => {
    const codes: unknown[] = [];
    // process.stdout.write returns a boolean; the Io type says void, so a `return io.out(…)` type-checks.
    const io = { out: (s: string) => s.length > 0, err: () => true, interactive: false };
    const kit = makeKit(io, {}, (code) => codes.push(code));
    const program = new Command('dossier').option('--db <path>');
    program.command('x').action(kit.action((ctx) => Promise.resolve(ctx.io.out('{}\n'))));
    await program.parseAsync(['--db', ':memory:', 'x'], { from: 'user' });
    expect(codes).toEqual([0]);
  });
});

describe('severity flags', () => {
  it('takes the same severities as the rule-pack schema, and refuses others naming the flag', () => {
    expect([...SEVERITIES]).toEqual(SeveritySchema.options);
    expect(SEVERITIES.map((s) => severityOption('--fail-on', s))).toEqual(SEVERITIES);
    expect(() => severityOption('--fail-on', 'fatal')).toThrow("--fail-on must be error, warning or info, not 'fatal'");
  });
});

describe('table', () => {
  it('shows line breaks and escape sequences in cells as escapes, so a cell cannot forge a row', () => {
    const text = table(['ID', 'TITLE'], [['SRS-1', 'Pump\nSRS-2  approved  forged'], ['SRS-3', '\u001b]0;pwned\u0007ok']]);
    expect(text.split('\n')).toEqual(['ID     TITLE', 'SRS-1  Pump\\nSRS-2  approved  forged', 'SRS-3  \\x1b]0;pwned\\x07ok']);
  });
});
