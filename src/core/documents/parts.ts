import { valueText } from '../value-text.js';
import { markdownBlocks } from './markdown.js';
import type { Block, Cell, CellTone, Column, Inline } from './model.js';
import type { BaselineSnapshot, SnapshotLink, SnapshotRecord } from './snapshot.js';
import type { PartFn } from './templates.js';

/** What an index part knows of the other documents of the same build: their titles and gaps. */
export interface DocumentSummary {
  readonly id: string;
  readonly title: string;
  readonly gaps: number;
}

/** Record lookups over a snapshot, built once: by key, by type, links leaving and arriving. */
export class SnapshotIndex {
  readonly byKey = new Map<string, SnapshotRecord>();
  private readonly byType = new Map<string, SnapshotRecord[]>();
  private readonly out = new Map<string, SnapshotLink[]>();
  private readonly in = new Map<string, SnapshotLink[]>();

  constructor(readonly s: BaselineSnapshot) {
    for (const r of s.records) {
      this.byKey.set(r.key, r);
      const list = this.byType.get(r.type);
      if (list === undefined) this.byType.set(r.type, [r]);
      else list.push(r);
    }
    for (const l of s.links) {
      push(this.out, l.from, l);
      push(this.in, l.to, l);
    }
  }

  /** Records of a type that count (obsolete ones left out), in number order. */
  ofType(type: string): readonly SnapshotRecord[] {
    return (this.byType.get(type) ?? []).filter((r) => r.status !== 'obsolete');
  }

  /** Links of a type leaving `key` (to records of `toType` when given). */
  from(key: string, type: string, toType?: string): SnapshotLink[] {
    return (this.out.get(key) ?? []).filter((l) => l.type === type && (toType === undefined || this.byKey.get(l.to)?.type === toType));
  }

  /** Links of a type arriving at `key` (from records of `fromType` when given). */
  to(key: string, type: string, fromType?: string): SnapshotLink[] {
    return (this.in.get(key) ?? []).filter((l) => l.type === type && (fromType === undefined || this.byKey.get(l.from)?.type === fromType));
  }

  linksFrom(key: string): readonly SnapshotLink[] {
    return this.out.get(key) ?? [];
  }

  linksTo(key: string): readonly SnapshotLink[] {
    return this.in.get(key) ?? [];
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [v]);
  else list.push(v);
}

// --- small builders ----------------------------------------------------------------------------------------------

export const text = (t: string, style?: { bold?: boolean; italic?: boolean; code?: boolean }): Inline => ({ kind: 'text', text: t, ...style });
export const recordLink = (key: string): Inline => ({ kind: 'link', text: key, target: { record: key } });
export const documentLink = (id: string, title: string): Inline => ({ kind: 'link', text: title, target: { document: id } });
const para = (...inlines: Inline[]): Block => ({ kind: 'paragraph', inlines });
const gap = (t: string): Block => ({ kind: 'gap', text: t });
const cell = (content: string | readonly Inline[], tone?: CellTone): Cell => ({ inlines: typeof content === 'string' ? (content === '' ? [] : [text(content)]) : content, ...(tone === undefined ? {} : { tone }) });
const cols = (...titles: (string | [string, number])[]): Column[] => titles.map((t) => (typeof t === 'string' ? { title: t } : { title: t[0], width: t[1] }));

/** Record keys as links, comma separated; a suspect link is marked. */
function keys(links: readonly SnapshotLink[], end: 'from' | 'to'): Inline[] {
  const out: Inline[] = [];
  links.forEach((l, n) => {
    if (n > 0) out.push(text(', '));
    out.push(recordLink(l[end]));
    if (l.suspect) out.push(text(' (suspect)', { italic: true }));
  });
  return out;
}

function keyList(list: readonly string[]): Inline[] {
  const out: Inline[] = [];
  list.forEach((k, n) => {
    if (n > 0) out.push(text(', '));
    out.push(recordLink(k));
  });
  return out;
}

/** A short list of keys for a gap sentence: the first few, then how many more. */
function few(list: readonly string[], n = 12): string {
  return list.length <= n ? list.join(', ') : `${list.slice(0, n).join(', ')} and ${list.length - n} more`;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.map(valueText).join(', ') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : valueText(v));

