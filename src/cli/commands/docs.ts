import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';

/** `dossier docs list` and `dossier docs build`: the technical file as HTML, PDF, DOCX and XLSX. */
export function registerDocsCommands(program: Command, _kit: Kit): void {
  program.command('docs').description('generate the technical file: IEC 62304, ISO 14971 and design-control documents as HTML, PDF, DOCX, XLSX');
}