/** `functionalRequirements` → `Functional requirements`. */
export function fieldLabel(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A record's fields as label and text, in the order stored (objects as JSON). */
export function recordFields(r: SnapshotRecord): { label: string; value: string }[] {
  return Object.keys(r.fields)
    .sort()
    .map((k) => ({ label: fieldLabel(k), value: str(r.fields[k]) }))
    .filter((f) => f.value !== '');
}

/** A record shown in full: heading line, fields, body as blocks. */
export function recordBlock(r: SnapshotRecord, typeName: string): Block {
  return { kind: 'record', key: r.key, type: typeName, title: r.title, revision: r.revision, status: r.status, fields: recordFields(r), body: markdownBlocks(r.body, 2, `rec-${r.key}`) };
}

const zoneTone = (zone: string | undefined): CellTone | undefined => (zone === 'unacceptable' ? 'warning' : zone === 'acceptable' ? 'ok' : undefined);
const verdictTone = (v: string | undefined): CellTone => (v === 'passed' ? 'ok' : v === 'failed' ? 'warning' : 'gap');
const verdictText = (v: string | undefined): string => (v === undefined || v === 'not_run' ? 'not run' : v);

// --- the index documents' data: our own short titles, clause numbers only ---------------------------------------

interface IndexEntry {
  readonly ref: string;
  readonly topic: string;
  readonly documents: readonly string[];
  /** Record types whose records are the evidence (shown with their count; none is a gap). */
  readonly types?: readonly string[];
}

const RISK_FILE_INDEX: readonly IndexEntry[] = [
  { ref: 'ISO 14971 4.1–4.3', topic: 'Risk management process, management responsibilities, competence', documents: ['risk-management-plan'] },
  { ref: 'ISO 14971 4.4', topic: 'Risk management plan', documents: ['risk-management-plan'], types: ['RMP'] },
  { ref: 'ISO 14971 5.2', topic: 'Intended use and reasonably foreseeable misuse', documents: ['risk-management-report'] },
  { ref: 'ISO 14971 5.3', topic: 'Characteristics related to safety', documents: ['risk-table'], types: ['HAZ'] },
  { ref: 'ISO 14971 5.4', topic: 'Hazards and hazardous situations', documents: ['risk-table'], types: ['HAZ', 'HS', 'SEQ'] },
  { ref: 'ISO 14971 5.5', topic: 'Risk estimation', documents: ['risk-table'], types: ['RISK', 'HARM'] },
  { ref: 'ISO 14971 6', topic: 'Risk evaluation', documents: ['risk-table'], types: ['RISK'] },
  { ref: 'ISO 14971 7.1–7.2', topic: 'Risk control options, implementation and verification', documents: ['risk-table', 'trace-matrix', 'verification-report'], types: ['RC'] },
  { ref: 'ISO 14971 7.3–7.6', topic: 'Residual risk, benefit-risk, risks from controls, completeness', documents: ['risk-table', 'risk-management-report'], types: ['BRA'] },
  { ref: 'ISO 14971 8', topic: 'Overall residual risk', documents: ['risk-management-report'], types: ['ORR'] },
  { ref: 'ISO 14971 9', topic: 'Risk management review and report', documents: ['risk-management-report'], types: ['RREV'] },
  { ref: 'ISO 14971 10', topic: 'Production and post-production information', documents: ['risk-management-report', 'maintenance-plan'], types: ['PPI'] },
];

const DHF_INDEX: readonly IndexEntry[] = [
  { ref: 'ISO 13485 7.3.2', topic: 'Design and development planning', documents: ['software-development-plan', 'risk-management-plan'] },
  { ref: 'ISO 13485 7.3.3', topic: 'Design inputs', documents: ['software-requirements'], types: ['UN', 'SYS', 'SRS'] },
  { ref: 'ISO 13485 7.3.4', topic: 'Design outputs', documents: ['software-architecture', 'soup-list'], types: ['SWI'] },
  { ref: 'ISO 13485 7.3.5', topic: 'Design reviews', documents: ['risk-management-report'], types: ['RREV'] },
  { ref: 'ISO 13485 7.3.6', topic: 'Design verification', documents: ['verification-report', 'trace-matrix'], types: ['TC'] },
  { ref: 'ISO 13485 7.3.7', topic: 'Design validation', documents: ['trace-matrix'], types: ['VAL'] },
  { ref: 'ISO 13485 7.3.8', topic: 'Design transfer (release and deployment)', documents: ['software-release'] },
  { ref: 'ISO 13485 7.3.9', topic: 'Design changes', documents: ['maintenance-plan', 'problem-resolution'], types: ['CR'] },
  { ref: 'ISO 13485 7.3.10', topic: 'Design and development file', documents: ['trace-matrix', 'risk-management-file'] },
];

const FDA_INDEX: readonly IndexEntry[] = [
  { ref: 'Documentation level evaluation', topic: 'Basic or Enhanced, with the reasoning', documents: ['fda-software-documentation'] },
  { ref: 'Software description', topic: 'What the software does, its inputs, outputs and users', documents: ['software-requirements'] },
  { ref: 'Risk management file', topic: 'Risk plan, assessment and report', documents: ['risk-management-plan', 'risk-table', 'risk-management-report'] },
  { ref: 'Software requirements specification', topic: 'Functional, performance, interface and safety requirements', documents: ['software-requirements'], types: ['SRS'] },
  { ref: 'System and software architecture diagram', topic: 'Items, their relations and interfaces', documents: ['software-architecture'], types: ['SWI'] },
  { ref: 'Software design specification', topic: 'Enhanced level: the design of items and units', documents: ['software-architecture'] },
  { ref: 'Software development, configuration management and maintenance practices', topic: 'Plans and procedures', documents: ['software-development-plan', 'maintenance-plan'] },
  { ref: 'Software testing as part of verification and validation', topic: 'Test runs, results, trace to requirements', documents: ['verification-report', 'trace-matrix'], types: ['TC'] },
  { ref: 'Software version history', topic: 'Versions and changes between them', documents: ['software-release'] },
  { ref: 'Unresolved software anomalies', topic: 'Known residual anomalies with their evaluation', documents: ['problem-resolution', 'software-release'] },
  { ref: 'Off-the-shelf software', topic: 'SOUP with versions, licences and vulnerabilities', documents: ['soup-list'], types: ['SOUP'] },
  { ref: 'Cybersecurity', topic: 'Threats, vulnerabilities and the SBOM', documents: ['soup-list', 'risk-table'], types: ['THREAT'] },
];

const MDR_INDEX: readonly IndexEntry[] = [
  { ref: 'MDR Annex II 1', topic: 'Device description and specification, intended purpose', documents: ['software-requirements'], types: ['UN'] },
  { ref: 'MDR Annex II 2', topic: 'Information supplied by the manufacturer (labels, instructions for use)', documents: [], types: ['DOC'] },
  { ref: 'MDR Annex II 3', topic: 'Design and manufacturing information', documents: ['software-development-plan', 'software-architecture', 'soup-list', 'software-release'] },
  { ref: 'MDR Annex II 4', topic: 'General safety and performance requirements', documents: ['trace-matrix'] },
  { ref: 'MDR Annex II 5', topic: 'Benefit-risk analysis and risk management', documents: ['risk-management-plan', 'risk-table', 'risk-management-report', 'risk-management-file'], types: ['BRA'] },
  { ref: 'MDR Annex II 6.1', topic: 'Pre-clinical and clinical data: verification and validation', documents: ['verification-report', 'trace-matrix'], types: ['TC', 'VAL'] },
  { ref: 'MDR Annex III', topic: 'Post-market surveillance', documents: ['maintenance-plan', 'problem-resolution'], types: ['PPI'] },
];

const CONFIG_TYPES = ['UN', 'SYS', 'SRS', 'SWI', 'SOUP', 'TC', 'VAL', 'HAZ', 'HS', 'HARM', 'SEQ', 'RISK', 'RC', 'ANOM', 'VULN', 'DOC'];

/**
 * The generated parts a template may call: `{{{part "name" "ARG" …}}}`. Each returns blocks; a `gap` block marks
 * what the baseline lacks (the document lists them in `gaps`).
 * @param docs - the other documents of the build (for the index documents); absent in the first pass
 */
export function documentParts(ix: SnapshotIndex, docs: ReadonlyMap<string, DocumentSummary> | undefined): Record<string, PartFn> {
  const s = ix.s;
  const typeName = (t: string): string => s.typeNames[t] ?? t;

  const docRef = (id: string): { inlines: Inline[]; tone: CellTone; missing: boolean } => {
    const d = docs?.get(id);
    if (d === undefined) return { inlines: [text(`${id} (not generated)`)], tone: 'gap', missing: true };
    return { inlines: [documentLink(d.id, d.title), text(d.gaps === 0 ? '' : ` (${d.gaps} gap${d.gaps === 1 ? '' : 's'})`)], tone: d.gaps === 0 ? 'ok' : 'warning', missing: false };
  };

  const indexTable = (entries: readonly IndexEntry[], sheet: string, first: string): Block[] => {
    const missing: string[] = [];
    const rows = entries.map((e) => {
      const refs = e.documents.map(docRef);
      const docCell: Inline[] = [];
      refs.forEach((r, n) => {
        if (n > 0) docCell.push(text('; '));
        docCell.push(...r.inlines);
      });
      const counts = (e.types ?? []).map((t) => ({ t, n: ix.ofType(t).length }));
      const noRecords = counts.filter((c) => c.n === 0).map((c) => c.t);
      const bad = refs.some((r) => r.missing) || noRecords.length > 0 || (e.documents.length === 0 && (e.types ?? []).length === 0);
      if (bad) missing.push(`${e.ref}: ${noRecords.length > 0 ? `no ${noRecords.map(typeName).join(', ')} records` : 'no generated document'}`);
      return [
        cell(e.ref),
        cell(e.topic),
        cell(docCell.length === 0 ? [text('—')] : docCell, refs.some((r) => r.missing) ? 'gap' : refs.some((r) => r.tone === 'warning') ? 'warning' : refs.length > 0 ? 'ok' : undefined),
        cell(counts.map((c) => `${c.t}: ${c.n}`).join(', '), noRecords.length > 0 ? 'gap' : undefined),
      ];
    });
    return [{ kind: 'table', columns: cols([first, 2], ['Topic', 3], ['Where', 4], ['Records', 2]), rows, sheet }, ...missing.map((m) => gap(m))];
  };

  const recordsOf = (types: readonly string[]): SnapshotRecord[] => types.flatMap((t) => [...ix.ofType(t)]);

  const parts: Record<string, PartFn> = {
    product: () => [
      {
        kind: 'table',
        columns: cols(['Item', 1], ['Value', 3]),
        rows: [
          [cell('Product'), cell(`${s.product.name} (${s.product.key})`)],
          [cell('Software safety class (IEC 62304 4.3)'), cell(s.product.safetyClass)],
          [cell('Intended use'), cell(s.product.intendedUse)],
          [cell('Baseline'), cell(s.baseline.kind === 'release' ? `release ${s.baseline.label}` : 'current state (not a release)')],
          [cell('Baseline hash (SHA-256)'), cell([text(s.baseline.hash, { code: true })])],
        ],
      },
    ],

    records: (types) => {
      const list = recordsOf(types);
      if (list.length === 0) return [gap(`no ${types.map(typeName).join(' or ')} records in this baseline`)];
      return list.map((r) => recordBlock(r, typeName(r.type)));
    },

    'record-table': (types) => {
      const list = recordsOf(types);
      if (list.length === 0) return [gap(`no ${types.map(typeName).join(' or ')} records in this baseline`)];
      return [
        {
          kind: 'table',
          columns: cols(['ID', 1], ['Title', 5], ['Status', 1], ['Revision', 1]),
          rows: list.map((r) => [cell([recordLink(r.key)]), cell(r.title), cell(r.status, r.status === 'approved' ? undefined : 'warning'), cell(String(r.revision))]),
        },
      ];
    },

    'config-items': () => [
      {
        kind: 'table',
        columns: cols(['Record type', 3], ['Records', 1], ['Approved', 1]),
        rows: CONFIG_TYPES.filter((t) => ix.ofType(t).length > 0).map((t) => {
          const list = ix.ofType(t);
          const approved = list.filter((r) => r.status === 'approved').length;
          return [cell(`${typeName(t)} (${t})`), cell(String(list.length)), cell(String(approved), approved < list.length ? 'warning' : 'ok')];
        }),
      },
      para(text('Every record is identified by its ID and revision; the baseline hash above covers them all.')),
    ],

    items: () => {
      const list = ix.ofType('SWI');
      if (list.length === 0) return [gap('no software items: the architecture is not described (IEC 62304 5.3.1)')];
      const unclassed = list.filter((r) => str(r.fields['safetyClass']) === '').map((r) => r.key);
      return [
        {
          kind: 'table',
          columns: cols(['Item', 1], ['Title', 4], ['Class', 1], ['Part of', 1], ['Implements', 2], ['Uses SOUP', 2]),
          rows: list.map((r) => [
            cell([recordLink(r.key)]),
            cell(r.title),
            cell(str(r.fields['safetyClass']), str(r.fields['safetyClass']) === '' ? 'gap' : undefined),
            cell(keys(ix.from(r.key, 'part_of'), 'to')),
            cell(keys(ix.from(r.key, 'implements'), 'to')),
            cell(keys(ix.from(r.key, 'uses'), 'to')),
          ]),
        },
        ...(unclassed.length === 0 ? [] : [gap(`software items without a safety class: ${few(unclassed)}`)]),
      ];
    },

    interfaces: () => {
      const rows: Cell[][] = [];
      for (const r of ix.ofType('SWI')) {
        for (const l of [...ix.from(r.key, 'uses'), ...ix.to(r.key, 'part_of')]) {
          const other = l.from === r.key ? l.to : l.from;
          rows.push([cell([recordLink(r.key)]), cell(l.type === 'uses' ? 'uses' : 'contains'), cell([recordLink(other)]), cell(ix.byKey.get(other)?.title ?? '')]);
        }
      }
      if (rows.length === 0) return [gap('no interfaces between software items or with SOUP are recorded')];
      return [{ kind: 'table', columns: cols(['Item', 1], ['Relation', 1], ['With', 1], ['Title', 4]), rows }];
    },

    soup: () => {
      const list = ix.ofType('SOUP');
      if (list.length === 0) return [gap('no SOUP components in this baseline')];
      const noReq: string[] = [];
      const noVersion: string[] = [];
      const noReview: string[] = [];
      const openVulns: string[] = [];
      const rows = list.map((r) => {
        const f = r.fields;
        const req = str(f['functionalRequirements']) || str(f['performanceRequirements']);
        if (req === '') noReq.push(r.key);
        if (str(f['version']) === '') noVersion.push(r.key);
        if (str(f['anomalyReview']) === '') noReview.push(r.key);
        const vulns = ix.to(r.key, 'affects', 'VULN');
        const vulnCell: Inline[] = [];
        let vulnTone: CellTone | undefined = vulns.length === 0 ? undefined : 'ok';
        vulns.forEach((l, n) => {
          const v = ix.byKey.get(l.from);
          const triage = str(v?.fields['triage']);
          if (triage !== 'not_affected') {
            vulnTone = 'warning';
            openVulns.push(`${l.from} (${str(v?.fields['advisory'])}) in ${r.key}`);
          }
          if (n > 0) vulnCell.push(text('; '));
          vulnCell.push(recordLink(l.from), text(` ${str(v?.fields['advisory'])} ${str(v?.fields['severity'])}, ${triage === '' ? 'not triaged' : triage.replace('_', ' ')}`));
        });
        return [
          cell([recordLink(r.key)]),
          cell(str(f['package'])),
          cell(str(f['version']), str(f['version']) === '' ? 'gap' : undefined),
          cell(str(f['licence'])),
          cell(str(f['supplier'])),
          cell(req, req === '' ? 'gap' : undefined),
          cell(str(f['anomalyReview']), str(f['anomalyReview']) === '' ? 'gap' : undefined),
          cell(str(f['riskAssessment']), str(f['riskAssessment']) === '' ? 'gap' : undefined),
          cell(vulnCell, vulnTone),
          cell(keys(ix.to(r.key, 'uses'), 'from'), ix.to(r.key, 'uses').length === 0 ? 'gap' : undefined),
        ];
      });
      return [
        {
          kind: 'table',
          sheet: 'SOUP',
          columns: cols(['SOUP', 1], ['Package', 2], ['Version', 1], ['Licence', 1], ['Supplier', 1], ['Requirements', 3], ['Anomaly review', 3], ['Risk assessment', 3], ['Vulnerabilities', 3], ['Used by', 1]),
          rows,
        },
        ...(noVersion.length === 0 ? [] : [gap(`SOUP without a version (IEC 62304 8.1.2): ${few(noVersion)}`)]),
        ...(noReq.length === 0 ? [] : [gap(`SOUP without functional or performance requirements (IEC 62304 5.3.3): ${few(noReq)}`)]),
        ...(noReview.length === 0 ? [] : [gap(`SOUP whose published anomaly list was not reviewed (IEC 62304 7.1.3): ${few(noReview)}`)]),
        ...(openVulns.length === 0 ? [] : [gap(`vulnerabilities not shown to leave the product unaffected: ${few(openVulns)}`)]),
      ];
    },

    vulnerabilities: () => {
      const list = ix.ofType('VULN');
      if (list.length === 0) return [para(text('No vulnerabilities are recorded against this baseline.'))];
      return [
        {
          kind: 'table',
          sheet: 'Vulnerabilities',
          columns: cols(['ID', 1], ['Advisory', 2], ['Severity', 1], ['Affects', 2], ['Triage', 1], ['Justification', 4]),
          rows: list.map((v) => {
            const triage = str(v.fields['triage']);
            return [
              cell([recordLink(v.key)]),
              cell(str(v.fields['advisory'])),
              cell(str(v.fields['severity']), ['critical', 'high'].includes(str(v.fields['severity'])) ? 'warning' : undefined),
              cell(keys(ix.from(v.key, 'affects'), 'to')),
              cell(triage === '' ? 'not triaged' : triage.replace('_', ' '), triage === '' ? 'gap' : triage === 'affected' ? 'warning' : 'ok'),
              cell(str(v.fields['justification'])),
            ];
          }),
        },
      ];
    },

    'test-runs': () => {
      if (s.testRuns.length === 0) return [gap(s.baseline.kind === 'release' ? `release ${s.baseline.label} holds no test run` : 'no test runs are recorded')];
      return [
        {
          kind: 'table',
          columns: cols(['Run', 1], ['Source', 3], ['Version', 1], ['Build', 1], ['Commit', 1], ['Environment', 4], ['Recorded', 2], ['Results', 2]),
          rows: s.testRuns.map((t) => {
            const mine = s.results.filter((x) => x.runId === t.id);
            const count = (o: string): number => mine.filter((x) => x.outcome === o).length;
            const bad = count('failed') + count('error');
            return [
              cell(String(t.id)),
              cell(t.source),
              cell(t.version ?? ''),
              cell(str(t.meta['build'])),
              cell(str(t.meta['commit'])),
              cell(str(t.meta['environment'])),
              cell(`${t.importedAt.slice(0, 19).replace('T', ' ')} UTC by ${t.importedBy}`),
              cell(`${count('passed')} passed, ${count('failed')} failed, ${count('error')} errors, ${count('skipped')} skipped`, bad > 0 ? 'warning' : 'ok'),
            ];
          }),
        },
      ];
    },

    'test-results': () => {
      const byRecord = new Map<string, { test: string; outcome: string }[]>();
      for (const x of s.results) for (const k of x.records) push(byRecord, k, { test: x.test, outcome: x.outcome });
      const reqs = recordsOf(['SYS', 'SRS']);
      const notVerified: string[] = [];
      const rows = reqs.map((r) => {
        const v = s.verdicts[r.key];
        if (v !== 'passed') notVerified.push(r.key);
        const tests = byRecord.get(r.key) ?? [];
        return [
          cell([recordLink(r.key)]),
          cell(r.title),
          cell(verdictText(v), verdictTone(v)),
          cell(tests.map((t) => `${t.test}: ${t.outcome}`).join('; ')),
        ];
      });
      return [
        { kind: 'table', sheet: 'Test results', columns: cols(['Requirement', 1], ['Title', 4], ['Verdict', 1], ['Results', 5]), rows },
        ...(notVerified.length === 0 ? [] : [gap(`requirements without a passing result in ${s.baseline.kind === 'release' ? `release ${s.baseline.label}'s runs` : 'the newest runs'}: ${few(notVerified)}`)]),
      ];
    },

    gate: () => {
      const g = s.gate;
      const bySeverity = (sev: string): number => g.findings.filter((f) => f.severity === sev).length;
      const what = g.kind === 'release gate' ? `The release gate on baseline ${s.baseline.label}` : 'The rule check on the current state';
      const out: Block[] = [
        para(text(`${what} ${g.passed ? 'passes' : 'fails'}`, { bold: true }), text(` (it fails on findings of severity ${g.failOn} and above): ${bySeverity('error')} errors, ${bySeverity('warning')} warnings, ${bySeverity('info')} notes.`)),
      ];
      const shown = g.findings.filter((f) => f.severity !== 'info');
      if (shown.length > 0) {
        out.push({
          kind: 'table',
          sheet: 'Gate findings',
          columns: cols(['Severity', 1], ['Clause', 2], ['Record', 1], ['Finding', 6]),
          rows: shown.map((f) => [cell(f.severity, f.severity === 'error' ? 'warning' : undefined), cell(f.clause), cell(f.record === null ? [] : [recordLink(f.record)]), cell(f.message)]),
        });
      }
      if (!g.passed) out.push(gap(`${what.charAt(0).toLowerCase()}${what.slice(1)} fails with ${bySeverity('error')} error findings`));
      return out;
    },

    'residual-anomalies': () => {
      const residual = ix.ofType('ANOM').filter((a) => a.fields['residual'] === true && str(a.fields['resolvedIn']) === '');
      if (residual.length === 0) return [para(text('No known residual anomalies.'))];
      return [
        {
          kind: 'table',
          columns: cols(['Anomaly', 1], ['Title', 4], ['Criticality', 1], ['Evaluation', 5]),
          rows: residual.map((a) => [cell([recordLink(a.key)]), cell(a.title), cell(str(a.fields['criticality'])), cell(a.body.split(/\n\s*\n/)[0]?.trim() ?? '', a.body.trim() === '' ? 'gap' : undefined)]),
        },
        ...residual.filter((a) => a.body.trim() === '').map((a) => gap(`residual anomaly ${a.key} has no written evaluation`)),
      ];
    },

    anomalies: () => {
      const list = ix.ofType('ANOM');
      if (list.length === 0) return [para(text('No anomalies are recorded.'))];
      return [
        {
          kind: 'table',
          sheet: 'Anomalies',
          columns: cols(['Anomaly', 1], ['Title', 4], ['Kind', 1], ['Criticality', 1], ['Found in', 1], ['Resolved in', 1], ['Residual', 1], ['Status', 1]),
          rows: list.map((a) => {
            const open = str(a.fields['resolvedIn']) === '';
            return [
              cell([recordLink(a.key)]),
              cell(a.title),
              cell(str(a.fields['kind'])),
              cell(str(a.fields['criticality']), ['high', 'critical'].includes(str(a.fields['criticality'])) && open ? 'warning' : undefined),
              cell(str(a.fields['foundIn'])),
              cell(str(a.fields['resolvedIn'])),
              cell(a.fields['residual'] === true ? 'yes' : 'no'),
              cell(a.status),
            ];
          }),
        },
      ];
    },

    'risk-policy': () => {
      const rmp = ix.ofType('RMP');
      if (rmp.length === 0) return [gap('no risk policy (RMP record): the built-in default policy is in force')];
      return [para(text(`The risk policy in force is ${s.risk.policyRecord ?? 'the built-in default'}, revision ${s.risk.policyRevision}.`)), ...rmp.map((r) => recordBlock(r, typeName(r.type)))];
    },

    'risk-table': () => {
      const rows = s.risk.rows;
      if (rows.length === 0) return [gap('no risk estimates (RISK records) in this baseline')];
      const unacceptable: string[] = [];
      const noResidual: string[] = [];
      const est = (e: { severity: string; probability: string; zone: string } | null): string => (e === null ? 'not estimated' : `${e.severity} / ${e.probability}: ${e.zone}`);
      const table: Cell[][] = rows.map((r) => {
        if (r.residual === null) noResidual.push(r.key);
        if ((r.residual ?? r.initial)?.zone === 'unacceptable') unacceptable.push(r.key);
        const controls: Inline[] = [];
        r.controls.forEach((c, n) => {
          if (n > 0) controls.push(text('; '));
          controls.push(recordLink(c.key), text(` ${c.verification === 'untested' ? 'not verified' : verdictText(c.verification)}`));
        });
        return [
          cell([recordLink(r.key)]),
          cell(r.title),
          cell(keyList(r.hazards)),
          cell(keyList(r.causes.map((c) => c.key))),
          cell(keyList(r.situations)),
          cell(keyList(r.harms)),
          cell(est(r.initial), zoneTone(r.initial?.zone)),
          cell(controls, r.controls.length === 0 ? 'gap' : r.controls.some((c) => c.verification !== 'passed') ? 'warning' : 'ok'),
          cell(est(r.residual), r.residual === null ? 'gap' : zoneTone(r.residual.zone)),
          cell(r.review.state, r.review.state === 'current' ? undefined : 'warning'),
        ];
      });
      return [
        {
          kind: 'table',
          sheet: 'Risk table',
          caption: `Judged on ${s.risk.asOf.slice(0, 10)} under ${s.risk.policyRecord ?? 'the default policy'} revision ${s.risk.policyRevision}; S / P: zone`,
          columns: cols(['Risk', 1], ['Title', 3], ['Hazards', 1], ['Causes', 1], ['Situations', 1], ['Harms', 1], ['Initial', 2], ['Controls', 3], ['Residual', 2], ['Review', 1]),
          rows: table,
        },
        ...(noResidual.length === 0 ? [] : [gap(`risks without a residual estimate (ISO 14971 7.3): ${few(noResidual)}`)]),
        ...(unacceptable.length === 0 ? [] : [gap(`risks in the unacceptable zone: ${few(unacceptable)}`)]),
      ];
    },

    'risk-summary': () => {
      const z = s.risk.zoneTotals;
      return [
        {
          kind: 'table',
          columns: cols(['Zone', 2], ['Before controls', 1], ['After controls', 1]),
          rows: (['acceptable', 'reduce', 'unacceptable'] as const).map((k) => [
            cell(k === 'reduce' ? 'reduce as far as possible' : k),
            cell(String(z.initial[k])),
            cell(String(z.residual[k]), k === 'unacceptable' && z.residual[k] > 0 ? 'warning' : undefined),
          ]),
        },
      ];
    },

    'overall-residual': () => {
      const orr = ix.ofType('ORR');
      const out: Block[] = [];
      if (orr.length === 0) out.push(gap('no overall residual risk evaluation (ISO 14971 8)'));
      for (const r of orr) {
        out.push(recordBlock(r, typeName(r.type)));
        if (r.fields['acceptable'] !== true) out.push(gap(`${r.key} does not find the overall residual risk acceptable`));
      }
      out.push(...ix.ofType('BRA').map((r) => recordBlock(r, typeName(r.type))));
      return out;
    },

    'risk-reviews': () => {
      const list = ix.ofType('RREV');
      if (list.length === 0) return [gap('no risk review (RREV record) in this baseline')];
      return list.map((r) => recordBlock(r, typeName(r.type)));
    },

    'trace-user-needs': () => {
      const needs = ix.ofType('UN');
      if (needs.length === 0) return [gap('no user needs (UN records) to trace')];
      const unvalidated: string[] = [];
      const rows = needs.map((u) => {
        const sys = ix.to(u.key, 'derives_from');
        const val = ix.to(u.key, 'validates', 'VAL');
        if (val.length === 0) unvalidated.push(u.key);
        return [cell([recordLink(u.key)]), cell(u.title), cell(keys(sys, 'from'), sys.length === 0 ? 'gap' : undefined), cell(keys(val, 'from'), val.length === 0 ? 'gap' : 'ok')];
      });
      return [
        { kind: 'table', sheet: 'User needs', columns: cols(['User need', 1], ['Title', 4], ['Requirements', 2], ['Validation', 2]), rows },
        ...(unvalidated.length === 0 ? [] : [gap(`user needs without validation: ${few(unvalidated)}`)]),
      ];
    },

    'trace-requirements': () => {
      const reqs = recordsOf(['SYS', 'SRS']);
      if (reqs.length === 0) return [gap('no requirements (SYS, SRS records) to trace')];
      const unverified: string[] = [];
      const suspect: string[] = [];
      const rows = reqs.map((r) => {
        const up = [...ix.from(r.key, 'derives_from'), ...ix.from(r.key, 'refines')];
        const impl = ix.to(r.key, 'implements', 'SWI');
        const tests = ix.to(r.key, 'verifies', 'TC');
        const v = s.verdicts[r.key];
        if (tests.length === 0 || v !== 'passed') unverified.push(r.key);
        if ([...up, ...impl, ...tests].some((l) => l.suspect)) suspect.push(r.key);
        return [
          cell([recordLink(r.key)]),
          cell(r.title),
          cell(keys(up, 'to'), up.length === 0 ? 'gap' : undefined),
          cell(keys(impl, 'from'), r.type === 'SRS' && impl.length === 0 ? 'gap' : undefined),
          cell(keys(tests, 'from'), tests.length === 0 ? 'gap' : undefined),
          cell(verdictText(v), verdictTone(v)),
        ];
      });
      return [
        { kind: 'table', sheet: 'Requirements', columns: cols(['Requirement', 1], ['Title', 4], ['Derived from', 1], ['Implemented by', 1], ['Verified by', 2], ['Verdict', 1]), rows },
        ...(unverified.length === 0 ? [] : [gap(`requirements without a passing verification: ${few(unverified)}`)]),
        ...(suspect.length === 0 ? [] : [gap(`requirements with suspect links to review: ${few(suspect)}`)]),
      ];
    },

    'trace-risk-controls': () => {
      const rcs = ix.ofType('RC');
      if (rcs.length === 0) return [gap('no risk controls (RC records) to trace')];
      const missing: string[] = [];
      const rows = rcs.map((c) => {
        const mit = ix.from(c.key, 'mitigates');
        const impl = ix.to(c.key, 'implements', 'SRS');
        const tests = ix.to(c.key, 'verifies', 'TC');
        const eff = ix.to(c.key, 'validates', 'VAL');
        if (impl.length === 0 || eff.length === 0) missing.push(c.key);
        return [
          cell([recordLink(c.key)]),
          cell(c.title),
          cell(keys(mit, 'to')),
          cell(keys(impl, 'from'), impl.length === 0 ? 'gap' : undefined),
          cell(keys(tests, 'from')),
          cell(keys(eff, 'from'), eff.length === 0 ? 'gap' : undefined),
        ];
      });
      return [
        { kind: 'table', sheet: 'Risk controls', columns: cols(['Risk control', 1], ['Title', 4], ['Mitigates', 2], ['Requirement', 1], ['Tests', 2], ['Effectiveness', 1]), rows },
        ...(missing.length === 0 ? [] : [gap(`risk controls without a requirement or effectiveness evidence: ${few(missing)}`)]),
      ];
    },

    signatures: () => {
      if (s.release === null) return [para(text('The current state is not a release and carries no release signatures.'))];
      if (s.releaseSignatures.length === 0) return [gap(`release ${s.release.version} (baseline ${s.release.baseline}) is not signed`)];
      return [
        {
          kind: 'table',
          columns: cols(['Meaning', 1], ['Signed by', 2], ['Time', 2], ['What', 2]),
          rows: s.releaseSignatures.map((x) => [cell(x.meaning), cell(`${x.printedName} (${x.username})`), cell(x.at), cell(x.signed)]),
        },
      ];
    },

    'release-facts': () => {
      const r = s.release;
      if (r === null) return [gap('the current state is not a release: create one with dossier release create')];
      return [
        {
          kind: 'table',
          columns: cols(['Item', 1], ['Value', 3]),
          rows: [
            [cell('Version'), cell(r.version)],
            [cell('Baseline'), cell(String(r.baseline))],
            [cell('Status'), cell(r.status, r.status === 'released' ? 'ok' : 'warning')],
            [cell('Frozen'), cell(`${r.createdAt} by ${r.createdBy}`)],
            [cell('Released'), cell(r.releasedAt === null ? 'not yet' : `${r.releasedAt} by ${r.releasedBy ?? ''}`)],
            [cell('Baseline hash (SHA-256)'), cell([text(s.baseline.hash, { code: true })])],
          ],
        },
      ];
    },

    'risk-file-index': () => indexTable(RISK_FILE_INDEX, 'Risk file index', 'Clause'),
    'dhf-index': () => indexTable(DHF_INDEX, 'Design history file', 'Clause'),
    'mdr-index': () => indexTable(MDR_INDEX, 'MDR Annex II', 'Section'),
    'fda-index': () => indexTable(FDA_INDEX, 'FDA software documentation', 'Element'),

    'fda-level': () => {
      const enhanced = s.product.safetyClass === 'C';
      return [
        para(text('Documentation level: ', { bold: true }), text(enhanced ? 'Enhanced' : 'Basic', { bold: true })),
        para(
          text(
            enhanced
              ? `The software is IEC 62304 class C: a failure could contribute to death or serious injury, so the Enhanced level applies.`
              : `The software is IEC 62304 class ${s.product.safetyClass}: the risk file does not show that a failure could, before risk controls, lead to death or serious injury, so the Basic level is proposed. The manufacturer confirms this against the risk table before submission.`,
          ),
        ),
      ];
    },
  };
  return parts;
}
